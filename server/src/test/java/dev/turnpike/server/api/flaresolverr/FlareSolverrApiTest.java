package dev.turnpike.server.api.flaresolverr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.turnpike.server.net.ProxySpec;
import dev.turnpike.server.task.FailReason;
import dev.turnpike.server.task.Solution;
import dev.turnpike.server.task.TaskSpec;
import dev.turnpike.server.testing.ApiClient;
import dev.turnpike.server.testing.FakeSolver;
import dev.turnpike.server.testing.TestServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import java.util.List;
import java.util.Map;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * FlareSolverr's API (PROTOCOL.md §10) against a running server with a scripted solver: who may use it, the
 * answer's shape field for field, every error shape, what each request costs, and how its parameters reach the
 * task. The same requests against the lab in a real browser: {@code FlareSolverrLabTest}.
 */
class FlareSolverrApiTest {

    private static final String PAGE = "https://site.example/page";

    private static Solution.Page page(boolean challenged) {
        return new Solution.Page(PAGE, 200, Map.of("content-type", "text/html", "server", "cloudflare"),
                "<html><body>ok</body></html>", List.of(Map.of("name", "cf_clearance", "value", "abc",
                "domain", ".site.example", "path", "/", "expires", 1.9e9, "size", 15, "httpOnly", true,
                "secure", true, "session", false, "sameSite", "None")), FakeSolver.USER_AGENT, challenged, null);
    }

    private static FakeSolver solving(boolean challenged) {
        return FakeSolver.forAllTypes().byDefault(new FakeSolver.Outcome.Succeed(page(challenged)));
    }

    private static TestServer.Builder on(String key) {
        return TestServer.builder().setting("flaresolverr.enabled", "true").setting("flaresolverr.clientKey", key);
    }

    private static ApiClient.Answer v1(TestServer server, String path, String json) {
        return server.client().send("POST", path, json, null);
    }

    private final List<Path> dataDirs = new ArrayList<>();

    @AfterEach
    void deleteDataDirs() throws IOException {
        for (Path dir : dataDirs) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** A server whose /v1 is bound to a key with these points (the only account). */
    private TestServer startWithBoundKey(FakeSolver solver, long points) throws Exception {
        // The key must exist before the server binds it: made on a first server, then bound on a restart.
        Path dir = Files.createTempDirectory("turnpike-flaresolverr-test");
        dataDirs.add(dir);
        TestServer first = TestServer.builder().dataDir(dir).start();
        String key = first.createKey(points);
        first.stop();
        return on(key).solver(solver).dataDir(dir).start();
    }

    // ---- who may use it ----

    @Test
    void isOffByDefault() throws Exception {
        try (TestServer server = TestServer.builder().start()) {
            ApiClient.Answer answer = v1(server, "v1", "{\"cmd\":\"request.get\",\"url\":\"" + PAGE + "\"}");
            assertThat(answer.json().path("errorCode").asText()).isEqualTo("ERROR_NO_SUCH_METHOD");
            assertThat(server.client().send("GET", "health", null, null).json().has("status")).isFalse();
            assertThat(server.solver().calls()).isZero();
        }
    }

    @Test
    void turnedOnWithoutAKeyToChargeTheServerRefusesToStart() {
        assertThatThrownBy(() -> TestServer.builder().setting("flaresolverr.enabled", "true").start())
                .hasMessageContaining("flaresolverr.clientKey");
    }

    @Test
    void indexAndHealthAnswerAsFlareSolverrsDo() throws Exception {
        try (TestServer server = on("unused-key").start()) {
            JsonNode index = server.client().send("GET", "", null, null).json();
            assertThat(index.path("msg").asText()).isEqualTo("FlareSolverr is ready!");
            assertThat(index.path("version").asText()).isEqualTo(FlareSolverrApi.VERSION);
            assertThat(index.has("userAgent")).isTrue();
            ApiClient.Answer health = server.client().send("GET", "health", null, null);
            assertThat(health.status()).isEqualTo(200);
            assertThat(health.json()).isEqualTo(ApiClient.mapper().readTree("{\"status\":\"ok\"}"));
        }
    }

    @Test
    void anUnknownBoundKeyIsRefusedAndNothingIsSolved() throws Exception {
        try (TestServer server = on("no-such-key").start()) {
            ApiClient.Answer answer = v1(server, "v1", "{\"cmd\":\"request.get\",\"url\":\"" + PAGE + "\"}");
            assertThat(answer.status()).isEqualTo(401);
            assertThat(answer.json().path("status").asText()).isEqualTo("error");
            assertThat(answer.json().path("message").asText()).isEqualTo("Error: The client key bound to /v1 is not known.");
            assertThat(server.solver().calls()).isZero();
        }
    }

    @Test
    void aKeyInThePathIsChargedAndABarePathIsRefusedWithoutABoundKey() throws Exception {
        try (TestServer server = TestServer.builder().solver(solving(false)).setting("flaresolverr.enabled", "true")
                .setting("flaresolverr.keyInPath", "true").start()) {
            String key = server.createKey(100);
            ApiClient.Answer ok = v1(server, key + "/v1", "{\"cmd\":\"request.get\",\"url\":\"" + PAGE + "\"}");
            assertThat(ok.status()).isEqualTo(200);
            assertThat(ok.json().path("status").asText()).isEqualTo("ok");
            assertThat(server.balance(key)).isEqualTo(95);
            assertThat(server.client().send("GET", key + "/health", null, null).json().path("status").asText())
                    .isEqualTo("ok");

            ApiClient.Answer bare = v1(server, "v1", "{\"cmd\":\"request.get\",\"url\":\"" + PAGE + "\"}");
            assertThat(bare.status()).isEqualTo(401);
            ApiClient.Answer wrong = v1(server, "not-a-key/v1", "{\"cmd\":\"request.get\",\"url\":\"" + PAGE + "\"}");
            assertThat(wrong.json().path("message").asText()).isEqualTo("Error: The client key in the path is not known.");
            assertThat(server.solver().calls()).isEqualTo(1);
        }
    }

    /**
     * A web page the operator opens must not spend the bound key (a form or a no-cors fetch to the port, or a name
     * rebound to 127.0.0.1): /v1 refuses what a browser sends, and still answers a program.
     */
    @Test
    void aRequestFromAWebBrowserIsRefusedBeforeItCostsAnything() throws Exception {
        try (TestServer server = startWithBoundKey(solving(false), 100)) {
            HttpClient http = HttpClient.newHttpClient();
            String body = "{\"cmd\":\"request.get\",\"url\":\"" + PAGE + "\"}";
            List<Map<String, String>> browsers = List.of(Map.of("Origin", "https://evil.example"),
                    Map.of("Sec-Fetch-Mode", "no-cors", "Sec-Fetch-Site", "cross-site"),
                    Map.of("Sec-Fetch-Site", "same-origin")); // a name rebound to 127.0.0.1 looks same-origin
            for (Map<String, String> marks : browsers) {
                HttpResponse<String> answer = post(http, server, body, marks);
                assertThat(answer.statusCode()).as("%s", marks).isEqualTo(403);
                JsonNode json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(answer.body());
                assertThat(json.path("status").asText()).isEqualTo("error");
                assertThat(json.path("message").asText()).startsWith("Error: /v1 answers programs, not web pages");
            }
            assertThat(server.solver().calls()).isZero();
            assertThat(balanceOfBoundKey(server)).isEqualTo(100);

            assertThat(v1(server, "v1", body).json().path("status").asText()).as("a program").isEqualTo("ok");
            // Node's fetch sends Sec-Fetch-Mode (and no Origin): a program, answered.
            HttpResponse<String> node = post(http, server, body, Map.of("Sec-Fetch-Mode", "cors", "User-Agent", "node"));
            assertThat(node.statusCode()).as(node.body()).isEqualTo(200);
            assertThat(server.solver().calls()).isEqualTo(2);
        }
    }

    private static HttpResponse<String> post(HttpClient http, TestServer server, String body, Map<String, String> headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(server.baseUrl().resolve("/v1"))
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aPortOfItsOwnServesOnlyFlareSolverrsPaths() throws Exception {
        try (TestServer server = TestServer.builder().setting("flaresolverr.enabled", "true")
                .setting("flaresolverr.clientKey", "k").setting("flaresolverr.port", "0").start()) {
            URI own = server.standalone().flareSolverrAddress().orElseThrow();
            ApiClient client = new ApiClient(own);
            assertThat(client.send("GET", "health", null, null).json().path("status").asText()).isEqualTo("ok");
            ApiClient.Answer other = client.send("POST", "createTask", "{}", null);
            assertThat(other.status()).isEqualTo(404);
            assertThat(other.json().path("status_code").asInt()).isEqualTo(404);
        }
    }

    @Test
    void noLogLineCarriesTheKeyInThePathOrAProxyPassword() throws Exception {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        root.addAppender(logs);
        try (TestServer server = TestServer.builder().solver(solving(false).then(
                        FakeSolver.fail(FailReason.PROXY_NOT_AUTHORISED))).setting("flaresolverr.enabled", "true")
                .setting("flaresolverr.keyInPath", "true").start()) {
            String key = server.createKey(100);
            ApiClient.Answer answer = v1(server, key + "/v1", "{\"cmd\":\"request.get\",\"url\":\"" + PAGE
                    + "\",\"proxy\":{\"url\":\"http://203.0.113.5:3128\",\"username\":\"u\","
                    + "\"password\":\"pw-SECRET-123\"}}");
            assertThat(answer.json().path("message").asText()).contains("PROXY_NOT_AUTHORISED")
                    .doesNotContain("pw-SECRET-123");
            v1(server, key + "x/v1", "{\"cmd\":\"request.get\",\"url\":\"" + PAGE + "\"}");
            assertThat(logs.list).isNotEmpty();
            for (ILoggingEvent event : logs.list) {
                String text = event.getFormattedMessage()
                        + (event.getThrowableProxy() == null ? "" : event.getThrowableProxy().getMessage());
                assertThat(text).doesNotContain(key).doesNotContain("pw-SECRET-123");
            }
        } finally {
            root.detachAppender(logs);
        }
    }

    // ---- the answer ----

    @Test
    void aPassedChallengeAnswersFieldForFieldAndCostsTheChallengePrice() throws Exception {
        try (TestServer server = startWithBoundKey(solving(true), 100)) {
            long before = balanceOfBoundKey(server);
            long start = server.clock().millis(); // the server's injected clock, not the wall's
            ApiClient.Answer answer = v1(server, "v1", "{\"cmd\":\"request.get\",\"url\":\"" + PAGE + "\"}");

            assertThat(answer.status()).isEqualTo(200);
            JsonNode a = answer.json();
            assertThat(a.fieldNames()).toIterable().containsExactly("status", "message", "solution",
                    "startTimestamp", "endTimestamp", "version");
            assertThat(a.path("status").asText()).isEqualTo("ok");
            assertThat(a.path("message").asText()).isEqualTo("Challenge solved!");
            assertThat(a.path("version").asText()).isEqualTo(FlareSolverrApi.VERSION);
            assertThat(a.path("startTimestamp").asLong()).isBetween(start, a.path("endTimestamp").asLong());
            JsonNode s = a.path("solution");
            assertThat(s.fieldNames()).toIterable().containsExactly("url", "status", "cookies", "userAgent",
                    "turnstile_token", "headers", "response");
            assertThat(s.path("url").asText()).isEqualTo(PAGE);
            assertThat(s.path("status").asInt()).isEqualTo(200);
            assertThat(s.path("headers").path("server").asText()).isEqualTo("cloudflare");
            assertThat(s.path("response").asText()).contains("ok");
            assertThat(s.path("userAgent").asText()).isEqualTo(FakeSolver.USER_AGENT);
            assertThat(s.path("turnstile_token").isNull()).isTrue();
            assertThat(s.path("cookies").get(0).fieldNames()).toIterable().containsExactlyInAnyOrder("name", "value", "domain",
                    "path", "expires", "size", "httpOnly", "secure", "session", "sameSite");
            assertThat(before - balanceOfBoundKey(server)).isEqualTo(20);
        }
    }

    @Test
    void aPageWithoutAChallengeSaysSoAndCostsThePlainFetchPrice() throws Exception {
        try (TestServer server = startWithBoundKey(solving(false), 100)) {
            JsonNode a = v1(server, "v1", "{\"cmd\":\"request.get\",\"url\":\"" + PAGE + "\"}").json();
            assertThat(a.path("message").asText()).isEqualTo("Challenge not detected!");
            assertThat(balanceOfBoundKey(server)).isEqualTo(95);
            assertThat(ledger(server)).contains("CAPTURE");
        }
    }

    @Test
    void returnOnlyCookiesLeavesOutHeadersAndResponse() throws Exception {
        try (TestServer server = startWithBoundKey(solving(false).then(new FakeSolver.Outcome.Succeed(
                new Solution.Page(PAGE, 200, Map.of(), null, List.of(), FakeSolver.USER_AGENT, false, null))), 100)) {
            JsonNode s = v1(server, "v1", "{\"cmd\":\"request.get\",\"url\":\"" + PAGE
                    + "\",\"returnOnlyCookies\":true}").json().path("solution");
            assertThat(s.has("headers")).isFalse();
            assertThat(s.has("response")).isFalse();
            assertThat(s.has("cookies")).isTrue();
        }
    }

    // ---- failures: FlareSolverr's shape, the hold released ----

    @Test
    void aBlockedPageAnswersFlareSolverrsBlockTextWithHttp500AndCostsNothing() throws Exception {
        FakeSolver solver = solving(true).then(FakeSolver.fail(FailReason.BLOCKED));
        try (TestServer server = startWithBoundKey(solver, 100)) {
            ApiClient.Answer answer = v1(server, "v1", "{\"cmd\":\"request.get\",\"url\":\"" + PAGE + "\"}");
            assertThat(answer.status()).isEqualTo(500);
            JsonNode a = answer.json();
            assertThat(a.fieldNames()).toIterable().containsExactly("status", "message", "startTimestamp",
                    "endTimestamp", "version");
            assertThat(a.path("status").asText()).isEqualTo("error");
            assertThat(a.path("message").asText()).isEqualTo("Error: Error solving the challenge. Cloudflare has"
                    + " blocked this request. Probably your IP is banned for this site, check in your web browser.");
            assertThat(balanceOfBoundKey(server)).isEqualTo(100);
        }
    }

    @Test
    void maxTimeoutEndsTheRequestWithFlareSolverrsTimeoutTextAndReleasesTheHold() throws Exception {
        FakeSolver solver = solving(true).then(FakeSolver.block(new FakeSolver.Outcome.Succeed(page(true))));
        try (TestServer server = startWithBoundKey(solver, 100)) {
            ApiClient.Answer answer = v1(server, "v1", "{\"cmd\":\"request.get\",\"url\":\"" + PAGE
                    + "\",\"maxTimeout\":1500}");
            assertThat(answer.status()).isEqualTo(500);
            assertThat(answer.json().path("message").asText())
                    .isEqualTo("Error: Error solving the challenge. Timeout after 1.5 seconds.");
            solver.awaitInterrupted(1);
            assertThat(balanceOfBoundKey(server)).isEqualTo(100);
        }
    }

    /** A maxTimeout longer than the task's deadline ends at the deadline, and the text says the timeout that struck. */
    @Test
    void theTasksDeadlineEndsALongerMaxTimeoutAndIsTheTimeoutSaid() throws Exception {
        FakeSolver solver = solving(true).then(FakeSolver.block(new FakeSolver.Outcome.Succeed(page(true))));
        Path dir = Files.createTempDirectory("turnpike-flaresolverr-test");
        dataDirs.add(dir);
        TestServer first = TestServer.builder().dataDir(dir).start();
        String key = first.createKey(100);
        first.stop();
        try (TestServer server = on(key).setting("task.deadline", "2s").solver(solver).dataDir(dir).start()) {
            CompletableFuture<ApiClient.Answer> request = CompletableFuture.supplyAsync(() -> v1(server, "v1",
                    "{\"cmd\":\"request.get\",\"url\":\"" + PAGE + "\",\"maxTimeout\":60000}"));
            solver.awaitStarted(1);
            server.advance(Duration.ofSeconds(3)); // past the task's deadline, far before maxTimeout

            ApiClient.Answer answer = request.get(30, TimeUnit.SECONDS);
            assertThat(answer.json().path("message").asText())
                    .isEqualTo("Error: Error solving the challenge. Timeout after 2.0 seconds.");
            solver.awaitInterrupted(1);
            assertThat(balanceOfBoundKey(server)).isEqualTo(100);
        }
    }

    @Test
    void badRequestsGetFlareSolverrsErrorTexts() throws Exception {
        try (TestServer server = startWithBoundKey(solving(false), 100)) {
            assertError(server, "{}", "Error: Request parameter 'cmd' is mandatory.");
            assertError(server, "{\"cmd\":\"request.put\"}", "Error: Request parameter 'cmd' = 'request.put' is invalid.");
            assertError(server, "{\"cmd\":\"request.get\"}",
                    "Error: Request parameter 'url' is mandatory in 'request.get' command.");
            assertError(server, "{\"cmd\":\"request.post\",\"url\":\"" + PAGE + "\"}",
                    "Error: Request parameter 'postData' is mandatory in 'request.post' command.");
            assertError(server, "{\"cmd\":\"request.get\",\"url\":\"" + PAGE + "\",\"postData\":\"a=1\"}",
                    "Error: Cannot use 'postBody' when sending a GET request.");
            assertError(server, "{\"cmd\":\"request.get\",\"url\":\"ftp://site.example/\"}",
                    "Error: Request parameter 'url' is not an http or https URL: ftp://site.example/");
            assertError(server, "{\"cmd\":\"request.get\",\"url\":\"" + PAGE + "\",\"maxTimeout\":\"soon\"}",
                    "Error: Request parameter 'maxTimeout' must be a number.");
            assertError(server, "{\"cmd\":\"request.get\",\"url\":\"" + PAGE + "\",\"cookies\":{\"a\":1}}",
                    "Error: Request parameter 'cookies' must be a list of {name, value, ...}.");
            assertError(server, "{\"cmd\":\"request.get\",\"url\":\"" + PAGE + "\",\"proxy\":{\"url\":\"gopher://x:1\"}}",
                    "Error: Request parameter 'proxy' is not valid");
            assertError(server, "{\"cmd\":\"sessions.destroy\",\"session\":\"nope\"}",
                    "Error: Sessions are not available on this server: they need its own browser pool, and a node of a cluster has none.");
            ApiClient.Answer notJson = v1(server, "v1", "{nope");
            assertThat(notJson.status()).isEqualTo(400);
            assertThat(notJson.json().path("status").asText()).isEqualTo("error");
            assertThat(server.solver().calls()).isZero();
            assertThat(balanceOfBoundKey(server)).isEqualTo(100);
        }
    }

    @Test
    void everyUrlAndProxyIsCheckedByTheAddressPolicyBeforeAnythingIsContacted() throws Exception {
        try (TestServer server = startWithBoundKey(solving(false), 100)) {
            assertError(server, "{\"cmd\":\"request.get\",\"url\":\"http://loopback.test/\"}",
                    "Error: url is not allowed: its address 127.0.0.1 is loopback");
            assertError(server, "{\"cmd\":\"request.get\",\"url\":\"" + PAGE
                    + "\",\"proxy\":{\"url\":\"http://private.test:3128\"}}", "Error: proxy is not allowed");
            assertThat(server.solver().calls()).isZero();
        }
    }

    @Test
    void unknownParametersAreIgnored() throws Exception {
        try (TestServer server = startWithBoundKey(solving(false), 100)) {
            JsonNode a = v1(server, "v1", "{\"cmd\":\"request.get\",\"url\":\"" + PAGE
                    + "\",\"headers\":[],\"userAgent\":\"x\",\"download\":true,\"somethingNew\":{}}").json();
            assertThat(a.path("status").asText()).isEqualTo("ok");
        }
    }

    // ---- the parameters reach the task ----

    @Test
    void everyParameterReachesThePageRequest() throws Exception {
        FakeSolver solver = solving(false);
        try (TestServer server = startWithBoundKey(solver, 100)) {
            v1(server, "v1", """
                    {"cmd":"request.post","url":"%s","postData":"a=1&b=two%%20words&empty=","maxTimeout":30000,
                     "cookies":[{"name":"c1","value":"v1"},{"name":"c2","value":"v2","domain":".site.example","path":"/p"}],
                     "proxy":{"url":"socks5://proxy.example:1080","username":"u","password":"secret"},
                     "returnOnlyCookies":true,"returnScreenshot":true,"waitInSeconds":2,"disableMedia":true}
                    """.formatted(PAGE));
            TaskSpec.PageRequest spec = (TaskSpec.PageRequest) solver.seen().get(0);
            assertThat(spec.websiteUrl()).isEqualTo(URI.create(PAGE));
            assertThat(spec.post().mode()).isEqualTo(TaskSpec.RqData.Mode.FORM);
            assertThat(spec.post().fields()).containsExactly(Map.entry("a", "1"), Map.entry("b", "two words"),
                    Map.entry("empty", ""));
            assertThat(spec.cookies()).hasSize(2);
            assertThat(spec.cookies().get(1)).containsEntry("domain", ".site.example").containsEntry("path", "/p");
            assertThat(spec.proxy()).isEqualTo(new ProxySpec(ProxySpec.Scheme.SOCKS5, "proxy.example", 1080, "u", "secret"));
            assertThat(spec.options()).isEqualTo(new TaskSpec.PageOptions(true, true, true));
            assertThat(spec.waitMillis()).isEqualTo(2000);
            assertThat(spec.session()).isNull();
            assertThat(spec.plainFetchPrice()).isEqualTo(5);
        }
    }

    // ---- helpers ----

    private static void assertError(TestServer server, String body, String messageStart) {
        ApiClient.Answer answer = v1(server, "v1", body);
        assertThat(answer.status()).as(body).isEqualTo(500);
        assertThat(answer.json().path("status").asText()).isEqualTo("error");
        assertThat(answer.json().path("message").asText()).as(body).startsWith(messageStart);
        assertThat(answer.json().has("version")).isTrue();
    }

    /** The bound key's account: the only account of these servers. */
    private static long balanceOfBoundKey(TestServer server) {
        return server.standalone().accounts().list().get(0).available();
    }

    private static String ledger(TestServer server) {
        return server.standalone().accounts().ledger(server.standalone().accounts().list().get(0).id()).toString();
    }
}
