package dev.turnpike.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.turnpike.server.testing.ApiClient;
import dev.turnpike.server.testing.ServeProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code turnpike serve} killed with SIGKILL while browsers really solve its tasks (a lab sitekey that answers after
 * 90 s), then started again on the same data directory: no point stays held, and every task of the killed run
 * answers a clear error instead of {@code processing} for ever.
 */
class KilledServerRestartTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SLOW_SITEKEY = "0x4AAAAAAAlabSlowSitekey";

    @TempDir
    Path dataDir;
    @TempDir
    Path profiles;

    private ServeProcess serve() throws Exception {
        return ServeProcess.start(List.of(), "--lab", "embedded", "--http-host", "127.0.0.1", "--http-port", "0",
                "--data-dir", dataDir.toString(), "--browser-count", "1", "--browser-contexts-per-browser", "2",
                "--browser-warm-contexts", "0", "--browser-profile-dir", profiles.toString());
    }

    @Test
    void afterASigkillWithTasksInFlightARestartHoldsNoPointsAndEveryEarlierTaskAnswersAnError() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/lib/chromium/chromium")), "Chromium is not installed");
        String key;
        List<JsonNode> taskIds = new ArrayList<>();
        try (ServeProcess first = serve()) {
            key = ServeProcess.createKey(dataDir, 100);
            URI admin = first.labAdmin();
            labPost(admin, "/sitekeys", Map.of("sitekey", SLOW_SITEKEY, "secret", "0x4AAAAAAAlabSlowSecret",
                    "hostnames", List.of("lab.test"), "mode", "managed", "delayMs", 90_000));
            ApiClient client = new ApiClient(first.api());
            for (int i = 0; i < 3; i++) {
                JsonNode created = client.call("createTask", Map.of("clientKey", key, "task", Map.of(
                        "type", "TurnstileTaskProxyless", "websiteURL", "https://demo.lab.test/",
                        "websiteKey", SLOW_SITEKEY)));
                assertThat(created.path("errorId").asInt()).as("%s", created).isZero();
                taskIds.add(created.path("taskId"));
            }
            awaitChallengesIssued(admin, 2); // both browser contexts are solving; the third task waits in the queue
            assertThat(client.call("getBalance", Map.of("clientKey", key)).path("balance").asLong())
                    .as("three tasks hold their price").isEqualTo(100 - 3 * 15);

            first.kill();
        }

        try (ServeProcess second = serve()) {
            ApiClient client = new ApiClient(second.api());
            JsonNode balance = client.call("getBalance", Map.of("clientKey", key));
            assertThat(balance.path("balance").asLong()).as("no point held after the restart: %s", balance).isEqualTo(100);
            for (JsonNode taskId : taskIds) {
                JsonNode result = client.call("getTaskResult", Map.of("clientKey", key, "taskId", taskId));
                assertThat(result.path("status").asText()).as("%s", result).isNotEqualTo("processing");
                assertThat(result.path("errorId").asInt()).as("%s", result).isEqualTo(1);
                assertThat(result.path("errorCode").asText()).isEqualTo("ERROR_SERVICE_UNAVALIABLE");
                assertThat(result.path("errorDescription").asText()).contains("stopped", "released");
            }
            assertThat(second.stop(java.time.Duration.ofSeconds(60))).isNotNull();
        }
    }

    private static void labPost(URI admin, String path, Map<String, Object> body) throws Exception {
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(admin.resolve(path))
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isBetween(200, 299);
    }

    private static void awaitChallengesIssued(URI admin, int count) throws Exception {
        long until = System.nanoTime() + 120_000_000_000L;
        HttpClient http = HttpClient.newHttpClient();
        while (System.nanoTime() < until) {
            String events = http.send(HttpRequest.newBuilder(admin.resolve("/events")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            long issued = 0;
            for (JsonNode event : JSON.readTree(events).path("events")) {
                if (event.toString().contains("challenge.issued") && event.toString().contains(SLOW_SITEKEY)) {
                    issued++;
                }
            }
            if (issued >= count) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the browsers did not start solving within 120 s");
    }
}
