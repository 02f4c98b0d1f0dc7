package dev.turnpike.client;

import static dev.turnpike.client.Answers.CREATED;
import static dev.turnpike.client.Answers.TOKEN_READY;
import static dev.turnpike.client.Answers.UNAVAILABLE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.turnpike.client.FakeService.Reply;
import java.math.BigDecimal;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Bounded retries, and createTask sent again only when the service surely did not act on it. */
class RetryTest {

    private static final String BALANCE = "{\"errorId\":0,\"errorCode\":\"\",\"errorDescription\":\"\",\"balance\":1071810}";
    private static final ChallengeTask CHALLENGE = ChallengeTask.of("https://site.test/", "http://u:p@10.1.1.1:3128");

    private FakeService service;
    private final FakeTime time = new FakeTime();
    private TurnpikeClient client;

    @BeforeEach
    void start() throws Exception {
        service = new FakeService();
        client = clientFor(service.baseUrl());
    }

    @AfterEach
    void stop() {
        client.close();
        service.close();
    }

    private TurnpikeClient clientFor(URI baseUrl) {
        return TurnpikeClient.builder().baseUrl(baseUrl).clientKey("key-1").clock(time).sleeper(time)
                .requestTimeout(Duration.ofMillis(500)).build();
    }

    @Test
    void getBalanceIsRetriedAfter503WithDoublingBackoff() {
        service.replies("getBalance", new Reply(503, ""), new Reply(503, ""), Reply.json(BALANCE));

        assertThat(client.getBalance()).isEqualByComparingTo("1071810");
        assertThat(time.sleeps()).containsExactly(Duration.ofMillis(500), Duration.ofMillis(1000));
    }

    @Test
    void getBalanceGivesUpAfterTheBoundedRetries() {
        service.replies("getBalance", new Reply(502, "Bad Gateway"));

        TurnpikeException e = catchThrowableOfType(TurnpikeException.class, client::getBalance);

        assertThat(e.errorCode()).isEqualTo(TurnpikeException.TRANSPORT_ERROR);
        assertThat(e.errorDescription()).contains("HTTP 502");
        assertThat(service.calls("getBalance")).hasSize(1 + TurnpikeClient.DEFAULT_MAX_RETRIES);
        assertThat(time.sleeps()).containsExactly(Duration.ofMillis(500), Duration.ofMillis(1000),
                Duration.ofMillis(2000));
    }

    @Test
    void serviceUnavailableIsRetriedOnEveryCall() {
        service.answer("getBalance", UNAVAILABLE, BALANCE)
                .answer("createTask", UNAVAILABLE, CREATED)
                .answer("getTaskResult", UNAVAILABLE, TOKEN_READY);

        assertThat(client.getBalance()).isEqualByComparingTo(BigDecimal.valueOf(1071810));
        TaskId id = client.createTask(CHALLENGE);
        assertThat(client.getTaskResult(id)).isInstanceOf(TaskResult.Ready.class);
        assertThat(service.calls("createTask")).hasSize(2);
        assertThat(service.calls("getTaskResult")).hasSize(2);
    }

    @Test
    void serviceUnavailableAfterTheRetriesIsTheServiceError() {
        service.answer("getBalance", UNAVAILABLE);

        TurnpikeException e = catchThrowableOfType(TurnpikeException.class, client::getBalance);

        assertThat(e.errorCode()).isEqualTo("ERROR_SERVICE_UNAVALIABLE");
        assertThat(e.errorDescription()).isEqualTo("Service is overloaded");
    }

    @Test
    void createTaskIsSentAgainAfter429And503() {
        service.replies("createTask", new Reply(429, ""), new Reply(503, ""), Reply.json(CREATED));

        assertThat(client.createTask(CHALLENGE)).isEqualTo(TaskId.of("7304012290153"));
        assertThat(service.calls("createTask")).hasSize(3);
    }

    @Test
    void createTaskIsNotSentAgainAfterAReadTimeout() {
        service.on("createTask", call -> {
            service.closed.await(); // never answers while the test runs
            return Reply.json(CREATED);
        });

        TurnpikeException e = catchThrowableOfType(TurnpikeException.class, () -> client.createTask(CHALLENGE));

        assertThat(e.errorCode()).isEqualTo(TurnpikeException.TRANSPORT_ERROR);
        assertThat(e.errorDescription()).contains("may have been created");
        assertThat(service.calls("createTask")).hasSize(1);
        assertThat(time.sleeps()).isEmpty();
    }

    @Test
    void createTaskIsNotSentAgainAfterABadGateway() {
        service.replies("createTask", new Reply(502, ""), Reply.json(CREATED));

        TurnpikeException e = catchThrowableOfType(TurnpikeException.class, () -> client.createTask(CHALLENGE));

        assertThat(e.errorCode()).isEqualTo(TurnpikeException.TRANSPORT_ERROR);
        assertThat(service.calls("createTask")).hasSize(1);
    }

    @Test
    void createTaskIsSentAgainWhenTheConnectionIsRefused() throws Exception {
        URI closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = URI.create("http://127.0.0.1:" + socket.getLocalPort());
        }
        try (TurnpikeClient refused = clientFor(closedPort)) {
            TurnpikeException e = catchThrowableOfType(TurnpikeException.class, () -> refused.createTask(CHALLENGE));

            assertThat(e.errorCode()).isEqualTo(TurnpikeException.TRANSPORT_ERROR);
            assertThat(e.errorDescription()).contains("could not connect");
            assertThat(time.sleeps()).hasSize(TurnpikeClient.DEFAULT_MAX_RETRIES); // every attempt was made
        }
    }

    @Test
    void getTaskResultIsRetriedAfterAReadTimeout() {
        AtomicInteger seen = new AtomicInteger();
        service.on("getTaskResult", call -> {
            if (seen.getAndIncrement() == 0) {
                service.closed.await(); // the first answer is lost
            }
            return Reply.json(TOKEN_READY);
        });

        assertThat(client.getTaskResult(TaskId.of("7304012290153"))).isInstanceOf(TaskResult.Ready.class);
        assertThat(service.calls("getTaskResult")).hasSize(2);
    }

    @Test
    void zeroRetriesTurnsRetryingOff() {
        service.replies("getBalance", new Reply(503, ""), Reply.json(BALANCE));
        TurnpikeClient once = TurnpikeClient.builder().baseUrl(service.baseUrl()).clientKey("key-1").clock(time)
                .sleeper(time).maxRetries(0).build();

        catchThrowableOfType(TurnpikeException.class, once::getBalance);

        assertThat(service.calls("getBalance")).hasSize(1);
    }
}
