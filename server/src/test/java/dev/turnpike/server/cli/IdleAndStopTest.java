package dev.turnpike.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.turnpike.lab.LabMain;
import dev.turnpike.server.browser.OwnProcesses;
import dev.turnpike.server.testing.ApiClient;
import dev.turnpike.server.testing.ServeProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server as people use one on a small machine: in bursts. Its JVM gets two virtual-thread carriers (what a
 * 2-core machine gives it), so the test fails on any machine where something holds a carrier while idle: after a
 * minute of silence every endpoint must answer within a second. Stopping (SIGTERM, what Ctrl-C runs) ends the
 * process within {@code drain.grace} + 5 s, idle or busy, with every browser and profile gone. JFR records the
 * whole run: no virtual thread of ours may stay pinned to its carrier for 20 ms or more.
 */
class IdleAndStopTest {

    private static final Duration DRAIN_GRACE = Duration.ofSeconds(5);
    private static final Duration STOP_BOUND = DRAIN_GRACE.plusSeconds(5);
    private static final Duration ANSWER_BOUND = Duration.ofSeconds(1);

    @TempDir
    Path dataDir;
    @TempDir
    Path profiles;
    @TempDir
    Path recordings;

    @BeforeEach
    void chromium() {
        assumeTrue(Files.isExecutable(Path.of("/usr/lib/chromium/chromium")), "Chromium is not installed");
    }

    @Test
    void afterAMinuteIdleOnTwoCarriersEveryEndpointAnswersWithinASecondAndNothingPins() throws Exception {
        Path recording = recordings.resolve("serve.jfr");
        try (ServeProcess serve = start(List.of("-Djdk.virtualThreadScheduler.parallelism=2",
                "-XX:StartFlightRecording:filename=" + recording + ",dumponexit=true"))) {
            String key = ServeProcess.createKey(dataDir, 1000);
            ApiClient client = new ApiClient(serve.api());

            Thread.sleep(Duration.ofSeconds(60)); // the point of the test: a real minute of silence

            JsonNode balance = within(ANSWER_BOUND, "getBalance", () -> client.call("getBalance", Map.of("clientKey", key)));
            assertThat(balance.path("balance").asLong()).as(balance.toString()).isEqualTo(1000);
            JsonNode created = within(ANSWER_BOUND, "createTask", () -> client.call("createTask", turnstile(key)));
            assertThat(created.path("errorId").asInt()).as(created.toString()).isZero();
            ApiClient.Answer live = within(ANSWER_BOUND, "/health/live", () -> client.send("GET", "health/live", null, null));
            assertThat(live.status()).isEqualTo(200);

            // Still a solver after the pause, and a few more solves for the recording.
            List<JsonNode> ids = new ArrayList<>(List.of(created.path("taskId")));
            for (int i = 0; i < 5; i++) {
                ids.add(client.call("createTask", turnstile(key)).path("taskId"));
            }
            for (JsonNode id : ids) {
                JsonNode result = client.awaitResult(key, id, Duration.ofSeconds(150));
                assertThat(result.path("status").asText()).as(result.toString()).isEqualTo("ready");
            }

            Duration stopped = serve.stop(STOP_BOUND);
            assertThat(stopped).as("an idle server stops within drain.grace + 5 s of SIGTERM").isNotNull();
        }
        assertThat(OwnProcesses.mentioning(profiles)).isEmpty();
        assertThat(OwnProcesses.profilesIn(profiles)).isEmpty();
        assertThat(pinnedInOurCode(recording)).as("virtual threads pinned ≥ 20 ms in Turnpike's code").isEmpty();
    }

    @Test
    void aServerStoppedWhileSolvingEndsWithinTheGraceAndLeavesNoBrowser() throws Exception {
        try (ServeProcess serve = start(List.of("-Djdk.virtualThreadScheduler.parallelism=2"))) {
            String key = ServeProcess.createKey(dataDir, 1000);
            ApiClient client = new ApiClient(serve.api());
            for (int i = 0; i < 8; i++) {
                JsonNode created = client.call("createTask", turnstile(key));
                assertThat(created.path("errorId").asInt()).as(created.toString()).isZero();
            }
            JsonNode busy = client.send("GET", "health/ready", null, null).json();
            Duration stopped = serve.stop(STOP_BOUND);
            assertThat(stopped).as("a busy server stops within drain.grace + 5 s of SIGTERM (%s)", busy).isNotNull();
        }
        assertThat(OwnProcesses.mentioning(profiles)).isEmpty();
        assertThat(OwnProcesses.profilesIn(profiles)).isEmpty();
    }

    private ServeProcess start(List<String> jvmOptions) throws Exception {
        return ServeProcess.start(jvmOptions, "--lab", "embedded", "--http-host", "127.0.0.1", "--http-port", "0",
                "--data-dir", dataDir.toString(), "--browser-count", "2", "--browser-profile-dir", profiles.toString(),
                "--drain-grace", DRAIN_GRACE.toSeconds() + "s");
    }

    private static Map<String, Object> turnstile(String key) {
        return Map.of("clientKey", key, "task", Map.of("type", "TurnstileTaskProxyless",
                "websiteURL", "https://demo.lab.test/", "websiteKey", LabMain.DEMO_SITEKEY));
    }

    private static <T> T within(Duration bound, String what, Supplier<T> call) {
        long start = System.nanoTime();
        T answer = call.get();
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(took).as("%s after a minute idle took %d ms", what, took.toMillis()).isLessThanOrEqualTo(bound);
        return answer;
    }

    /**
     * jdk.VirtualThreadPinned events (JFR's default threshold: 20 ms) whose stack runs through our code, but for
     * classes loaded or initialised at their first use: from JDK 24 a pin says why ("Native or VM frame on stack" while
     * the VM loads a class, "Waited for initialization of … by another thread"), and these are the JDK's, as long as
     * reading a jar on a busy machine (two runs: 20 ms loading a Netty class, 58 ms in Jackson's first
     * {@code toString}). What this guards, a lock of ours held across a wait, has its own reason.
     */
    private static List<String> pinnedInOurCode(Path recording) throws Exception {
        assertThat(recording).as("the server's JFR recording").exists();
        List<String> pinned = new ArrayList<>();
        for (RecordedEvent event : RecordingFile.readAllEvents(recording)) {
            if (!event.getEventType().getName().equals("jdk.VirtualThreadPinned") || event.getStackTrace() == null) {
                continue;
            }
            String reason = event.hasField("pinnedReason") ? event.getString("pinnedReason") : null;
            if (reason != null
                    && (reason.startsWith("Native or VM frame") || reason.startsWith("Waited for initialization"))) {
                continue;
            }
            List<RecordedFrame> frames = event.getStackTrace().getFrames();
            if (frames.stream().anyMatch(f -> f.getMethod().getType().getName().startsWith("dev.turnpike."))) {
                pinned.add(event.getDuration().toMillis() + " ms (" + reason + "): " + frames.stream().limit(12)
                        .map(f -> f.getMethod().getType().getName() + "." + f.getMethod().getName())
                        .toList());
            }
        }
        return pinned;
    }
}
