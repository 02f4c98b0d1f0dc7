package dev.turnpike.client;

import static dev.turnpike.client.Answers.CREATED;
import static dev.turnpike.client.Answers.PROCESSING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.turnpike.client.FakeService.Reply;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Cancelling a future stops its polling, whether it is waiting between polls or inside one. */
class CancellationTest {

    private FakeService service;

    @BeforeEach
    void start() throws Exception {
        service = new FakeService();
    }

    @AfterEach
    void stop() {
        service.close();
    }

    @Test
    void cancellingTheFutureBetweenPollsStopsThePolling() throws Exception {
        CountDownLatch sleeping = new CountDownLatch(1);
        CountDownLatch woken = new CountDownLatch(1);
        service.answer("createTask", CREATED).answer("getTaskResult", PROCESSING);
        Sleeper waitsUntilInterrupted = duration -> {
            sleeping.countDown();
            try {
                Thread.sleep(Duration.ofMinutes(5));
            } catch (InterruptedException e) {
                woken.countDown();
                throw e;
            }
        };
        Sleeper firstPollAtOnce = new Sleeper() {
            private boolean first = true;

            @Override
            public void sleep(Duration duration) throws InterruptedException {
                if (first) {
                    first = false;
                    return;
                }
                waitsUntilInterrupted.sleep(duration);
            }
        };
        try (TurnpikeClient client = TurnpikeClient.builder().baseUrl(service.baseUrl()).clientKey("key-1")
                .sleeper(firstPollAtOnce).build()) {
            CompletableFuture<TurnstileSolution> future =
                    client.solveTurnstileAsync("https://site.test/", "0x4AAA", TurnstileOptions.none());
            assertThat(sleeping.await(10, TimeUnit.SECONDS)).as("waiting after the first poll").isTrue();

            assertThat(future.cancel(true)).isTrue();

            assertThat(woken.await(10, TimeUnit.SECONDS)).as("the waiting worker was interrupted").isTrue();
            assertThat(catchThrowableOfType(CancellationException.class, future::join)).isNotNull();
            assertThat(service.calls("getTaskResult")).hasSize(1);
            assertThat(service.calls("createTask")).hasSize(1);
        }
    }

    @Test
    void cancellingTheFutureDuringAPollAbortsItAndSendsNoOther() throws Exception {
        CountDownLatch pollArrived = new CountDownLatch(1);
        CountDownLatch wentOn = new CountDownLatch(1);
        service.answer("createTask", CREATED).on("getTaskResult", call -> {
            pollArrived.countDown();
            service.closed.await(); // the answer does not come while the test runs
            return Reply.json(PROCESSING);
        });
        Sleeper noticesAnotherRound = new Sleeper() {
            private int calls;

            @Override
            public void sleep(Duration duration) {
                if (++calls > 1) {
                    wentOn.countDown(); // only reached if the worker went on after the cancelled poll
                }
            }
        };
        try (TurnpikeClient client = TurnpikeClient.builder().baseUrl(service.baseUrl()).clientKey("key-1")
                .sleeper(noticesAnotherRound).build()) {
            CompletableFuture<ChallengeSolution> future =
                    client.solveChallengeAsync("https://site.test/", "http://u:p@10.1.1.1:3128", null);
            assertThat(pollArrived.await(10, TimeUnit.SECONDS)).isTrue();

            future.cancel(true);

            assertThat(future).isCancelled();
            assertThat(wentOn.await(500, TimeUnit.MILLISECONDS)).as("the worker sent no other poll").isFalse();
            assertThat(service.calls("getTaskResult")).hasSize(1);
        }
    }

    @Test
    void anInterruptedBlockingCallSaysSoAndKeepsTheInterrupt() throws Exception {
        service.answer("createTask", CREATED).answer("getTaskResult", PROCESSING);
        try (TurnpikeClient client = TurnpikeClient.builder().baseUrl(service.baseUrl()).clientKey("key-1")
                .sleeper(duration -> Thread.sleep(Duration.ofMinutes(5))).build()) {
            TurnpikeException[] caught = new TurnpikeException[1];
            boolean[] flagKept = new boolean[1];
            Thread caller = Thread.ofVirtual().start(() -> {
                try {
                    client.solveTurnstile("https://site.test/", "0x4AAA", TurnstileOptions.none());
                } catch (TurnpikeException e) {
                    caught[0] = e;
                    flagKept[0] = Thread.currentThread().isInterrupted();
                }
            });
            while (service.calls("createTask").isEmpty()) {
                Thread.sleep(10);
            }
            caller.interrupt();
            assertThat(caller.join(Duration.ofSeconds(10))).isTrue();

            assertThat(caught[0].errorCode()).isEqualTo(TurnpikeException.INTERRUPTED);
            assertThat(flagKept[0]).isTrue();
        }
    }
}
