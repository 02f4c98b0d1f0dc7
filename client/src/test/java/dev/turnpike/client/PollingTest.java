package dev.turnpike.client;

import static dev.turnpike.client.Answers.CREATED;
import static dev.turnpike.client.Answers.PROCESSING;
import static dev.turnpike.client.Answers.TOKEN_READY;
import static dev.turnpike.client.Answers.UNAVAILABLE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.turnpike.client.FakeService.Reply;
import dev.turnpike.protocol.ErrorCode;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The polling rules, with the default 3 s / 3 s / 130 s, on a fake clock. */
class PollingTest {

    private FakeService service;
    private final FakeTime time = new FakeTime();
    private TurnpikeClient client;

    @BeforeEach
    void start() throws Exception {
        service = new FakeService();
        client = TurnpikeClient.builder().baseUrl(service.baseUrl()).clientKey("key-1")
                .clock(time).sleeper(time).build();
    }

    @AfterEach
    void stop() {
        client.close();
        service.close();
    }

    @Test
    void firstPollComesAfterThreeSecondsThenEveryThreeSeconds() {
        List<Duration> pollTimes = new CopyOnWriteArrayList<>();
        List<String> answers = new CopyOnWriteArrayList<>(List.of(PROCESSING, PROCESSING, PROCESSING, TOKEN_READY));
        service.answer("createTask", CREATED).on("getTaskResult", call -> {
            pollTimes.add(time.elapsed());
            return Reply.json(answers.removeFirst());
        });

        TurnstileSolution solution = client.solveTurnstile("https://site.test/", "0x4AAA", TurnstileOptions.none());

        assertThat(solution.token()).isEqualTo("0.tok");
        assertThat(pollTimes).containsExactly(Duration.ofSeconds(3), Duration.ofSeconds(6), Duration.ofSeconds(9),
                Duration.ofSeconds(12));
        assertThat(time.sleeps()).containsOnly(Duration.ofSeconds(3));
    }

    @Test
    void givesUpAfter130SecondsWithoutCreatingTheTaskAgain() {
        List<Duration> pollTimes = new CopyOnWriteArrayList<>();
        service.answer("createTask", CREATED).on("getTaskResult", call -> {
            pollTimes.add(time.elapsed());
            return Reply.json(PROCESSING);
        });

        TurnpikeException e = catchThrowableOfType(TurnpikeException.class,
                () -> client.solveTurnstile("https://site.test/", "0x4AAA", TurnstileOptions.none()));

        assertThat(e.knownErrorCode()).contains(ErrorCode.ERROR_TASK_TIMEOUT);
        assertThat(e.taskId()).contains(TaskId.of("7304012290153"));
        assertThat(service.calls("createTask")).hasSize(1);
        assertThat(pollTimes.getFirst()).isEqualTo(Duration.ofSeconds(3));
        assertThat(pollTimes.getLast()).isEqualTo(Duration.ofSeconds(130)); // one last look at the deadline
        assertThat(pollTimes).hasSize(44); // 3, 6, …, 129, then 130
        assertThat(time.elapsed()).isEqualTo(Duration.ofSeconds(130));
    }

    @Test
    void transportFaultsAndOverloadWhilePollingAreFollowedByTheNextPoll() {
        service.answer("createTask", CREATED).replies("getTaskResult", new Reply(503, ""),
                new Reply(500, "<html>oops</html>"), Reply.json(UNAVAILABLE), Reply.json(TOKEN_READY));

        TurnstileSolution solution = client.solveTurnstile("https://site.test/", "0x4AAA", TurnstileOptions.none());

        assertThat(solution.token()).isEqualTo("0.tok");
        assertThat(service.calls("getTaskResult")).hasSize(4);
        assertThat(service.calls("createTask")).hasSize(1);
        assertThat(time.sleeps()).containsOnly(Duration.ofSeconds(3)); // the poll cadence, no extra backoff
    }

    @Test
    void aTimeoutAfterTransportFaultsCarriesTheLastFault() {
        service.answer("createTask", CREATED).replies("getTaskResult", new Reply(502, ""));

        TurnpikeException e = catchThrowableOfType(TurnpikeException.class,
                () -> client.solveTurnstile("https://site.test/", "0x4AAA", TurnstileOptions.none()));

        assertThat(e.errorCode()).isEqualTo("ERROR_TASK_TIMEOUT");
        assertThat(e.getCause()).isInstanceOf(TurnpikeException.class).hasMessageContaining("HTTP 502");
        assertThat(service.calls("createTask")).hasSize(1);
    }

    @Test
    void awaitResultKeepsWaitingForATaskWhoseWaitGaveUp() {
        service.answer("createTask", CREATED).answer("getTaskResult", PROCESSING);
        TurnpikeException e = catchThrowableOfType(TurnpikeException.class,
                () -> client.solveTurnstile("https://site.test/", "0x4AAA", TurnstileOptions.none()));
        service.answer("getTaskResult", TOKEN_READY);

        TaskResult.Ready ready = client.awaitResult(e.taskId().orElseThrow());

        assertThat(ready.turnstile().token()).isEqualTo("0.tok");
        assertThat(service.calls("createTask")).hasSize(1);
    }

    @Test
    void shortSettingsAreHonoured() {
        TurnpikeClient quick = TurnpikeClient.builder().baseUrl(service.baseUrl()).clientKey("key-1")
                .clock(time).sleeper(time).firstPollDelay(Duration.ofMillis(100)).pollInterval(Duration.ofMillis(40))
                .maxWait(Duration.ofMillis(200)).build();
        service.answer("createTask", CREATED).answer("getTaskResult", PROCESSING);

        TurnpikeException e = catchThrowableOfType(TurnpikeException.class,
                () -> quick.solveTurnstile("https://site.test/", "0x4AAA", TurnstileOptions.none()));

        assertThat(e.errorCode()).isEqualTo("ERROR_TASK_TIMEOUT");
        assertThat(time.sleeps()).containsExactly(Duration.ofMillis(100), Duration.ofMillis(40),
                Duration.ofMillis(40), Duration.ofMillis(20));
    }
}
