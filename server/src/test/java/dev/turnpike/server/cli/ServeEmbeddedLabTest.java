package dev.turnpike.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.turnpike.lab.LabMain;
import dev.turnpike.server.browser.OwnProcesses;
import dev.turnpike.server.testing.ApiClient;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
    private static final Pattern LISTENING = Pattern.compile("Turnpike is listening on (\\S+)");
    private static final Pattern LAB_HTTP = Pattern.compile("plain HTTP on 127\\.0\\.0\\.1:(\\d+)");

    @TempDir
    Path dataDir;
    @TempDir
    Path profiles;

    @Test
    void serveWithAnEmbeddedLabSolvesTheDemoSitekeyAndStopsClean() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/lib/chromium/chromium")), "Chromium is not installed");
        Process serve = turnpike("serve", "--lab", "embedded", "--http-host", "127.0.0.1", "--http-port", "0",
                "--data-dir", dataDir.toString(), "--browser-count", "1", "--browser-contexts-per-browser", "2",
                "--browser-warm-contexts", "1", "--browser-profile-dir", profiles.toString());
        try {
            List<String> banner = new ArrayList<>();
            URI api = readUntilListening(serve, banner);
            int labHttp = banner.stream().map(LAB_HTTP::matcher).filter(Matcher::find)
                    .mapToInt(m -> Integer.parseInt(m.group(1))).findFirst()
                    .orElseThrow(() -> new AssertionError("no lab port in " + banner));
            String key = createKey();

            ApiClient client = new ApiClient(api);
            JsonNode created = client.call("createTask", Map.of("clientKey", key, "task", Map.of(
                    "type", "TurnstileTaskProxyless", "websiteURL", "https://demo.lab.test/",
                    "websiteKey", LabMain.DEMO_SITEKEY, "action", "demo", "cData", "served")));
            assertThat(created.path("errorId").asInt()).as(created.toString()).isZero();
            JsonNode result = poll(client, key, created.path("taskId"));

            assertThat(result.path("status").asText()).as(result.toString()).isEqualTo("ready");
            String token = result.path("solution").path("token").asText();
            JsonNode first = siteverify(labHttp, token);
            assertThat(first.path("success").asBoolean()).as(first.toString()).isTrue();
            assertThat(first.path("hostname").asText()).isEqualTo("demo.lab.test");
            assertThat(first.path("action").asText()).isEqualTo("demo");
            assertThat(first.path("cdata").asText()).isEqualTo("served");
            assertThat(siteverify(labHttp, token).path("error-codes").toString()).contains("timeout-or-duplicate");
        } finally {
            serve.destroy(); // SIGTERM: the shutdown hook closes the server, its browser and the lab
            if (!serve.waitFor(60, TimeUnit.SECONDS)) {
                serve.destroyForcibly();
                throw new AssertionError("serve did not stop within 60 s of SIGTERM");
            }
        }
        assertThat(OwnProcesses.mentioning(profiles)).isEmpty();
        assertThat(OwnProcesses.profilesIn(profiles)).isEmpty();
    }

    private static Process turnpike(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "dev.turnpike.server.Main"));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    /** Reads serve's output until it says where it listens (the lab's banner comes first). */
    private static URI readUntilListening(Process serve, List<String> lines) throws Exception {
        CompletableFuture<URI> address = CompletableFuture.supplyAsync(() -> {
            BufferedReader out = new BufferedReader(new InputStreamReader(serve.getInputStream(), StandardCharsets.UTF_8));
            try {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    synchronized (lines) {
                        lines.add(line);
                    }
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) {
                        Thread.ofVirtual().start(() -> out.lines().forEach(l -> { })); // keep the pipe drained
                        return URI.create(m.group(1));
                    }
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            throw new IllegalStateException("serve ended before listening");
        });
        try {
            return address.get(120, TimeUnit.SECONDS);
        } catch (Exception e) {
            synchronized (lines) {
                throw new AssertionError("serve did not start: " + String.join("\n", lines), e);
            }
        }
    }

    /** {@code turnpike keys create} while serve runs (the embedded store lets a second process in). */
    private String createKey() throws Exception {
        Process keys = turnpike("keys", "create", "--points", "100", "--name", "e2e", "--data-dir", dataDir.toString());
        String output = new String(keys.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(keys.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(keys.exitValue()).as(output).isZero();
        return output.lines().filter(l -> !l.isBlank() && !l.startsWith("Created") && !l.contains(" "))
                .findFirst().orElseThrow(() -> new AssertionError("no key in: " + output));
    }

    private static JsonNode poll(ApiClient client, String key, JsonNode taskId) throws InterruptedException {
        long limit = System.nanoTime() + Duration.ofSeconds(150).toNanos();
        while (System.nanoTime() < limit) {
            JsonNode result = client.call("getTaskResult", Map.of("clientKey", key, "taskId", taskId));
            if (!"processing".equals(result.path("status").asText())) {
                return result;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the task did not end within 150 s");
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
