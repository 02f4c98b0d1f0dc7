package dev.turnpike.server.solver.turnstile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.turnpike.lab.Lab;
import dev.turnpike.lab.LabOptions;
import dev.turnpike.lab.core.Sitekey;
import dev.turnpike.lab.core.SitekeyMode;
import dev.turnpike.server.browser.OwnProcesses;
import dev.turnpike.server.testing.ApiClient;
import dev.turnpike.server.testing.TestServer;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Turnstile submitted through 2Captcha's {@code in.php} and polled through {@code res.php}, solved by the product's
 * browser solvers in a real Chromium against the embedded lab, the token judged by the lab's siteverify (accepted
 * once, with the hostname, action and cData asked for); and the same through 2Captcha's own JavaScript SDK from the
 * npm registry ({@code src/test/node/twocaptcha-sdk}, installed by {@code npm ci}; skipped without node or it).
 */
class InPhpTurnstileLabTest {

    static final String HOST = "shop.lab.test";
    static final long PRICE = 15;

    @TempDir
    static Path profiles;
    static Lab lab;
    static LabVerifier verifier;
    static TestServer server;
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/lib/chromium/chromium")), "Chromium is not installed");
        lab = Lab.start(LabOptions.defaults().withSeed(22));
        verifier = new LabVerifier(lab);
        server = BrowserLabServer.start(lab, profiles, 2);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (lab != null) {
            lab.close();
        }
        if (profiles != null) {
            assertThat(OwnProcesses.mentioning(profiles)).isEmpty();
            assertThat(OwnProcesses.profilesIn(profiles)).isEmpty();
        }
    }

    static Sitekey sitekey(String name) {
        return lab.admin().registerSitekey(new Sitekey("0x4AAAAAAA" + name, "0x4AAAAAAA" + name + "Secret",
                List.of("lab.test"), SitekeyMode.MANAGED, 12, 0, null));
    }

    static String send(String path, boolean post, Map<String, String> params) throws IOException, InterruptedException {
        String form = params.entrySet().stream().map(e -> e.getKey() + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
        HttpRequest request = post
                ? HttpRequest.newBuilder(server.baseUrl().resolve(path)).header("Content-Type",
                        "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)).build()
                : HttpRequest.newBuilder(URI.create(server.baseUrl().resolve(path) + "?" + form)).GET().build();
        HttpResponse<String> r = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }

    /** Polls res.php every 250 ms until the answer is no longer CAPCHA_NOT_READY; the price is held meanwhile. */
    static String poll(String key, String id, boolean json, long heldBalance) throws Exception {
        long limit = System.nanoTime() + Duration.ofSeconds(150).toNanos();
        Map<String, String> params = new LinkedHashMap<>(Map.of("key", key, "action", "get", "id", id));
        if (json) {
            params.put("json", "1");
        }
        while (System.nanoTime() < limit) {
            long balance = server.balance(key);
            String answer = send("/res.php", false, params);
            if (!answer.contains("CAPCHA_NOT_READY")) {
                return answer;
            }
            assertThat(balance).as("the price is held while the task runs").isEqualTo(heldBalance);
            Thread.sleep(250);
        }
        throw new AssertionError("the task did not end within 150 s");
    }

    @Test
    void aManagedWidgetSubmittedInTextFormIsSolvedAndTheTokenVerifiesOnce() throws Exception {
        Sitekey sitekey = sitekey("inPhpManaged");
        String key = server.createKey(1_000);
        String created = send("/in.php", true, Map.of("key", key, "method", "turnstile", "sitekey", sitekey.sitekey(),
                "pageurl", "https://" + HOST + "/login", "action", "login", "data", "c-in-php", "soft_id", "4587"));
        assertThat(created).matches("OK\\|\\d+");

        String answer = poll(key, created.substring(3), false, 1_000 - PRICE);

        assertThat(answer).startsWith("OK|");
        verifier.assertAcceptedOnce(sitekey.secret(), answer.substring(3), HOST, "login", "c-in-php");
        assertThat(server.balance(key)).as("the price is captured").isEqualTo(1_000 - PRICE);
    }

    @Test
    void twoCaptchasOwnJavaScriptSdkSolvesThroughTurnpike() throws Exception {
        Path sdk = Path.of("src/test/node/twocaptcha-sdk").toAbsolutePath();
        assumeTrue(onPath("node"), "node is not installed: the SDK run needs Node.js 18 or later");
        assumeTrue(Files.isDirectory(sdk.resolve("node_modules/@2captcha/captcha-solver")),
                "2Captcha's SDK is not installed: run npm ci in " + sdk);
        Sitekey sitekey = sitekey("inPhpSdk");
        String key = server.createKey(1_000);
        ProcessBuilder node = new ProcessBuilder("node", "--require", "./point-at-turnpike.cjs", "solve.cjs")
                .directory(sdk.toFile()).redirectErrorStream(true);
        node.environment().putAll(Map.of("TURNPIKE_2CAPTCHA_URL", server.baseUrl().toString(), "KEY", key,
                "PAGEURL", "https://" + HOST + "/sdk", "SITEKEY", sitekey.sitekey(), "ACTION", "sdk", "DATA", "from-npm"));
        Process process = node.start();
        String output;
        try (var out = process.getInputStream()) {
            output = new String(out.readAllBytes(), StandardCharsets.UTF_8);
        } finally {
            if (!process.waitFor(150, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
        assertThat(process.exitValue()).as("the SDK run: %s", output).isZero();
        JsonNode run = ApiClient.mapper().readTree(output.lines().reduce((a, b) -> b).orElseThrow());
        assertThat(run.get("before").asDouble()).isEqualTo(1_000);
        assertThat(run.get("after").asDouble()).as("charged once").isEqualTo(1_000 - PRICE);
        assertThat(run.get("report").asText()).isEqualTo("OK_REPORT_RECORDED");
        assertThat(run.get("useragent").asText()).startsWith("Mozilla/5.0");
        verifier.assertAcceptedOnce(sitekey.secret(), run.get("token").asText(), HOST, "sdk", "from-npm");
    }

    private static boolean onPath(String program) {
        String path = System.getenv("PATH");
        return path != null && java.util.Arrays.stream(path.split(java.io.File.pathSeparator))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, program)));
    }

    @Test
    void theChallengePageVariantAnswersTheTokenAndItsUserAgentInJson() throws Exception {
        Sitekey sitekey = sitekey("inPhpChallengePage");
        String key = server.createKey(1_000);
        JsonNode created = ApiClient.mapper().readTree(send("/in.php", false, Map.of("key", key, "method", "turnstile",
                "sitekey", sitekey.sitekey(), "pageurl", "https://" + HOST + "/challenge", "action", "managed",
                "data", "ray-8f1c2d", "pagedata", "3gAFo2lzc3VlZF9hdM5n", "json", "1")));
        assertThat(created.get("status").intValue()).as(created.toString()).isEqualTo(1);

        JsonNode answer = ApiClient.mapper().readTree(poll(key, created.get("request").textValue(), true, 1_000 - PRICE));

        assertThat(answer.get("status").intValue()).as(answer.toString()).isEqualTo(1);
        assertThat(answer.get("useragent").textValue()).startsWith("Mozilla/5.0").doesNotContain("Headless");
        verifier.assertAcceptedOnce(sitekey.secret(), answer.get("request").textValue(), HOST, "managed", "ray-8f1c2d");
        // The same task read through the JSON protocol: one house, two doors.
        JsonNode result = server.client().call("getTaskResult", Map.of("clientKey", key, "taskId",
                created.get("request").textValue()));
        assertThat(result.path("solution").path("token").asText()).isEqualTo(answer.get("request").textValue());
    }
}
