package dev.turnpike.client;

import static dev.turnpike.client.Answers.CREATED;
import static dev.turnpike.client.Answers.PROCESSING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.turnpike.protocol.ErrorCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every error Turnpike answers (PROTOCOL.md §3, §7) reaches the caller typed, and is never retried. */
class ErrorAnswersTest {

    private FakeService service;
    private final FakeTime time = new FakeTime();
    private TurnpikeClient client;

    @BeforeEach
    void start() throws Exception {
        service = new FakeService();
        client = TurnpikeClient.builder().baseUrl(service.baseUrl()).clientKey("key-1").clock(time).sleeper(time)
                .build();
    }

    @AfterEach
    void stop() {
        client.close();
        service.close();
    }

    @Test
    void aBadKeyIsKeyDoesNotExist() {
        service.answer("getBalance", Answers.error("ERROR_KEY_DOES_NOT_EXIST", "Account authorization key not found"));

        TurnpikeException e = catchThrowableOfType(TurnpikeException.class, client::getBalance);

        assertThat(e.knownErrorCode()).contains(ErrorCode.ERROR_KEY_DOES_NOT_EXIST);
        assertThat(e.errorDescription()).isEqualTo("Account authorization key not found");
        assertThat(e.getMessage()).doesNotContain("key-1");
        assertThat(service.calls("getBalance")).hasSize(1);
    }

    @Test
    void zeroBalanceFailsTheSolveBeforeAnyPoll() {
        service.answer("createTask", Answers.error("ERROR_ZERO_BALANCE", "Not enough points"));

        TurnpikeException e = catchThrowableOfType(TurnpikeException.class,
                () -> client.solveTurnstile("https://site.test/", "0x4AAA", TurnstileOptions.none()));

        assertThat(e.knownErrorCode()).contains(ErrorCode.ERROR_ZERO_BALANCE);
        assertThat(e.taskId()).isEmpty();
        assertThat(service.calls("createTask")).hasSize(1);
        assertThat(service.calls("getTaskResult")).isEmpty();
    }

    @Test
    void anUnsolvableTaskStopsThePollingWithItsTaskId() {
        service.answer("createTask", CREATED).answer("getTaskResult", PROCESSING,
                "{\"errorId\":1,\"errorCode\":\"ERROR_CAPTCHA_UNSOLVABLE\",\"errorDescription\":\"gave up\","
                        + "\"taskId\":\"7304012290153\"}");

        TurnpikeException e = catchThrowableOfType(TurnpikeException.class,
                () -> client.solveTurnstile("https://site.test/", "0x4AAA", TurnstileOptions.none()));

        assertThat(e.knownErrorCode()).contains(ErrorCode.ERROR_CAPTCHA_UNSOLVABLE);
        assertThat(e.taskId()).contains(TaskId.of("7304012290153"));
        assertThat(service.calls("getTaskResult")).hasSize(2);
    }

    @Test
    void theServersTimeoutIsReportedAsSent() {
        service.answer("createTask", CREATED).answer("getTaskResult",
                Answers.error("ERROR_TASK_TIMEOUT", "not solved within 120 s"));

        TurnpikeException e = catchThrowableOfType(TurnpikeException.class,
                () -> client.solveChallenge("https://site.test/", "http://u:p@10.1.1.1:3128", null));

        assertThat(e.knownErrorCode()).contains(ErrorCode.ERROR_TASK_TIMEOUT);
        assertThat(e.errorDescription()).isEqualTo("not solved within 120 s");
        assertThat(service.calls("createTask")).hasSize(1);
    }

    @Test
    void anUnknownTaskIsTaskIdInvalid() {
        service.answer("getTaskResult", Answers.error("ERROR_TASKID_INVALID", "Task ID does not exist or has expired"));

        TurnpikeException e = catchThrowableOfType(TurnpikeException.class,
                () -> client.getTaskResult(TaskId.of("42")));

        assertThat(e.knownErrorCode()).contains(ErrorCode.ERROR_TASKID_INVALID);
        assertThat(e.taskId()).contains(TaskId.of("42"));
        assertThat(service.calls("getTaskResult")).hasSize(1);
    }

    @Test
    void requiredFieldsNameTheFields() {
        service.answer("createTask", Answers.error("ERROR_REQUIRED_FIELDS", "Please check the following fields: proxy"));

        TurnpikeException e = catchThrowableOfType(TurnpikeException.class,
                () -> client.createTask(ChallengeTask.of("https://site.test/", "nonsense")));

        assertThat(e.knownErrorCode()).contains(ErrorCode.ERROR_REQUIRED_FIELDS);
        assertThat(e.errorDescription()).endsWith("proxy");
    }
}
