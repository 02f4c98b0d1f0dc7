package dev.turnpike.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.turnpike.protocol.ErrorCode;
import dev.turnpike.server.task.FailReason;
import dev.turnpike.server.testing.FakeSolver;
import dev.turnpike.server.testing.TestServer;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The client against a running Turnpike server (its test harness, with the scriptable fake solver): every helper
 * and every error path, end to end over HTTP. One server for the class, every test with its own key; the tests
 * that block the solver or move the server's clock get a server of their own, since the solver's script and
 * counters are shared.
 */
class TurnpikeServerTest {

    private static final String SITE = "https://site.example/login";
    private static final String SITEKEY = "0x4AAAAAAAtest";
    private static final String PROXY = "http://user:pass@proxy.example:3128";

    private static TestServer server;
    private String key;
    private TurnpikeClient client;

    @BeforeAll
    static void startServer() throws Exception {
        server = TestServer.builder().start();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @BeforeEach
    void newKey() {
        key = server.createKey(100);
        client = clientWith(server, key, Duration.ofSeconds(20), new AtomicInteger());
    }

    @AfterEach
    void closeClient() {
        client.close();
    }

    /** Real time, but polling every 20 ms instead of 3 s; {@code sleeps} counts the waits that ran to their end. */
    private static TurnpikeClient clientWith(TestServer target, String key, Duration maxWait, AtomicInteger sleeps) {
        return TurnpikeClient.builder().baseUrl(target.baseUrl()).clientKey(key)
                .firstPollDelay(Duration.ofMillis(20)).pollInterval(Duration.ofMillis(20)).maxWait(maxWait)
                .retryBackoff(Duration.ofMillis(20))
                .sleeper(duration -> {
                    Thread.sleep(duration);
                    sleeps.incrementAndGet();
                })
                .build();
    }

    @Test
    void getBalanceReadsTheKeysPoints() {
        assertThat(client.getBalance()).isEqualByComparingTo("100");
    }

    @Test
    void solveTurnstileGetsTheTokenAndPaysForIt() {
        TurnstileSolution solution = client.solveTurnstile(SITE, SITEKEY, TurnstileOptions.none().withAction("login"));

        assertThat(solution.token()).isEqualTo(FakeSolver.TOKEN);
        assertThat(solution.userAgent()).contains(FakeSolver.USER_AGENT);
        assertThat(solution.taskId().value()).matches("\\d+");
        assertThat(client.getBalance()).isEqualByComparingTo("85");
    }

    @Test
    void solveTurnstileAsyncGetsTheToken() {
        TurnstileSolution solution = client.solveTurnstileAsync(SITE, SITEKEY, TurnstileOptions.none().withFullMode(true))
                .join();

        assertThat(solution.token()).isEqualTo(FakeSolver.TOKEN);
        assertThat(client.getBalance()).isEqualByComparingTo("70"); // the full mode costs 30
    }

    @Test
    void solveChallengeGetsTheClearance() {
        ChallengeSolution solution = client.solveChallenge(SITE, PROXY, RqData.json(Map.of("name1", "value1")));

        assertThat(solution.cfClearance()).contains("fake-clearance");
        assertThat(solution.cookies()).containsEntry("__cf_bm", "bm");
        assertThat(solution.userAgent()).contains(FakeSolver.USER_AGENT);
        assertThat(solution.headers()).containsEntry("accept-language", "en-US,en;q=0.9");
        assertThat(solution.status()).hasValue(200);
        assertThat(solution.body()).contains("<html>ok</html>");
    }

    @Test
    void solveChallengeAsyncGetsTheClearance() {
        ChallengeSolution solution = client.solveChallengeAsync(SITE, PROXY, null).join();

        assertThat(solution.cookieHeader()).contains("cf_clearance=fake-clearance");
        assertThat(client.getBalance()).isEqualByComparingTo("80");
    }

    @Test
    void createTaskAndGetTaskResultWorkStepByStep() {
        TaskId id = client.createTask(TurnstileTask.of(SITE, SITEKEY, TurnstileOptions.none()));

        TaskResult.Ready ready = client.awaitResult(id);

        assertThat(ready.taskId()).isEqualTo(id);
        assertThat(ready.cost()).contains("15");
        assertThat(client.getTaskResult(id)).isInstanceOf(TaskResult.Ready.class);
    }

    @Test
    void aBadKeyIsRefused() {
        try (TurnpikeClient stranger = clientWith(server, "no-such-key", Duration.ofSeconds(5), new AtomicInteger())) {
            TurnpikeException balance = catchThrowableOfType(TurnpikeException.class, stranger::getBalance);
            TurnpikeException solve = catchThrowableOfType(TurnpikeException.class,
                    () -> stranger.solveTurnstile(SITE, SITEKEY, TurnstileOptions.none()));

            assertThat(balance.knownErrorCode()).contains(ErrorCode.ERROR_KEY_DOES_NOT_EXIST);
            assertThat(solve.knownErrorCode()).contains(ErrorCode.ERROR_KEY_DOES_NOT_EXIST);
            assertThat(solve.getMessage()).doesNotContain("no-such-key");
        }
    }

    @Test
    void zeroBalanceIsRefusedBeforeATaskExists() {
        try (TurnpikeClient poor = clientWith(server, server.createKey(0), Duration.ofSeconds(5), new AtomicInteger())) {
            TurnpikeException e = catchThrowableOfType(TurnpikeException.class,
                    () -> poor.solveTurnstile(SITE, SITEKEY, TurnstileOptions.none()));

            assertThat(e.knownErrorCode()).contains(ErrorCode.ERROR_ZERO_BALANCE);
            assertThat(e.taskId()).isEmpty();
        }
    }

    @Test
    void anUnsolvableTaskFailsWithItsIdAndCostsNothing() throws Exception {
        server.solver().then(FakeSolver.fail(FailReason.WIDGET_ERROR));

        TurnpikeException e = catchThrowableOfType(TurnpikeException.class,
                () -> client.solveTurnstile(SITE, SITEKEY, TurnstileOptions.none()));

        assertThat(e.knownErrorCode()).contains(ErrorCode.ERROR_CAPTCHA_UNSOLVABLE);
        assertThat(e.taskId()).isPresent();
        awaitBalance(client, "100");
    }

    @Test
    void theServersTimeoutReachesTheCaller() throws Exception {
        try (TestServer own = TestServer.builder().solver(FakeSolver.forAllTypes().byDefault(FakeSolver.block()))
                .start();
             TurnpikeClient waiting = clientWith(own, own.createKey(100), Duration.ofSeconds(20), new AtomicInteger())) {
            CompletableFuture<TurnstileSolution> future =
                    waiting.solveTurnstileAsync(SITE, SITEKEY, TurnstileOptions.none());
            own.solver().awaitStarted(1);

            own.advance(Duration.ofSeconds(121));

            CompletionException e = catchThrowableOfType(CompletionException.class, future::join);
            TurnpikeException timeout = (TurnpikeException) e.getCause();
            assertThat(timeout.knownErrorCode()).contains(ErrorCode.ERROR_TASK_TIMEOUT);
            assertThat(timeout.errorDescription()).contains("120"); // the server's words, not the client's
            awaitBalance(waiting, "100"); // the hold is released
        }
    }

    @Test
    void givingUpOnPollingNeverCreatesTheTaskAgain() throws Exception {
        try (TestServer own = TestServer.builder().solver(FakeSolver.forAllTypes().byDefault(FakeSolver.block()))
                .start()) {
            String ownKey = own.createKey(100);
            try (TurnpikeClient impatient = clientWith(own, ownKey, Duration.ofMillis(300), new AtomicInteger());
                 TurnpikeClient patient = clientWith(own, ownKey, Duration.ofSeconds(20), new AtomicInteger())) {
                TurnpikeException e = catchThrowableOfType(TurnpikeException.class,
                        () -> impatient.solveTurnstile(SITE, SITEKEY, TurnstileOptions.none()));

                assertThat(e.knownErrorCode()).contains(ErrorCode.ERROR_TASK_TIMEOUT);
                assertThat(e.errorDescription()).contains("not created again");
                assertThat(impatient.getBalance()).isEqualByComparingTo("85"); // exactly one task holds points
                assertThat(own.solver().calls()).isEqualTo(1);

                own.solver().release(1);
                TaskResult.Ready ready = patient.awaitResult(e.taskId().orElseThrow());
                assertThat(ready.turnstile().token()).isEqualTo(FakeSolver.TOKEN);
            }
        }
    }

    @Test
    void anUnknownTaskIsTaskIdInvalid() {
        TurnpikeException e = catchThrowableOfType(TurnpikeException.class,
                () -> client.getTaskResult(TaskId.of("123456789")));

        assertThat(e.knownErrorCode()).contains(ErrorCode.ERROR_TASKID_INVALID);
    }

    @Test
    void invalidFieldsAreNamed() {
        TurnpikeException e = catchThrowableOfType(TurnpikeException.class,
                () -> client.createTask(TurnstileTask.of(SITE, "not a sitekey!", TurnstileOptions.none())));

        assertThat(e.knownErrorCode()).contains(ErrorCode.ERROR_REQUIRED_FIELDS);
        assertThat(e.errorDescription()).contains("websiteKey");
    }

    @Test
    void cancellingTheFutureStopsPolling() throws Exception {
        AtomicInteger sleeps = new AtomicInteger();
        try (TestServer own = TestServer.builder().solver(FakeSolver.forAllTypes().byDefault(FakeSolver.block()))
                .start();
             TurnpikeClient polling = clientWith(own, own.createKey(100), Duration.ofSeconds(20), sleeps)) {
            CompletableFuture<TurnstileSolution> future =
                    polling.solveTurnstileAsync(SITE, SITEKEY, TurnstileOptions.none());
            own.solver().awaitStarted(1);
            while (sleeps.get() < 3) { // a few polls have been answered "processing"
                Thread.sleep(10);
            }

            assertThat(future.cancel(true)).isTrue();
            Thread.sleep(50); // lets a wait that ended just before the cancel be counted
            int afterCancel = sleeps.get();
            Thread.sleep(300); // fifteen poll intervals

            assertThat(sleeps.get()).isEqualTo(afterCancel);
            assertThat(catchThrowableOfType(CancellationException.class, future::join)).isNotNull();
            own.solver().release(1);
        }
    }

    /** The balance settles right after a task ends; waits a little for it rather than racing the server. */
    private static void awaitBalance(TurnpikeClient client, String expected) throws InterruptedException {
        BigDecimal want = new BigDecimal(expected);
        for (int i = 0; i < 100 && client.getBalance().compareTo(want) != 0; i++) {
            Thread.sleep(50);
        }
        assertThat(client.getBalance()).isEqualByComparingTo(want);
    }
}
