package dev.turnpike.server.api.twocaptcha;

import static dev.turnpike.server.api.twocaptcha.TwoCaptchaHttp.params;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.turnpike.server.admin.AdminHttp;
import dev.turnpike.server.api.twocaptcha.TwoCaptchaHttp.Answer;
import dev.turnpike.server.api.twocaptcha.TwoCaptchaHttp.Form;
import dev.turnpike.server.net.HostResolver;
import dev.turnpike.server.net.ProxySpec;
import dev.turnpike.server.task.FailReason;
import dev.turnpike.server.task.TaskId;
import dev.turnpike.server.task.TaskSpec;
import dev.turnpike.server.task.TaskType;
import dev.turnpike.server.testing.ApiClient;
import dev.turnpike.server.testing.FakeSolver;
import dev.turnpike.server.testing.TestServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
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
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** PROTOCOL.md §9, 2Captcha's in.php / res.php, over HTTP against a running server with a fake solver. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TwoCaptchaDialectTest {

    private static final String ADMIN_TOKEN = "two-captcha-test-admin-token-0123456789";
    private static final String PAGE = "https://site.example/login";
    private static final String SITEKEY = "0x4AAAAAAAB";

    private TestServer server;
    private TwoCaptchaHttp http;
    private String key;

    @BeforeAll
    void start() throws Exception {
        // localhost (the pingback receiver) is allowed by name and resolved by the injected resolver alone.
        HostResolver fake = TestServer.fakeResolver();
        server = TestServer.builder().setting("net.allowHosts", "localhost").setting("admin.token", ADMIN_TOKEN)
                .resolver(host -> host.equals("localhost") ? List.of(InetAddress.getLoopbackAddress()) : fake.resolve(host))
                .start();
        http = new TwoCaptchaHttp(server.baseUrl());
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

    private Map<String, String> turnstile(String... more) {
        Map<String, String> p = params("key", key, "method", "turnstile", "sitekey", SITEKEY, "pageurl", PAGE);
        p.putAll(params(more));
        return p;
    }

    private Answer in(Form form, Map<String, String> params) {
        Answer a = http.send("/in.php", form, params);
        assertThat(a.status()).as("HTTP status of in.php: %s", a.text()).isEqualTo(200);
        return a;
    }

    private Answer res(Map<String, String> params) {
        Answer a = http.send("/res.php", Form.GET_QUERY, params);
        assertThat(a.status()).as("HTTP status of res.php: %s", a.text()).isEqualTo(200);
        return a;
    }

    /** Submits in text form and returns the id of {@code OK|id}. */
    private String submitted(Map<String, String> params) {
        String text = in(Form.POST_FORM, params).text();
        assertThat(text).matches("OK\\|[0-9]+");
        return text.substring(3);
    }

    private void awaitEnd(String id) throws Exception {
        server.standalone().tasks().find(new TaskId(Long.parseLong(id))).ended().get(30, TimeUnit.SECONDS);
    }

    private String get(String id) {
        return res(params("key", key, "action", "get", "id", id)).text();
    }

    private JsonNode getJson(String id) {
        return res(params("key", key, "action", "get", "id", id, "json", "1")).json();
    }

    // --- in.php and res.php in both forms, every transport ---------------------------------------------------

    @ParameterizedTest
    @EnumSource(Form.class)
    void aTurnstileSubmittedInTextFormIsSolvedAndCharged(Form form) throws Exception {
        String text = in(form, turnstile()).text();
        assertThat(text).matches("OK\\|[0-9]+");
        String id = text.substring(3);
        awaitEnd(id);
        assertThat(get(id)).isEqualTo("OK|" + FakeSolver.TOKEN);
        assertThat(server.balance(key)).isEqualTo(1000 - 15);
    }

    @ParameterizedTest
    @EnumSource(Form.class)
    void aTurnstileSubmittedInJsonFormAnswersJsonWithTheUserAgent(Form form) throws Exception {
        Answer a = in(form, turnstile("json", "1"));
        assertThat(a.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        JsonNode created = a.json();
        assertThat(created.get("status").intValue()).isEqualTo(1);
        assertThat(created.get("request").textValue()).matches("[0-9]+");
        assertThat(created.size()).isEqualTo(2);
        String id = created.get("request").textValue();
        awaitEnd(id);
        JsonNode r = getJson(id);
        assertThat(r.get("status").intValue()).isEqualTo(1);
        assertThat(r.get("request").textValue()).isEqualTo(FakeSolver.TOKEN);
        assertThat(r.get("useragent").textValue()).isEqualTo(FakeSolver.USER_AGENT);
    }

    @Test
    void everyParameterReachesTheTask() throws Exception {
        String ua = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36";
        String id = submitted(turnstile("action", "login", "data", "c-data_1=", "pagedata", "3gAFo2lzc...opaque",
                "useragent", ua, "soft_id", "4587", "proxy", "user:p%ss@203.0.113.5:3128", "proxytype", "SOCKS5"));
        awaitEnd(id);
        TaskSpec.Turnstile spec = (TaskSpec.Turnstile) server.solver().seen().getLast();
        assertThat(spec.type()).isEqualTo(TaskType.TURNSTILE_PROXYLESS);
        assertThat(spec.websiteUrl()).isEqualTo(URI.create(PAGE));
        assertThat(spec.websiteKey()).isEqualTo(SITEKEY);
        assertThat(spec.action()).isEqualTo("login");
        assertThat(spec.cData()).isEqualTo("c-data_1=");
        assertThat(spec.chlPageData()).isEqualTo("3gAFo2lzc...opaque");
        assertThat(spec.userAgent()).isEqualTo(ua);
        assertThat(spec.proxy()).isEqualTo(new ProxySpec(ProxySpec.Scheme.SOCKS5, "203.0.113.5", 3128, "user", "p%ss"));
    }

    @Test
    void withoutAProxyTheTaskIsProxylessAndAProxyWithoutTypeIsHttp() throws Exception {
        awaitEnd(submitted(turnstile()));
        assertThat(((TaskSpec.Turnstile) server.solver().seen().getLast()).proxy()).isNull();
        awaitEnd(submitted(turnstile("proxy", "203.0.113.5:8080")));
        assertThat(((TaskSpec.Turnstile) server.solver().seen().getLast()).proxy())
                .isEqualTo(new ProxySpec(ProxySpec.Scheme.HTTP, "203.0.113.5", 8080, null, null));
    }

    @Test
    void anUnsolvedTaskIsNotReadyInBothForms() throws Exception {
        server.solver().then(FakeSolver.block());
        String id = submitted(turnstile());
        server.solver().awaitStarted(1);
        assertThat(get(id)).isEqualTo("CAPCHA_NOT_READY");
        JsonNode r = getJson(id);
        assertThat(r.get("status").intValue()).isEqualTo(0);
        assertThat(r.get("request").textValue()).isEqualTo("CAPCHA_NOT_READY");
        assertThat(server.balance(key)).as("held while it runs").isEqualTo(1000 - 15);
        server.solver().release(1);
        awaitEnd(id);
        assertThat(get(id)).isEqualTo("OK|" + FakeSolver.TOKEN);
    }

    @Test
    void get2AnswersThePriceBesideTheToken() throws Exception {
        String id = submitted(turnstile());
        awaitEnd(id);
        assertThat(res(params("key", key, "action", "get2", "id", id)).text()).isEqualTo("OK|" + FakeSolver.TOKEN + "|15");
        JsonNode r = res(params("key", key, "action", "get2", "id", id, "json", "1")).json();
        assertThat(r.get("request").textValue()).isEqualTo(FakeSolver.TOKEN);
        assertThat(r.get("price").textValue()).isEqualTo("15");
        assertThat(r.get("useragent").textValue()).isEqualTo(FakeSolver.USER_AGENT);
    }

    @Test
    void severalIdsAnswerEachInOrder() throws Exception {
        String ready = submitted(turnstile());
        awaitEnd(ready);
        server.solver().then(FakeSolver.fail(FailReason.NO_WIDGET));
        String failed = submitted(turnstile());
        awaitEnd(failed);
        assertThat(res(params("key", key, "action", "get", "ids", ready + "," + failed + ",12345")).text())
                .isEqualTo(FakeSolver.TOKEN + "|ERROR_CAPTCHA_UNSOLVABLE|ERROR_WRONG_CAPTCHA_ID");
    }

    @Test
    void getbalanceAnswersTheAvailablePoints() throws Exception {
        assertThat(res(params("key", key, "action", "getbalance")).text()).isEqualTo("1000");
        JsonNode r = res(params("key", key, "action", "getbalance", "json", "1")).json();
        assertThat(r.get("status").intValue()).isEqualTo(1);
        assertThat(r.get("request").textValue()).isEqualTo("1000");
        server.solver().then(FakeSolver.block());
        String id = submitted(turnstile());
        server.solver().awaitStarted(1);
        assertThat(res(params("key", key, "action", "getbalance")).text()).as("a held price is not available")
                .isEqualTo("985");
        server.solver().release(1);
        awaitEnd(id);
    }

    @ParameterizedTest
    @ValueSource(strings = {"reportgood", "reportbad"})
    void reportsAreRecorded(String action) throws Exception {
        String id = submitted(turnstile());
        awaitEnd(id);
        assertThat(res(params("key", key, "action", action, "id", id)).text()).isEqualTo("OK_REPORT_RECORDED");
        JsonNode r = res(params("key", key, "action", action, "id", id, "json", "1")).json();
        assertThat(r.get("status").intValue()).isEqualTo(1);
        assertThat(r.get("request").textValue()).isEqualTo("OK_REPORT_RECORDED");
        assertThat(res(params("key", key, "action", action, "id", "12345")).text()).isEqualTo("ERROR_WRONG_CAPTCHA_ID");
        assertThat(server.balance(key)).as("a report refunds nothing").isEqualTo(1000 - 15);
    }

    // --- one house, two doors --------------------------------------------------------------------------------

    @Test
    void aTaskCreatedWithInPhpIsReadWithGetTaskResult() throws Exception {
        String id = submitted(turnstile());
        awaitEnd(id);
        JsonNode r = server.client().call("getTaskResult", Map.of("clientKey", key, "taskId", id));
        assertThat(r.get("status").textValue()).isEqualTo("ready");
        assertThat(r.get("solution").get("token").textValue()).isEqualTo(FakeSolver.TOKEN);
        assertThat(r.get("taskId").textValue()).isEqualTo(id);
    }

    @Test
    void aTaskCreatedWithCreateTaskIsReadWithResPhp() throws Exception {
        JsonNode created = server.client().call("createTask", Map.of("clientKey", key, "task",
                Map.of("type", "TurnstileTaskProxyless", "websiteURL", PAGE, "websiteKey", SITEKEY)));
        String id = created.get("taskId").textValue();
        awaitEnd(id);
        assertThat(get(id)).isEqualTo("OK|" + FakeSolver.TOKEN);
        assertThat(getJson(id).get("useragent").textValue()).isEqualTo(FakeSolver.USER_AGENT);
    }

    @Test
    void anotherKeysTaskIsUnknown() throws Exception {
        String id = submitted(turnstile());
        awaitEnd(id);
        String other = server.createKey(1000);
        assertThat(res(params("key", other, "action", "get", "id", id)).text()).isEqualTo("ERROR_WRONG_CAPTCHA_ID");
        assertThat(res(params("key", other, "action", "reportbad", "id", id)).text()).isEqualTo("ERROR_WRONG_CAPTCHA_ID");
    }

    @Test
    void theStatusPageShowsTheDialect() throws Exception {
        String viaIn = submitted(turnstile());
        String viaCreate = server.client().call("createTask", Map.of("clientKey", key, "task",
                Map.of("type", "TurnstileTaskProxyless", "websiteURL", PAGE, "websiteKey", SITEKEY)))
                .get("taskId").textValue();
        awaitEnd(viaIn);
        awaitEnd(viaCreate);
        JsonNode latest = new AdminHttp(server.baseUrl()).get("/admin/api/stats", ADMIN_TOKEN).json().path("latest");
        Map<String, String> dialects = new java.util.HashMap<>();
        latest.forEach(t -> dialects.put(t.path("taskId").asText(), t.path("dialect").asText()));
        assertThat(dialects).containsEntry(viaIn, "in.php").containsEntry(viaCreate, "createTask");
    }

    // --- failures ----------------------------------------------------------------------------------------------

    static Stream<Arguments> failures() {
        return Stream.of(Arguments.of(FailReason.WIDGET_ERROR, "ERROR_CAPTCHA_UNSOLVABLE"),
                Arguments.of(FailReason.DEADLINE, "ERROR_CAPTCHA_UNSOLVABLE"),
                Arguments.of(FailReason.INTERNAL, "ERROR_CAPTCHA_UNSOLVABLE"),
                Arguments.of(FailReason.PROXY_REFUSED, "ERROR_PROXY_CONNECTION_FAILED"),
                Arguments.of(FailReason.PROXY_NOT_AUTHORISED, "ERROR_PROXY_CONNECTION_FAILED"),
                Arguments.of(FailReason.PROXY_BANNED, "ERROR_PROXY_CONNECTION_FAILED"));
    }

    @ParameterizedTest
    @MethodSource("failures")
    void aFailedTaskAnswersItsCodeAndChargesNothing(FailReason reason, String code) throws Exception {
        server.solver().then(new FakeSolver.Outcome.Fail(reason, "why it failed"));
        String id = submitted(turnstile());
        awaitEnd(id);
        assertThat(get(id)).isEqualTo(code);
        JsonNode r = getJson(id);
        assertThat(r.get("status").intValue()).isEqualTo(0);
        assertThat(r.get("request").textValue()).isEqualTo(code);
        assertThat(r.get("error_text").textValue()).isEqualTo("why it failed");
        assertThat(server.balance(key)).isEqualTo(1000);
    }

    // --- bad input: each its 2Captcha code, in both forms, HTTP 200, never HTML ----------------------------------

    static Stream<Arguments> badSubmissions() {
        return Stream.of(
                Arguments.of("no key", Map.of("key", ""), "ERROR_WRONG_USER_KEY"),
                Arguments.of("a key with spaces", Map.of("key", "not a key"), "ERROR_WRONG_USER_KEY"),
                Arguments.of("an unknown key", Map.of("key", "0123456789abcdef0123456789abcdef"), "ERROR_KEY_DOES_NOT_EXIST"),
                Arguments.of("no method", Map.of("method", ""), "ERROR_BAD_PARAMETERS"),
                Arguments.of("another method", Map.of("method", "userrecaptcha"), "ERROR_BAD_PARAMETERS"),
                Arguments.of("no pageurl", Map.of("pageurl", ""), "ERROR_PAGEURL"),
                Arguments.of("a pageurl not http", Map.of("pageurl", "ftp://site.example/"), "ERROR_PAGEURL"),
                Arguments.of("a pageurl not a URL", Map.of("pageurl", "site.example"), "ERROR_PAGEURL"),
                Arguments.of("a pageurl at a private address", Map.of("pageurl", "http://private.test/"), "ERROR_PAGEURL"),
                Arguments.of("no sitekey", Map.of("sitekey", ""), "ERROR_BAD_PARAMETERS"),
                Arguments.of("a malformed sitekey", Map.of("sitekey", "0x4 AAA<>"), "ERROR_BAD_PARAMETERS"),
                Arguments.of("a malformed action", Map.of("action", "log in!"), "ERROR_BAD_PARAMETERS"),
                Arguments.of("a malformed data", Map.of("data", "c data;"), "ERROR_BAD_PARAMETERS"),
                Arguments.of("an unknown proxytype", Map.of("proxy", "u:p@203.0.113.5:8080", "proxytype", "FTP"), "ERROR_BAD_PARAMETERS"),
                Arguments.of("a malformed proxy", Map.of("proxy", "u:p@203.0.113.5:notaport"), "ERROR_BAD_PARAMETERS"),
                Arguments.of("a proxy given as a URL", Map.of("proxy", "http://u:p@203.0.113.5:8080"), "ERROR_BAD_PARAMETERS"),
                Arguments.of("a proxy at a private address", Map.of("proxy", "u:p@10.1.2.3:8080"), "ERROR_BAD_PROXY"),
                Arguments.of("a malformed pingback", Map.of("pingback", "nope"), "ERROR_BAD_PARAMETERS"),
                Arguments.of("a pingback at a private address", Map.of("pingback", "http://private.test/cb"), "ERROR_BAD_PARAMETERS"),
                Arguments.of("a malformed soft_id", Map.of("soft_id", "abc"), "ERROR_BAD_PARAMETERS"),
                Arguments.of("a malformed header_acao", Map.of("header_acao", "yes"), "ERROR_BAD_PARAMETERS"),
                Arguments.of("a value over 8192 characters", Map.of("pagedata", "x".repeat(8193)), "ERROR_BAD_PARAMETERS"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badSubmissions")
    void aBadSubmissionAnswersItsCode(String what, Map<String, String> change, String code) {
        Map<String, String> p = turnstile();
        p.putAll(change);
        Answer text = in(Form.POST_FORM, p);
        assertThat(text.text()).as(what).isEqualTo(code);
        p.put("json", "1");
        JsonNode json = in(Form.POST_MULTIPART, p).json();
        assertThat(json.get("status").intValue()).as(what).isEqualTo(0);
        assertThat(json.get("request").textValue()).as(what).isEqualTo(code);
        assertThat(json.get("error_text").textValue()).as(what).isNotBlank().doesNotContain("Exception");
        assertThat(server.balance(key)).as("nothing held for " + what).isEqualTo(1000);
    }

    @Test
    void errorTextsNameTheParametersOfThisDialect() {
        JsonNode r = in(Form.GET_QUERY, turnstile("data", "c data;", "json", "1")).json();
        assertThat(r.get("error_text").textValue()).contains("data").doesNotContain("cData");
        r = in(Form.GET_QUERY, turnstile("pingback", "http://private.test/cb", "json", "1")).json();
        assertThat(r.get("error_text").textValue()).startsWith("pingback is not allowed");
    }

    @Test
    void aJsonSwitchOtherThanZeroOrOneIsABadParameterAnsweredAsText() {
        assertThat(in(Form.GET_QUERY, turnstile("json", "2")).text()).isEqualTo("ERROR_BAD_PARAMETERS");
    }

    @Test
    void zeroBalanceIsAnsweredAndNothingQueued() {
        String poor = server.createKey(10);
        Map<String, String> p = turnstile();
        p.put("key", poor);
        assertThat(in(Form.POST_FORM, p).text()).isEqualTo("ERROR_ZERO_BALANCE");
        assertThat(server.balance(poor)).isEqualTo(10);
    }

    static Stream<Arguments> badResults() {
        return Stream.of(
                Arguments.of("no key", params("action", "get", "id", "1"), "ERROR_WRONG_USER_KEY"),
                Arguments.of("an unknown key", params("key", "0123456789abcdef0123456789abcdef", "action", "getbalance"), "ERROR_KEY_DOES_NOT_EXIST"),
                Arguments.of("no action", params("id", "1"), "ERROR_EMPTY_ACTION"),
                Arguments.of("an unknown action", params("action", "getmoney"), "ERROR_BAD_PARAMETERS"),
                Arguments.of("get without id", params("action", "get"), "ERROR_WRONG_ID_FORMAT"),
                Arguments.of("get with a word for id", params("action", "get", "id", "abc"), "ERROR_WRONG_ID_FORMAT"),
                Arguments.of("get with a negative id", params("action", "get", "id", "-5"), "ERROR_WRONG_ID_FORMAT"),
                Arguments.of("get with an unknown id", params("action", "get", "id", "12345"), "ERROR_WRONG_CAPTCHA_ID"),
                Arguments.of("get with an id over 2^53", params("action", "get", "id", "9007199254740993"), "ERROR_WRONG_CAPTCHA_ID"),
                Arguments.of("get2 with an unknown id", params("action", "get2", "id", "12345"), "ERROR_WRONG_CAPTCHA_ID"),
                Arguments.of("ids with a word", params("action", "get", "ids", "1,abc"), "ERROR_WRONG_ID_FORMAT"),
                Arguments.of("reportbad without id", params("action", "reportbad"), "ERROR_WRONG_ID_FORMAT"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badResults")
    void aBadResultRequestAnswersItsCode(String what, Map<String, String> p, String code) {
        Map<String, String> withKey = new java.util.LinkedHashMap<>(p);
        if (!what.contains("key")) {
            withKey.put("key", key);
        }
        assertThat(res(withKey).text()).as(what).isEqualTo(code);
        withKey.put("json", "1");
        JsonNode json = res(withKey).json();
        assertThat(json.get("status").intValue()).as(what).isEqualTo(0);
        assertThat(json.get("request").textValue()).as(what).isEqualTo(code);
    }

    @Test
    void malformedRequestsAreBadParametersNeverAStackTraceOrHtml() {
        for (Answer a : List.of(
                http.raw("POST", "/in.php", "application/x-www-form-urlencoded", "key=" + key + "&method=turnstile&pageurl=%zz"),
                http.raw("POST", "/in.php", "multipart/form-data; boundary=xyz", "--xyz\r\nnot a part"),
                http.raw("POST", "/in.php", "multipart/form-data", "--xyz\r\n"),
                http.raw("POST", "/in.php", "application/json", "{\"key\":"),
                http.raw("POST", "/in.php", "application/json", "{\"key\":{\"a\":1}}"),
                http.raw("PUT", "/res.php?key=" + key + "&action=getbalance", null, null),
                http.raw("DELETE", "/in.php", null, null))) {
            assertThat(a.status()).as(a.text()).isEqualTo(200);
            assertThat(a.text()).as("answer").startsWith("ERROR_").doesNotContain("<").doesNotContain("Exception");
        }
    }

    @Test
    void aBodyOverTheLimitIsTooBig() {
        Map<String, String> p = turnstile();
        p.put("body", "x".repeat(2_000_000));
        Answer a = in(Form.POST_FORM, p);
        assertThat(a.text()).isEqualTo("ERROR_TOO_BIG_CAPTCHA_FILESIZE");
    }

    @Test
    void headerAcaoAllowsAnyOrigin() {
        Answer with = in(Form.GET_QUERY, turnstile("header_acao", "1"));
        assertThat(with.headers().firstValue("Access-Control-Allow-Origin")).contains("*");
        Answer error = res(params("action", "getbalance", "header_acao", "1"));
        assertThat(error.headers().firstValue("Access-Control-Allow-Origin")).as("errors too").contains("*");
        Answer without = in(Form.GET_QUERY, turnstile());
        assertThat(without.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        Answer preflight = http.raw("OPTIONS", "/in.php", null, null);
        assertThat(preflight.status()).isEqualTo(204);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).contains("*");
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Methods")).contains("GET, POST");
    }

    @Test
    void theJsonProtocolIsUntouched() {
        ApiClient.Answer a = server.client().send("GET", "in.phpx", null, null);
        assertThat(a.json().get("errorCode").textValue()).isEqualTo("ERROR_NO_SUCH_METHOD");
    }

    // --- pingback ------------------------------------------------------------------------------------------------

    @Test
    void pingbackReceivesTheIdAndTheToken() throws Exception {
        BlockingQueue<String> received = new ArrayBlockingQueue<>(2);
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/pingback", exchange -> {
            received.add(exchange.getRequestMethod() + " " + exchange.getRequestHeaders().getFirst("Content-Type") + " "
                    + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receiver.start();
        try {
            String url = "http://localhost:" + receiver.getAddress().getPort() + "/pingback";
            String id = submitted(turnstile("pingback", url));
            assertThat(received.poll(30, TimeUnit.SECONDS))
                    .isEqualTo("POST application/x-www-form-urlencoded id=" + id + "&code=" + FakeSolver.TOKEN);
            server.solver().then(FakeSolver.fail(FailReason.NO_WIDGET));
            String failed = submitted(turnstile("pingback", url));
            assertThat(received.poll(30, TimeUnit.SECONDS))
                    .isEqualTo("POST application/x-www-form-urlencoded id=" + failed + "&code=ERROR_CAPTCHA_UNSOLVABLE");
        } finally {
            receiver.stop(0);
        }
    }
}
