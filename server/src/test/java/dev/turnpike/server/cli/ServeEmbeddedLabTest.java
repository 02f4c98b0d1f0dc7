package dev.turnpike.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.turnpike.lab.LabMain;
import dev.turnpike.server.browser.OwnProcesses;
import dev.turnpike.server.testing.ApiClient;
import dev.turnpike.server.testing.ServeProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The product as a user starts it: {@code turnpike serve --lab embedded} in its own process (the real command line,
 * settings, lab wiring and browser), a key made with {@code turnpike keys create} beside it, then the lab's demo
 * sitekey solved through the HTTP API and the token judged by the lab's siteverify; stopping the process (as
 * Ctrl-C does) leaves no Chromium and no profile behind.
 */
class ServeEmbeddedLabTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dataDir;
    @TempDir
    Path profiles;

    @Test
    void serveWithAnEmbeddedLabSolvesTheDemoSitekeyAndStopsClean() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/lib/chromium/chromium")), "Chromium is not installed");
        try (ServeProcess serve = ServeProcess.start(List.of(), "--lab", "embedded", "--http-host", "127.0.0.1",
                "--http-port", "0", "--data-dir", dataDir.toString(), "--browser-count", "1",
                "--browser-contexts-per-browser", "2", "--browser-warm-contexts", "1",
                "--browser-profile-dir", profiles.toString())) {
            int labHttp = serve.labHttpPort();
            String key = ServeProcess.createKey(dataDir, 100);

            ApiClient client = new ApiClient(serve.api());
            JsonNode created = client.call("createTask", Map.of("clientKey", key, "task", Map.of(
                    "type", "TurnstileTaskProxyless", "websiteURL", "https://demo.lab.test/",
                    "websiteKey", LabMain.DEMO_SITEKEY, "action", "demo", "cData", "served")));
            assertThat(created.path("errorId").asInt()).as(created.toString()).isZero();
            JsonNode result = client.awaitResult(key, created.path("taskId"), Duration.ofSeconds(150));

            assertThat(result.path("status").asText()).as(result.toString()).isEqualTo("ready");
            String token = result.path("solution").path("token").asText();
            JsonNode first = siteverify(labHttp, token);
            assertThat(first.path("success").asBoolean()).as(first.toString()).isTrue();
            assertThat(first.path("hostname").asText()).isEqualTo("demo.lab.test");
            assertThat(first.path("action").asText()).isEqualTo("demo");
            assertThat(first.path("cdata").asText()).isEqualTo("served");
            assertThat(siteverify(labHttp, token).path("error-codes").toString()).contains("timeout-or-duplicate");

            // SIGTERM: the shutdown hook closes the server, its browser and the lab
            assertThat(serve.stop(Duration.ofSeconds(60))).as("serve stopped within 60 s of SIGTERM").isNotNull();
        }
        assertThat(OwnProcesses.mentioning(profiles)).isEmpty();
        assertThat(OwnProcesses.profilesIn(profiles)).isEmpty();
    }

    /** The lab's siteverify over plain HTTP on its public port, routed by the Host header. */
    private static JsonNode siteverify(int labPort, String token) throws Exception {
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()) {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + labPort
                            + "/turnstile/v0/siteverify"))
                    .header("Host", "challenges.cloudflare.com").header("Content-Type", "application/json")
                    .timeout(Duration.ofSeconds(30))
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(
                            Map.of("secret", LabMain.DEMO_SECRET, "response", token)))).build();
            return JSON.readTree(http.send(request, HttpResponse.BodyHandlers.ofString()).body());
        }
    }
}
