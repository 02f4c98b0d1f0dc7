package dev.turnpike.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import dev.turnpike.server.net.HostResolver;
import dev.turnpike.server.net.ProxySpec;
import dev.turnpike.server.net.ProxySpec.Scheme;
import dev.turnpike.server.task.FailReason;
import dev.turnpike.server.task.TaskId;
import dev.turnpike.server.task.TaskSpec;
import dev.turnpike.server.task.TaskType;
import dev.turnpike.server.testing.ApiClient;
import dev.turnpike.server.testing.ApiClient.Answer;
import dev.turnpike.server.testing.FakeSolver;
import dev.turnpike.server.testing.TestServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** PROTOCOL.md §1–§7 over HTTP against a running server with a fake solver. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProtocolConformanceTest {

    private static final String TURNSTILE = """
            {"type":"TurnstileTaskProxyless","websiteURL":"https://site.example/login","websiteKey":"0x4AAAAAAAB"}""";

    private TestServer server;
    private ApiClient api;
    private String key;

    @BeforeAll
    void start() throws Exception {
        // localhost is allowed by name and, like every name, resolved by the injected resolver alone.
        HostResolver fake = TestServer.fakeResolver();
        server = TestServer.builder().setting("net.allowHosts", "localhost")
                .resolver(host -> host.equals("localhost") ? List.of(InetAddress.getLoopbackAddress()) : fake.resolve(host))
                .start();
        api = server.client();
    }

    @AfterAll
    void stop() {
        server.close();
    }

    @BeforeEach
    void freshKey() {
        key = server.createKey(1000);
    }

    // --- helpers --------------------------------------------------------------------------------------------

    private JsonNode post(String method, String json) {
        Answer a = api.send(method, json);
        assertThat(a.status()).as("HTTP status of %s", method).isEqualTo(200);
        assertThat(a.json()).as("JSON answer of %s: %s", method, a.text()).isNotNull();
        return a.json();
    }

    private JsonNode createTask(String taskJson) {
        return post("createTask", "{\"clientKey\":\"" + key + "\",\"task\":" + taskJson + "}");
    }

    private String createdId(String taskJson) {
        JsonNode answer = createTask(taskJson);
        assertOk(answer);
        return answer.get("taskId").textValue();
    }

    private JsonNode result(String taskId) {
        return post("getTaskResult", "{\"clientKey\":\"" + key + "\",\"taskId\":\"" + taskId + "\"}");
    }

    private JsonNode awaitEnd(String taskId) throws Exception {
        server.standalone().tasks().find(new TaskId(Long.parseLong(taskId))).ended().get(30, TimeUnit.SECONDS);
        return result(taskId);
    }

    private TaskSpec solvedSpec(String taskJson) throws Exception {
        String id = createdId(taskJson);
        assertOk(awaitEnd(id));
        return server.standalone().tasks().find(new TaskId(Long.parseLong(id))).spec();
    }

    private static void assertOk(JsonNode answer) {
        assertThat(answer.get("errorId").intValue()).as("%s", answer).isZero();
        assertThat(answer.get("errorCode").textValue()).isEmpty();
        assertThat(answer.get("errorDescription").textValue()).isEmpty();
    }

    private static void assertError(JsonNode answer, String code) {
        assertThat(answer.get("errorId").intValue()).as("%s", answer).isEqualTo(1);
        assertThat(answer.get("errorCode").textValue()).as("%s", answer).isEqualTo(code);
        assertThat(answer.get("errorDescription").textValue()).isNotBlank();
        assertThat(answer.has("status")).as("an error has no status: %s", answer).isFalse();
    }

    // --- §3.1 createTask, §3.2 getTaskResult ------------------------------------------------------------------

    @Test
    void createTaskAnswersADigitStringIdAndNoStatus() {
        JsonNode answer = createTask(TURNSTILE);
        assertOk(answer);
        assertThat(answer.get("taskId").isTextual()).isTrue();
        assertThat(answer.get("taskId").textValue()).matches("[0-9]+");
        assertThat(Long.parseLong(answer.get("taskId").textValue())).isLessThan(1L << 53);
        assertThat(answer.has("status")).isFalse();
        assertThat(List.of(answer.fieldNames()).toString()).isNotNull();
    }

    @Test
    void readyTaskCarriesSolutionCostAndTimes() throws Exception {
        String id = createdId(TURNSTILE);
        JsonNode r = awaitEnd(id);
        assertOk(r);
        assertThat(r.get("status").textValue()).isEqualTo("ready");
        assertThat(r.get("solution").get("token").textValue()).isEqualTo(FakeSolver.TOKEN);
        assertThat(r.get("solution").get("gRecaptchaResponse").textValue()).isEqualTo(FakeSolver.TOKEN);
        assertThat(r.get("solution").get("userAgent").textValue()).isEqualTo(FakeSolver.USER_AGENT);
        assertThat(r.get("taskId").textValue()).isEqualTo(id);
        assertThat(r.get("cost").textValue()).isEqualTo("15");
        assertThat(r.get("createTime").isIntegralNumber()).isTrue();
        assertThat(r.get("endTime").longValue()).isGreaterThanOrEqualTo(r.get("createTime").longValue());
        assertThat(server.balance(key)).isEqualTo(1000 - 15);
    }

    @Test
    void unsolvedTaskIsProcessing() throws Exception {
        server.solver().then(FakeSolver.block());
        String id = createdId(TURNSTILE);
        server.solver().awaitStarted(1);
        JsonNode r = result(id);
        assertOk(r);
        assertThat(r.get("status").textValue()).isEqualTo("processing");
        assertThat(r.has("solution")).isFalse();
        assertThat(server.balance(key)).as("the price is held while it runs").isEqualTo(1000 - 15);
        server.solver().release(1);
        assertThat(awaitEnd(id).get("status").textValue()).isEqualTo("ready");
    }

    @Test
    void taskIdIsAcceptedAsStringOrNumber() throws Exception {
        String id = createdId(TURNSTILE);
        awaitEnd(id);
        assertOk(post("getTaskResult", "{\"clientKey\":\"" + key + "\",\"taskId\":" + id + "}"));
        assertOk(post("getTaskResult", "{\"clientKey\":\"" + key + "\",\"taskId\":\"" + id + "\"}"));
    }

    @Test
    void failedTaskIsAnErrorWithTaskIdAndThePointsAreReleased() throws Exception {
        server.solver().then(FakeSolver.fail(FailReason.WIDGET_ERROR));
        String id = createdId(TURNSTILE);
        JsonNode r = awaitEnd(id);
        assertError(r, "ERROR_CAPTCHA_UNSOLVABLE");
        assertThat(r.get("taskId").textValue()).isEqualTo(id);
        assertThat(server.balance(key)).isEqualTo(1000);
    }

    static Stream<Arguments> failureCodes() {
        return Stream.of(Arguments.of(FailReason.PROXY_REFUSED, "ERROR_PROXY_CONNECT_REFUSED"),
                Arguments.of(FailReason.PROXY_CONNECT_TIMEOUT, "ERROR_PROXY_CONNECT_TIMEOUT"),
                Arguments.of(FailReason.PROXY_READ_TIMEOUT, "ERROR_PROXY_READ_TIMEOUT"),
                Arguments.of(FailReason.PROXY_NOT_AUTHORISED, "ERROR_PROXY_NOT_AUTHORISED"),
                Arguments.of(FailReason.PROXY_BANNED, "ERROR_PROXY_BANNED"),
                Arguments.of(FailReason.BLOCKED, "ERROR_CAPTCHA_UNSOLVABLE"),
                Arguments.of(FailReason.INTERNAL, "ERROR_INTERNAL_SERVER_ERROR"));
    }

    @ParameterizedTest
    @MethodSource("failureCodes")
    void everyFailReasonMapsToItsCode(FailReason reason, String code) throws Exception {
        server.solver().then(FakeSolver.fail(reason));
        assertError(awaitEnd(createdId(TURNSTILE)), code);
    }

    @Test
    void aBrokenSolverIsAnInternalError() throws Exception {
        server.solver().then(new FakeSolver.Outcome.Fail(FailReason.INTERNAL, "boom"));
        assertError(awaitEnd(createdId(TURNSTILE)), "ERROR_INTERNAL_SERVER_ERROR");
    }

    @Test
    void aCrashedBrowserIsRetriedOnce() throws Exception {
        int before = server.solver().calls();
        server.solver().then(FakeSolver.fail(FailReason.BROWSER_CRASHED));
        assertOk(awaitEnd(createdId(TURNSTILE)));
        assertThat(server.solver().calls() - before).isEqualTo(2);
        server.solver().then(FakeSolver.fail(FailReason.BROWSER_CRASHED), FakeSolver.fail(FailReason.BROWSER_CRASHED));
        assertError(awaitEnd(createdId(TURNSTILE)), "ERROR_CAPTCHA_UNSOLVABLE");
    }

    @Test
    void anotherKeysTaskIsInvalid() throws Exception {
        String id = createdId(TURNSTILE);
        awaitEnd(id);
        String other = server.createKey(10);
        JsonNode r = post("getTaskResult", "{\"clientKey\":\"" + other + "\",\"taskId\":\"" + id + "\"}");
        assertError(r, "ERROR_TASKID_INVALID");
        assertThat(r.get("errorDescription").textValue()).isEqualTo("Task ID does not exist or has expired");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"1\"", "\"abc\"", "-4", "{}", "[]", "true", "null", "\"\"", "9007199254740993", "1.5"})
    void unknownOrMalformedTaskIdsAreInvalid(String taskId) {
        assertError(post("getTaskResult", "{\"clientKey\":\"" + key + "\",\"taskId\":" + taskId + "}"), "ERROR_TASKID_INVALID");
    }

    @Test
    void missingTaskIdIsInvalid() {
        assertError(post("getTaskResult", "{\"clientKey\":\"" + key + "\"}"), "ERROR_TASKID_INVALID");
    }

    // --- §3.1 validation order and error codes ----------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"not json", "{\"clientKey\":", "[1,2]", "\"text\"", "42", "{} trailing", "{\"a\":1}{\"b\":2}"})
    void malformedBodiesAreBadRequests(String body) {
        assertError(post("createTask", body), "ERROR_BAD_REQUEST");
        assertError(post("getTaskResult", body), "ERROR_BAD_REQUEST");
    }

    @Test
    void anEmptyBodyIsABadRequest() {
        assertError(post("getBalance", ""), "ERROR_BAD_REQUEST");
    }

    @Test
    void aClientKeyOfTheWrongTypeIsABadRequest() {
        assertError(post("createTask", "{\"clientKey\":12345,\"task\":" + TURNSTILE + "}"), "ERROR_BAD_REQUEST");
    }

    @Test
    void unknownMissingOrRevokedKeysDoNotExist() {
        assertError(post("createTask", "{\"clientKey\":\"0123456789abcdef0123456789abcdef\",\"task\":" + TURNSTILE + "}"),
                "ERROR_KEY_DOES_NOT_EXIST");
        assertError(post("createTask", "{\"task\":" + TURNSTILE + "}"), "ERROR_KEY_DOES_NOT_EXIST");
        assertError(post("getBalance", "{\"clientKey\":\"\"}"), "ERROR_KEY_DOES_NOT_EXIST");
        server.standalone().accounts().revoke(key);
        assertError(createTask(TURNSTILE), "ERROR_KEY_DOES_NOT_EXIST");
        assertError(post("getBalance", "{\"clientKey\":\"" + key + "\"}"), "ERROR_KEY_DOES_NOT_EXIST");
    }

    @Test
    void theKeyComesFirstInTheValidationOrder() {
        assertError(post("createTask", "{\"clientKey\":\"nope\"}"), "ERROR_KEY_DOES_NOT_EXIST");
        assertError(post("getTaskResult", "{\"clientKey\":\"nope\",\"taskId\":\"1\"}"), "ERROR_KEY_DOES_NOT_EXIST");
    }

    @Test
    void theApiKeyHeaderIsAFallback() {
        Answer a = api.send("POST", "getBalance", "{}", key);
        assertOk(a.json());
        assertThat(a.json().get("balance").longValue()).isEqualTo(1000);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ",\"task\":null", ",\"task\":\"TurnstileTaskProxyless\"", ",\"task\":[]"})
    void aMissingTaskIsAbsent(String task) {
        assertError(post("createTask", "{\"clientKey\":\"" + key + "\"" + task + "}"), "ERROR_TASK_ABSENT");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"type\":\"RecaptchaV2Task\",\"websiteURL\":\"https://site.example\"}", "{}", "{\"type\":7}",
            "{\"type\":\"\"}"})
    void unknownTypesAreNotSupported(String task) {
        assertError(createTask(task), "ERROR_TASK_NOT_SUPPORTED");
    }

    @Test
    void requiredFieldsAreNamedTogether() {
        JsonNode r = createTask("{\"type\":\"TurnstileTaskProxyless\"}");
        assertError(r, "ERROR_REQUIRED_FIELDS");
        assertThat(r.get("errorDescription").textValue()).isEqualTo("Please check the following fields: websiteURL, websiteKey");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"type\":\"TurnstileTaskProxyless\",\"websiteURL\":\"ftp://site.example\",\"websiteKey\":\"0x4AAAAAAAB\"}|websiteURL",
            "{\"type\":\"TurnstileTaskProxyless\",\"websiteURL\":\"site.example\",\"websiteKey\":\"0x4AAAAAAAB\"}|websiteURL",
            "{\"type\":\"TurnstileTaskProxyless\",\"websiteURL\":42,\"websiteKey\":\"0x4AAAAAAAB\"}|websiteURL",
            "{\"type\":\"TurnstileTaskProxyless\",\"websiteURL\":\"https://site.example\",\"websiteKey\":\"x y\"}|websiteKey",
            "{\"type\":\"TurnstileTaskProxyless\",\"websiteURL\":\"https://site.example\",\"websiteKey\":\"ab\"}|websiteKey",
            "{\"type\":\"TurnstileTaskProxyless\",\"websiteURL\":\"https://site.example\",\"websiteKey\":\"0x4AAAAAAAB\",\"action\":\"no spaces\"}|action",
            "{\"type\":\"TurnstileTaskProxyless\",\"websiteURL\":\"https://site.example\",\"websiteKey\":\"0x4AAAAAAAB\",\"metadata\":{\"cdata\":\"a&b\"}}|metadata.cdata",
            "{\"type\":\"TurnstileTaskProxyless\",\"websiteURL\":\"https://site.example\",\"websiteKey\":\"0x4AAAAAAAB\",\"userAgent\":5}|userAgent",
            "{\"type\":\"CloudFlare5STask\",\"websiteURL\":\"https://site.example\"}|proxy",
            "{\"type\":\"CloudFlare5STask\",\"websiteURL\":\"https://site.example\",\"proxy\":\"http://203.0.113.5:3128\"}|proxy",
            "{\"type\":\"CloudFlare5STask\",\"websiteURL\":\"https://site.example\",\"proxy\":\"garbage\"}|proxy",
            "{\"type\":\"CloudFlare5STask\",\"websiteURL\":\"https://site.example\",\"proxy\":{\"a\":1}}|proxy",
            "{\"type\":\"CloudFlare5STask\",\"websiteURL\":\"https://site.example\",\"proxyType\":\"http\",\"proxyAddress\":\"203.0.113.5\",\"proxyPort\":{},\"proxyLogin\":\"u\",\"proxyPassword\":\"p\"}|proxy",
            "{\"type\":\"CloudFlare5STask\",\"websiteURL\":\"https://site.example\",\"proxy\":\"http://u:p@203.0.113.5:3128\",\"rqData\":{\"mode\":\"XML\"}}|rqData.mode",
            "{\"type\":\"CloudFlare5STask\",\"websiteURL\":\"https://site.example\",\"proxy\":\"http://u:p@203.0.113.5:3128\",\"rqData\":\"x\"}|rqData",
            "{\"type\":\"TurnstileTask\",\"cloudflareTaskType\":\"other\",\"websiteURL\":\"https://site.example\",\"websiteKey\":\"0x4AAAAAAAB\"}|cloudflareTaskType"})
    void invalidFieldsAreNamed(String caseText) {
        String[] parts = caseText.split("\\|");
        JsonNode r = createTask(parts[0]);
        assertError(r, "ERROR_REQUIRED_FIELDS");
        assertThat(r.get("errorDescription").textValue()).isEqualTo("Please check the following fields: " + parts[1]);
    }

    @Test
    void tooFewPointsIsZeroBalance() {
        key = server.createKey(14);
        JsonNode r = createTask(TURNSTILE);
        assertError(r, "ERROR_ZERO_BALANCE");
        assertThat(server.balance(key)).isEqualTo(14);
    }

    @Test
    void fieldsAreCheckedBeforePoints() {
        key = server.createKey(0);
        assertError(createTask("{\"type\":\"TurnstileTaskProxyless\"}"), "ERROR_REQUIRED_FIELDS");
        assertError(createTask("{\"type\":\"TurnstileTaskProxyless\",\"websiteURL\":\"https://private.test\",\"websiteKey\":\"0x4AAAAAAAB\"}"),
                "ERROR_BAD_REQUEST");
        assertError(createTask(TURNSTILE), "ERROR_ZERO_BALANCE");
    }

    // --- §1 transport ------------------------------------------------------------------------------------------

    @Test
    void unknownMethodsAnswerNoSuchMethodWithStatus200() {
        assertError(post("createTaskk", "{}"), "ERROR_NO_SUCH_METHOD");
        assertError(post("CreateTask", "{\"clientKey\":\"" + key + "\"}"), "ERROR_NO_SUCH_METHOD");
        Answer get = api.send("GET", "getBalance", null, null);
        assertThat(get.status()).isEqualTo(200);
        assertError(get.json(), "ERROR_NO_SUCH_METHOD");
    }

    @Test
    void aTrailingSlashIsAccepted() {
        assertOk(post("getBalance/", "{\"clientKey\":\"" + key + "\"}"));
    }

    @Test
    void answersAreJsonUtf8() throws Exception {
        var http = java.net.http.HttpClient.newHttpClient();
        var response = http.send(java.net.http.HttpRequest.newBuilder(server.baseUrl().resolve("/getBalance"))
                        .header("Content-Type", "text/plain")
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"clientKey\":\"" + key + "\"}")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(response.headers().firstValue("Content-Type")).contains("application/json; charset=utf-8");
        assertThat(ApiClient.mapper().readTree(response.body()).get("balance").longValue()).isEqualTo(1000);
    }

    @Test
    void aBodyOverTheLimitIs413() {
        String big = "{\"clientKey\":\"" + key + "\",\"pad\":\"" + "x".repeat(64 * 1024) + "\"}";
        assertThat(api.send("createTask", big).status()).isEqualTo(413);
        String fits = "{\"clientKey\":\"" + key + "\",\"pad\":\"" + "x".repeat(60 * 1024) + "\"}";
        assertOk(post("getBalance", fits));
    }

    @Test
    void aChunkedBodyOverTheLimitIs413() throws Exception {
        byte[] big = ("{\"clientKey\":\"" + key + "\",\"pad\":\"" + "x".repeat(70 * 1024) + "\"}").getBytes();
        var http = java.net.http.HttpClient.newHttpClient();
        var response = http.send(java.net.http.HttpRequest.newBuilder(server.baseUrl().resolve("/getBalance"))
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(big))).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(413);
    }

    @Test
    void unknownFieldsAreIgnored() throws Exception {
        String id = post("createTask", "{\"clientKey\":\"" + key + "\",\"softId\":123,\"languagePool\":\"en\",\"task\":"
                + "{\"type\":\"TurnstileTaskProxyless\",\"websiteURL\":\"https://site.example\",\"websiteKey\":\"0x4AAAAAAAB\",\"appId\":\"x\",\"softID\":7}}")
                .get("taskId").textValue();
        assertOk(awaitEnd(id));
    }

    // --- §4 task types, aliases and spellings -----------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"TurnstileTaskProxyless", "turnstiletaskproxyless", "TURNSTILETASKPROXYLESS", "AntiTurnstileTaskProxyLess",
            "CloudFlareTurnstileTask", "TurnstileTask"})
    void turnstileAliases(String type) throws Exception {
        TaskSpec spec = solvedSpec("{\"type\":\"" + type + "\",\"websiteURL\":\"https://site.example\",\"websiteKey\":\"0x4AAAAAAAB\"}");
        assertThat(spec).isInstanceOf(TaskSpec.Turnstile.class);
        assertThat(spec.type()).isEqualTo(TaskType.TURNSTILE_PROXYLESS);
        assertThat(((TaskSpec.Turnstile) spec).proxy()).isNull();
    }

    @Test
    void m1IsItsOwnTypeAndPrice() throws Exception {
        String id = createdId("{\"type\":\"TurnstileTaskProxylessM1\",\"websiteURL\":\"https://site.example\",\"websiteKey\":\"0x4AAAAAAAB\"}");
        JsonNode r = awaitEnd(id);
        assertThat(r.get("cost").textValue()).isEqualTo("30");
        assertThat(server.standalone().tasks().find(new TaskId(Long.parseLong(id))).type()).isEqualTo(TaskType.TURNSTILE_PROXYLESS_M1);
    }

    @Test
    void capMonsterTurnstileTaskWithProxyGoesThroughIt() throws Exception {
        TaskSpec.Turnstile spec = (TaskSpec.Turnstile) solvedSpec("""
                {"type":"TurnstileTask","cloudflareTaskType":"token","websiteURL":"https://site.example","websiteKey":"0x4AAAAAAAB",
                 "proxyType":"http","proxyAddress":"203.0.113.5","proxyPort":8080,"proxyLogin":"u","proxyPassword":"p"}""");
        assertThat(spec.proxy()).isEqualTo(new ProxySpec(Scheme.HTTP, "203.0.113.5", 8080, "u", "p"));
    }

    static Stream<Arguments> spellings() {
        return Stream.of(
                Arguments.of("\"action\":\"login\"", "login", null, null),
                Arguments.of("\"pageAction\":\"login\"", "login", null, null),
                Arguments.of("\"metadata\":{\"action\":\"Login\"}", "Login", null, null),
                Arguments.of("\"rqData\":{\"metadataAction\":\"login\"}", "login", null, null),
                Arguments.of("\"cData\":\"abc=\"", null, "abc=", null),
                Arguments.of("\"turnstileCData\":\"abc\"", null, "abc", null),
                Arguments.of("\"data\":\"abc\"", null, "abc", null),
                Arguments.of("\"metadata\":{\"cdata\":\"abc\"}", null, "abc", null),
                Arguments.of("\"rqData\":{\"metadataCdata\":\"abc\"}", null, "abc", null),
                Arguments.of("\"chlPageData\":\"opaque+/\"", null, null, "opaque+/"),
                Arguments.of("\"pagedata\":\"opaque\"", null, null, "opaque"),
                Arguments.of("\"pageData\":\"opaque\"", null, null, "opaque"));
    }

    @ParameterizedTest
    @MethodSource("spellings")
    void everySpellingOfTheOptionalFields(String field, String action, String cData, String pageData) throws Exception {
        TaskSpec.Turnstile spec = (TaskSpec.Turnstile) solvedSpec(
                "{\"type\":\"TurnstileTaskProxyless\",\"websiteURL\":\"https://site.example\",\"websiteKey\":\"0x4AAAAAAAB\","
                        + field + ",\"userAgent\":\"UA/1\"}");
        assertThat(spec.action()).isEqualTo(action);
        assertThat(spec.cData()).isEqualTo(cData);
        assertThat(spec.chlPageData()).isEqualTo(pageData);
        assertThat(spec.userAgent()).isEqualTo("UA/1");
    }

    static Stream<Arguments> challengeTasks() {
        String base = "\"websiteURL\":\"https://site.example/p\"";
        ProxySpec userPass = new ProxySpec(Scheme.HTTP, "203.0.113.5", 3128, "user", "pass");
        return Stream.of(
                Arguments.of("{\"type\":\"CloudFlare5STask\"," + base + ",\"proxy\":\"http://user:pass@203.0.113.5:3128\"}", userPass),
                Arguments.of("{\"type\":\"cloudflare5stask\"," + base + ",\"proxy\":\"user:pass@203.0.113.5:3128\"}", userPass),
                Arguments.of("{\"type\":\"AntiCloudflareTask\"," + base + ",\"proxy\":\"203.0.113.5:3128:user:pass\"}", userPass),
                Arguments.of("{\"type\":\"CloudFlare5STask\"," + base + ",\"proxy\":\"socks5:203.0.113.5:1080:user:pass\"}",
                        new ProxySpec(Scheme.SOCKS5, "203.0.113.5", 1080, "user", "pass")),
                Arguments.of("{\"type\":\"CloudFlare5STask\"," + base + ",\"proxy\":\"socks5://user:pass@proxy.example:1080\"}",
                        new ProxySpec(Scheme.SOCKS5, "proxy.example", 1080, "user", "pass")),
                Arguments.of("{\"type\":\"CloudFlare5STask\"," + base + ",\"proxyType\":\"https\",\"proxyAddress\":\"203.0.113.5\","
                        + "\"proxyPort\":\"3128\",\"proxyLogin\":\"user\",\"proxyPassword\":\"pass\"}",
                        new ProxySpec(Scheme.HTTPS, "203.0.113.5", 3128, "user", "pass")),
                Arguments.of("{\"type\":\"TurnstileTask\",\"cloudflareTaskType\":\"cf_clearance\"," + base
                        + ",\"htmlPageBase64\":\"PGh0bWw+\",\"userAgent\":\"UA/2\",\"proxyType\":\"http\",\"proxyAddress\":\"203.0.113.5\","
                        + "\"proxyPort\":3128,\"proxyLogin\":\"user\",\"proxyPassword\":\"pass\"}", userPass));
    }

    @ParameterizedTest
    @MethodSource("challengeTasks")
    void challengeAliasesAndProxyForms(String task, ProxySpec proxy) throws Exception {
        String id = createdId(task);
        JsonNode r = awaitEnd(id);
        assertOk(r);
        assertThat(r.get("cost").textValue()).isEqualTo("20");
        JsonNode solution = r.get("solution");
        assertThat(solution.get("cf_clearance").textValue()).isEqualTo("fake-clearance");
        assertThat(solution.get("cookies").get("cf_clearance").textValue()).isEqualTo("fake-clearance");
        assertThat(solution.get("header").get("user-agent").textValue()).isEqualTo(FakeSolver.USER_AGENT);
        assertThat(solution.has("sToken")).isTrue();
        assertThat(solution.get("token").isNull()).isTrue();
        TaskSpec.Challenge spec = (TaskSpec.Challenge) server.standalone().tasks().find(new TaskId(Long.parseLong(id))).spec();
        assertThat(spec.proxy()).isEqualTo(proxy);
    }

    @Test
    void rqDataKeepsModeFieldsAndJsonTypes() throws Exception {
        TaskSpec.Challenge form = (TaskSpec.Challenge) solvedSpec("""
                {"type":"CloudFlare5STask","websiteURL":"https://site.example","proxy":"http://u:p@203.0.113.5:1",
                 "rqData":{"mode":"FORM","name1":"value1","name2":123456}}""");
        assertThat(form.rqData().mode()).isEqualTo(TaskSpec.RqData.Mode.FORM);
        assertThat(form.rqData().fields()).containsExactly(Map.entry("name1", "value1"), Map.entry("name2", 123456));
        TaskSpec.Challenge json = (TaskSpec.Challenge) solvedSpec("""
                {"type":"CloudFlare5STask","websiteURL":"https://site.example","proxy":"http://u:p@203.0.113.5:1",
                 "rqData":{"b":true,"list":[1,"x"],"n":null}}""");
        assertThat(json.rqData().mode()).isEqualTo(TaskSpec.RqData.Mode.JSON);
        Iterator<String> names = json.rqData().fields().keySet().iterator();
        assertThat(List.of(names.next(), names.next(), names.next())).containsExactly("b", "list", "n");
        assertThat(json.rqData().fields().get("list")).isEqualTo(List.of(1, "x"));
    }

    /**
     * A URL a browser takes (and a client copies from its address bar) is taken as the browser sends it: a space,
     * {@code | ^ { } "}, {@code [ ]} in the path, a stray {@code %} or a second {@code #} percent-encoded, a backslash
     * in the path a slash, tabs and newlines dropped.
     */
    @ParameterizedTest
    @CsvSource(delimiter = '>', quoteCharacter = '\'', value = {
            "'https://site.example/search?q=a b' > 'https://site.example/search?q=a%20b'",
            "'https://site.example/?a=1|2&b={x}&c=\"y\"' > 'https://site.example/?a=1%7C2&b=%7Bx%7D&c=%22y%22'",
            "'https://site.example/p[1]/x^y?f[a]=1' > 'https://site.example/p%5B1%5D/x%5Ey?f[a]=1'",
            "'https://site.example/100%zz?p=5%' > 'https://site.example/100%25zz?p=5%25'",
            "'https://site.example/a\\b?c\\d' > 'https://site.example/a/b?c%5Cd'",
            "'https://site.example/#a#b' > 'https://site.example/#a%23b'",
            "'https://site.example/pa\tth' > 'https://site.example/path'",
            "'https://site.example:/x' > 'https://site.example:/x'",
            "'https://site.example:65535/x' > 'https://site.example:65535/x'"})
    void aUrlABrowserTakesIsTakenAsTheBrowserSendsIt(String given, String taken) throws Exception {
        TaskSpec spec = solvedSpec(Json.MAPPER.writeValueAsString(Map.of("type", "TurnstileTaskProxyless",
                "websiteURL", given.replace("\\t", "\t"), "websiteKey", "0x4AAAAAAAB")));
        assertThat(spec.websiteUrl().toString()).isEqualTo(taken);
    }

    /** A backslash ends the authority as in a browser: the host is the one a browser would ask for. */
    @Test
    void aBackslashEndsTheHostAsInABrowser() throws Exception {
        TaskSpec spec = solvedSpec("{\"type\":\"TurnstileTaskProxyless\",\"websiteURL\":\"https://site.example\\\\@127.0.0.1/\","
                + "\"websiteKey\":\"0x4AAAAAAAB\"}");
        assertThat(spec.websiteUrl().getHost()).isEqualTo("site.example");
        assertThat(spec.websiteUrl().getPath()).isEqualTo("/@127.0.0.1/");
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://site.example:0/", "https://site.example:65536/", "https://site.example:99999/",
            "https://site.example:-1/", "https://site.example:8o/", "https://si te.example/", "https:/site.example/",
            "javascript:alert(1)", "ftp://site.example/"})
    void aUrlNoBrowserWouldOpenIsARequiredFieldsError(String url) throws Exception {
        JsonNode r = createTask(Json.MAPPER.writeValueAsString(Map.of("type", "TurnstileTaskProxyless",
                "websiteURL", url, "websiteKey", "0x4AAAAAAAB")));
        assertError(r, "ERROR_REQUIRED_FIELDS");
        assertThat(r.get("errorDescription").textValue()).isEqualTo("Please check the following fields: websiteURL");
    }

    // --- §6 target addresses -----------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1/", "http://loopback.test/", "http://[::1]:8080/", "https://private.test/",
            "https://10.0.0.1/", "https://172.20.1.1/", "https://192.168.0.10/", "https://[fd12::1]/", "https://v6private.test/",
            "http://169.254.10.10/", "http://linklocal.test/", "http://[fe80::1]/", "http://169.254.169.254/latest/meta-data",
            "http://metadata.test/", "http://metadata.google.internal/", "https://cgnat.test/", "https://mixed.test/",
            "http://0.0.0.0/", "https://unresolvable.test/"})
    void refusedTargetsAreBadRequestsNamingTheField(String url) {
        assertWebsiteRefused(url, "websiteURL is not allowed");
    }

    /** createTask refuses {@code url} with a description starting so, before any solver runs and free of charge. */
    private void assertWebsiteRefused(String url, String description) {
        int calls = server.solver().calls();
        JsonNode r = createTask("{\"type\":\"TurnstileTaskProxyless\",\"websiteURL\":\"" + url + "\",\"websiteKey\":\"0x4AAAAAAAB\"}");
        assertError(r, "ERROR_BAD_REQUEST");
        assertThat(r.get("errorDescription").textValue()).startsWith(description);
        assertThat(server.solver().calls()).isEqualTo(calls);
        assertThat(server.balance(key)).isEqualTo(1000);
    }

    /** Issue 19, item 3: each host form a browser reads as loopback (WHATWG URL), refused before any solver runs. */
    @ParameterizedTest
    @ValueSource(strings = {"http://0177.0.0.1/", "http://0x7f.1/", "http://2130706433/", "http://127.1/",
            "http://0x7F000001:8080/", "http://017700000001/", "http://[::ffff:127.0.0.1]/", "http://[::ffff:7f00:1]/",
            "http://%31%32%37.0.0.1/", "http://127.0.0.1./", "http://LOOPBACK.TEST/", "http://loopback.test./",
            "http://%6Coopback.test/", "http://0xa9.0xfe.0xa9.0xfe/latest/meta-data", "http://bücher.test/",
            "http://BÜCHER.test./"})
    void hostsAreReadAsABrowserReadsThemAndRefusedAtCreateTask(String url) {
        assertWebsiteRefused(url, "websiteURL is not allowed: its address ");
    }

    @Test
    void proxiesAndCallbacksInBrowserReadFormsAreRefusedAtCreateTask() {
        for (String proxy : List.of("http://u:p@0177.0.0.1:3128", "u:p@0x7f.1:3128", "0x7f000001:3128:u:p")) {
            JsonNode r = createTask("{\"type\":\"CloudFlare5STask\",\"websiteURL\":\"https://site.example\",\"proxy\":\""
                    + proxy + "\"}");
            assertError(r, "ERROR_BAD_REQUEST");
            assertThat(r.get("errorDescription").textValue()).as(proxy)
                    .isEqualTo("proxy is not allowed: its address 127.0.0.1 is loopback");
        }
        for (String callbackUrl : List.of("http://0x7f.1/cb", "http://2130706433:8080/cb", "http://[::ffff:127.0.0.1]/cb",
                "http://LOOPBACK.test.:1/cb")) {
            JsonNode r = post("createTask", "{\"clientKey\":\"" + key + "\",\"task\":" + TURNSTILE
                    + ",\"callbackUrl\":\"" + callbackUrl + "\"}");
            assertError(r, "ERROR_BAD_REQUEST");
            assertThat(r.get("errorDescription").textValue()).as(callbackUrl)
                    .isEqualTo("callbackUrl is not allowed: its address 127.0.0.1 is loopback");
        }
    }

    @Test
    void refusedProxiesAndCallbacksNameTheirField() {
        JsonNode proxy = createTask("{\"type\":\"CloudFlare5STask\",\"websiteURL\":\"https://site.example\",\"proxy\":\"http://u:p@10.0.0.8:3128\"}");
        assertError(proxy, "ERROR_BAD_REQUEST");
        assertThat(proxy.get("errorDescription").textValue()).isEqualTo("proxy is not allowed: its address 10.0.0.8 is private");
        JsonNode callback = post("createTask", "{\"clientKey\":\"" + key + "\",\"task\":" + TURNSTILE
                + ",\"callbackUrl\":\"http://169.254.169.254/cb\"}");
        assertError(callback, "ERROR_BAD_REQUEST");
        assertThat(callback.get("errorDescription").textValue()).startsWith("callbackUrl is not allowed");
        assertError(post("createTask", "{\"clientKey\":\"" + key + "\",\"task\":" + TURNSTILE + ",\"callbackUrl\":\"nope\"}"),
                "ERROR_REQUIRED_FIELDS");
    }

    // --- callbackUrl, createSyncTask, getQueueStats, reports, getBalance ----------------------------------------

    @Test
    void callbackUrlReceivesTheResultBody() throws Exception {
        BlockingQueue<String> received = new ArrayBlockingQueue<>(1);
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/cb", exchange -> {
            received.add(new String(exchange.getRequestBody().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        try {
            String url = "http://localhost:" + receiver.getAddress().getPort() + "/cb";
            String id = post("createTask", "{\"clientKey\":\"" + key + "\",\"task\":" + TURNSTILE + ",\"callbackUrl\":\"" + url + "\"}")
                    .get("taskId").textValue();
            String body = received.poll(30, TimeUnit.SECONDS);
            assertThat(body).isNotNull();
            assertThat(ApiClient.mapper().readTree(body)).isEqualTo(result(id));
        } finally {
            receiver.stop(0);
        }
    }

    @Test
    void createSyncTaskAnswersTheResultWithTheTaskId() {
        JsonNode r = post("createSyncTask", "{\"clientKey\":\"" + key + "\",\"task\":" + TURNSTILE + "}");
        assertOk(r);
        assertThat(r.get("status").textValue()).isEqualTo("ready");
        assertThat(r.get("taskId").textValue()).matches("[0-9]+");
        assertThat(r.get("solution").get("token").textValue()).isEqualTo(FakeSolver.TOKEN);
        server.solver().then(FakeSolver.fail(FailReason.NO_WIDGET));
        JsonNode failed = post("createSyncTask", "{\"clientKey\":\"" + key + "\",\"task\":" + TURNSTILE + "}");
        assertError(failed, "ERROR_CAPTCHA_UNSOLVABLE");
        assertThat(failed.get("taskId").textValue()).matches("[0-9]+");
        assertError(post("createSyncTask", "{\"clientKey\":\"" + key + "\"}"), "ERROR_TASK_ABSENT");
    }

    @Test
    void queueStatsHaveTheAntiCaptchaShape() {
        JsonNode r = post("getQueueStats", "{\"queueId\":6}");
        assertThat(r.get("waiting").isInt()).isTrue();
        assertThat(r.get("load").isDouble()).isTrue();
        assertThat(r.get("bid").intValue()).isZero();
        assertThat(r.get("speed").isDouble()).isTrue();
        assertThat(r.get("total").intValue()).as("workers: one per browser slot, 2 browsers x 4 contexts").isEqualTo(8);
    }

    @ParameterizedTest
    @ValueSource(strings = {"reportCorrect", "reportIncorrect", "reportIncorrectRecaptcha", "reportIncorrectHcaptcha",
            "reportCorrectRecaptcha", "reportIncorrectTokenCaptcha"})
    void reportsAreRecordedNotRefunded(String method) throws Exception {
        String id = createdId(TURNSTILE);
        awaitEnd(id);
        JsonNode r = post(method, "{\"clientKey\":\"" + key + "\",\"taskId\":\"" + id + "\"}");
        assertOk(r);
        assertThat(r.get("status").textValue()).isEqualTo("success");
        assertThat(server.balance(key)).isEqualTo(1000 - 15);
        assertError(post(method, "{\"clientKey\":\"" + key + "\",\"taskId\":\"123\"}"), "ERROR_NO_SUCH_CAPCHA_ID");
    }

    @Test
    void balanceIsANumber() {
        JsonNode r = post("getBalance", "{\"clientKey\":\"" + key + "\"}");
        assertOk(r);
        assertThat(r.get("balance").isIntegralNumber()).isTrue();
        assertThat(r.get("balance").longValue()).isEqualTo(1000);
        ObjectNode expected = ApiClient.mapper().createObjectNode().put("errorId", 0).put("errorCode", "").put("errorDescription", "")
                .put("balance", 1000);
        assertThat(r).isEqualTo(expected);
    }
}
