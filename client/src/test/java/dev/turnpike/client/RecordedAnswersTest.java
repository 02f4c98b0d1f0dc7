package dev.turnpike.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.turnpike.client.FakeService.Reply;
import dev.turnpike.protocol.ErrorCode;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Answers in the shapes the other services send (numbers as task ids, cookie lists, snake_case, missing and unknown
 * fields), as recorded from their documentation and clients.
 */
class RecordedAnswersTest {

    private static final String PROXY = "http://user:pass@10.1.1.1:3128";

    private FakeService service;
    private final FakeTime time = new FakeTime();
    private TurnpikeClient client;

    @BeforeEach
    void start() throws Exception {
        service = new FakeService();
        client = TurnpikeClient.builder().baseUrl(service.baseUrl()).clientKey("key-1").clock(time).sleeper(time)
                .requestTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterEach
    void stop() {
        client.close();
        service.close();
    }

    @Test
    void yesCaptchaTokenIsReadFromGRecaptchaResponse() {
        service.answer("createTask",
                        "{\"errorId\":0,\"errorCode\":\"\",\"errorDescription\":\"\",\"taskId\":\"61138bb6-19fb-11ec-a9c8-0242ac110006\"}")
                .answer("getTaskResult", "{\"errorId\":0,\"errorCode\":\"\",\"errorDescription\":\"\",\"status\":\"processing\"}",
                        "{\"errorId\":0,\"errorCode\":null,\"errorDescription\":null,\"status\":\"ready\","
                                + "\"solution\":{\"gRecaptchaResponse\":\"0.yes\"}}");

        TurnstileSolution solution = client.solveTurnstile("https://site.test/", "0x4AAA", TurnstileOptions.none());

        assertThat(solution.token()).isEqualTo("0.yes");
        assertThat(solution.userAgent()).isEmpty();
        assertThat(solution.taskId()).isEqualTo(TaskId.of("61138bb6-19fb-11ec-a9c8-0242ac110006"));
        assertThat(service.calls("getTaskResult").getFirst().body().get("taskId").asText())
                .isEqualTo("61138bb6-19fb-11ec-a9c8-0242ac110006");
    }

    @Test
    void antiCaptchaNumericTaskIdIsSentBackAsANumber() {
        service.answer("createTask", "{\"errorId\":0,\"taskId\":7654321}")
                .answer("getTaskResult", "{\"errorId\":0,\"status\":\"ready\",\"solution\":{\"token\":\"0.anti\","
                        + "\"userAgent\":\"UA-anti\"},\"cost\":\"0.00200\",\"ip\":\"46.98.54.221\",\"createTime\":1472205564,"
                        + "\"endTime\":1472205570,\"solveCount\":\"0\"}");

        TaskResult.Ready ready = client.solve(TurnstileTask.of("https://site.test/", "0x4AAA", TurnstileOptions.none()));

        assertThat(ready.taskId()).isEqualTo(TaskId.of(7654321));
        assertThat(service.calls("getTaskResult").getFirst().body().get("taskId").isIntegralNumber()).isTrue();
        assertThat(service.calls("getTaskResult").getFirst().body().get("taskId").longValue()).isEqualTo(7654321L);
        assertThat(ready.cost()).contains("0.00200");
        assertThat(ready.createTime()).contains(Instant.ofEpochSecond(1472205564));
        assertThat(ready.endTime()).contains(Instant.ofEpochSecond(1472205570));
        assertThat(ready.turnstile().userAgent()).contains("UA-anti");
    }

    @Test
    void capSolverCookieListAndSnakeCaseUserAgentAreRead() {
        service.answer("createTask", "{\"errorId\":0,\"taskId\":\"cs-1\"}")
                .answer("getTaskResult", "{\"errorId\":0,\"taskId\":\"cs-1\",\"status\":\"idle\"}",
                        "{\"errorId\":0,\"taskId\":\"cs-1\",\"status\":\"ready\",\"solution\":{"
                                + "\"cookies\":[{\"name\":\"cf_clearance\",\"value\":\"clr-cs\",\"domain\":\".site.test\"},"
                                + "{\"name\":\"__cf_bm\",\"value\":\"bm\"}],\"user_agent\":\"UA-cs\",\"proxy\":\"x\"}}");

        ChallengeSolution solution = client.solveChallenge("https://site.test/", PROXY, null);

        assertThat(solution.cookies()).containsExactly(Map.entry("cf_clearance", "clr-cs"), Map.entry("__cf_bm", "bm"));
        assertThat(solution.cfClearance()).contains("clr-cs");
        assertThat(solution.userAgent()).contains("UA-cs");
        assertThat(solution.cookieHeader()).isEqualTo("cf_clearance=clr-cs; __cf_bm=bm");
        assertThat(service.calls("getTaskResult")).hasSize(2);
    }

    @Test
    void ezCaptchaUserAgentIsReadFromTheHeaders() {
        service.answer("createTask", "{\"errorId\":0,\"errorCode\":\"\",\"errorDescription\":\"\",\"taskId\":\"ez-1\"}")
                .answer("getTaskResult", "{\"errorId\":0,\"errorCode\":\"\",\"errorDescription\":\"\",\"status\":\"ready\","
                        + "\"solution\":{\"cookies\":{\"cf_clearance\":\"clr-ez\"},\"header\":{\"User-Agent\":\"UA-ez\","
                        + "\"Accept-Language\":\"en-US\"},\"tlsVersion\":\"chrome120\",\"status\":200,"
                        + "\"url\":\"https://site.test/home\",\"body\":\"<html>ok</html>\",\"sToken\":null,\"token\":null}}");

        ChallengeSolution solution = client.solveChallenge("https://site.test/", PROXY,
                RqData.json(Map.of("name1", "value1")));

        assertThat(solution.userAgent()).contains("UA-ez");
        assertThat(solution.headers()).containsEntry("accept-language", "en-US").containsEntry("user-agent", "UA-ez");
        assertThat(solution.cfClearance()).contains("clr-ez");
        assertThat(solution.status()).isEqualTo(OptionalInt.of(200));
        assertThat(solution.url()).contains("https://site.test/home");
        assertThat(solution.body()).contains("<html>ok</html>");
    }

    @Test
    void capMonsterClearanceBesideTheCookiesJoinsThem() {
        service.answer("createTask", "{\"errorId\":0,\"taskId\":55}")
                .answer("getTaskResult", "{\"errorId\":0,\"status\":\"ready\",\"solution\":{\"cf_clearance\":\"clr-cm\","
                        + "\"userAgent\":\"UA-cm\"}}");

        ChallengeSolution solution = client.solveChallenge("https://site.test/", PROXY, null);

        assertThat(solution.cookies()).containsExactly(Map.entry("cf_clearance", "clr-cm"));
        assertThat(solution.cfClearance()).contains("clr-cm");
        assertThat(solution.taskId()).isEqualTo(TaskId.of(55));
    }

    @Test
    void missingFieldsAreEmptyAndUnknownOnesIgnored() {
        service.answer("createTask", "{\"taskId\":\"m-1\",\"extra\":{\"nested\":[1,2]}}")
                .answer("getTaskResult", "{\"solution\":{\"somethingElse\":true},\"bonus\":1}");

        ChallengeSolution solution = client.solveChallenge("https://site.test/", PROXY, null);

        assertThat(solution.cookies()).isEmpty();
        assertThat(solution.cfClearance()).isEmpty();
        assertThat(solution.userAgent()).isEmpty();
        assertThat(solution.headers()).isEmpty();
        assertThat(solution.status()).isEmpty();
        assertThat(solution.url()).isEmpty();
        assertThat(solution.body()).isEmpty();
    }

    @Test
    void aSolutionWithoutATokenIsABadAnswer() {
        service.answer("createTask", Answers.CREATED)
                .answer("getTaskResult", "{\"errorId\":0,\"status\":\"ready\",\"solution\":{\"token\":\"\"}}");

        TurnpikeException e = catchThrowableOfType(TurnpikeException.class,
                () -> client.solveTurnstile("https://site.test/", "0x4AAA", TurnstileOptions.none()));

        assertThat(e.errorCode()).isEqualTo(TurnpikeException.BAD_ANSWER);
        assertThat(e.taskId()).contains(TaskId.of("7304012290153"));
    }

    @Test
    void anErrorWithoutErrorCodeKeepsItsDescription() {
        service.answer("createTask", "{\"errorId\":1,\"errorDescription\":\"Account suspended\"}");

        TurnpikeException e = catchThrowableOfType(TurnpikeException.class,
                () -> client.solveTurnstile("https://site.test/", "0x4AAA", TurnstileOptions.none()));

        assertThat(e.errorCode()).isEmpty();
        assertThat(e.knownErrorCode()).isEmpty();
        assertThat(e.errorDescription()).isEqualTo("Account suspended");
        assertThat(e.getMessage()).contains("Account suspended");
    }

    @Test
    void anotherServicesErrorCodeIsKeptAsSent() {
        service.answer("createTask", "{\"errorId\":12,\"errorCode\":\"ERROR_IP_BLOCKED\",\"errorDescription\":\"Blocked\"}");

        TurnpikeException e = catchThrowableOfType(TurnpikeException.class,
                () -> client.createTask(ChallengeTask.of("https://site.test/", PROXY)));

        assertThat(e.errorCode()).isEqualTo("ERROR_IP_BLOCKED");
        assertThat(e.knownErrorCode()).isEmpty();
        assertThat(e.taskId()).isEmpty();
    }

    @Test
    void anErrorEnvelopeWithAnHttpErrorStatusIsTheServicesAnswer() {
        service.replies("createTask", new Reply(400,
                "{\"errorId\":1,\"errorCode\":\"ERROR_KEY_DOES_NOT_EXIST\",\"errorDescription\":\"bad key\"}"));

        TurnpikeException e = catchThrowableOfType(TurnpikeException.class,
                () -> client.createTask(ChallengeTask.of("https://site.test/", PROXY)));

        assertThat(e.knownErrorCode()).contains(ErrorCode.ERROR_KEY_DOES_NOT_EXIST);
        assertThat(service.calls("createTask")).hasSize(1);
    }

    @Test
    void balanceIsReadAsPointsDollarsOrText() {
        service.answer("getBalance", "{\"errorId\":0,\"balance\":1071810}", "{\"errorId\":0,\"balance\":1.5,\"packages\":[]}",
                "{\"errorId\":0,\"balance\":\"12.25\"}", "{\"errorId\":0,\"balance\":12.345678901234567891}");

        assertThat(client.getBalance()).isEqualByComparingTo("1071810");
        assertThat(client.getBalance()).isEqualByComparingTo("1.5");
        assertThat(client.getBalance()).isEqualByComparingTo("12.25");
        assertThat(client.getBalance()).isEqualByComparingTo("12.345678901234567891"); // no double rounding
    }

    @Test
    void anAnswerThatIsNotJsonIsABadAnswer() {
        service.replies("getBalance", new Reply(200, "<html>captive portal</html>"));

        TurnpikeException e = catchThrowableOfType(TurnpikeException.class, client::getBalance);

        assertThat(e.errorCode()).isEqualTo(TurnpikeException.BAD_ANSWER);
        assertThat(service.calls("getBalance")).hasSize(1);
    }

    @Test
    void createTaskWithoutATaskIdIsABadAnswer() {
        service.answer("createTask", "{\"errorId\":0,\"errorCode\":\"\",\"errorDescription\":\"\"}");

        TurnpikeException e = catchThrowableOfType(TurnpikeException.class,
                () -> client.createTask(ChallengeTask.of("https://site.test/", PROXY)));

        assertThat(e.errorCode()).isEqualTo(TurnpikeException.BAD_ANSWER);
    }

    @Test
    void aFailedStatusWithoutErrorIdIsAFailure() {
        service.answer("createTask", Answers.CREATED)
                .answer("getTaskResult", "{\"errorId\":0,\"status\":\"failed\",\"errorCode\":\"ERROR_CAPTCHA_UNSOLVABLE\"}");

        TurnpikeException e = catchThrowableOfType(TurnpikeException.class,
                () -> client.solveTurnstile("https://site.test/", "0x4AAA", TurnstileOptions.none()));

        assertThat(e.knownErrorCode()).contains(ErrorCode.ERROR_CAPTCHA_UNSOLVABLE);
        assertThat(service.calls("getTaskResult")).hasSize(1);
    }
}
