package dev.turnpike.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.turnpike.server.testing.FakeSolver;
import dev.turnpike.server.testing.TestServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A client that sends its request a byte at a time never goes idle; {@code http.headTimeout} and
 * {@code http.bodyTimeout} (1 s here) close its connection anyway, while a request that was sent promptly may take
 * as long as its task does.
 */
class SlowClientsAreCutOffTest {

    static TestServer server;
    static ScheduledExecutorService trickler;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.builder().setting("http.headTimeout", "1s").setting("http.bodyTimeout", "1s")
                .solver(FakeSolver.forAllTypes()).start();
        trickler = Executors.newSingleThreadScheduledExecutor();
    }

    @AfterAll
    static void stop() {
        trickler.shutdownNow();
        server.close();
    }

    /** What became of a trickling client: cut off by the server, or still sending when it ran out of bytes. */
    private record Trickle(boolean cutOff, Duration after) {
    }

    /** Sends {@code prefix} at once, then {@code rest} one byte every 100 ms, until the server closes the socket. */
    private static Trickle trickle(String prefix, String rest) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", server.baseUrl().getPort())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(prefix.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            long start = System.nanoTime();
            byte[] bytes = rest.getBytes(StandardCharsets.US_ASCII);
            CompletableFuture<Void> sent = new CompletableFuture<>();
            int[] next = {0};
            var pacing = trickler.scheduleAtFixedRate(() -> {
                try {
                    if (next[0] < bytes.length) {
                        out.write(bytes[next[0]++]);
                        out.flush();
                    } else {
                        sent.complete(null);
                    }
                } catch (IOException e) {
                    sent.complete(null);
                }
            }, 100, 100, TimeUnit.MILLISECONDS);
            try {
                boolean closed = closedByServer(socket.getInputStream());
                return new Trickle(closed && !sent.isDone(), Duration.ofNanos(System.nanoTime() - start));
            } finally {
                pacing.cancel(false);
            }
        }
    }

    /** Reads until the server ends the connection; true if it did so (EOF or reset) without a complete answer. */
    private static boolean closedByServer(InputStream in) {
        try {
            byte[] answer = in.readAllBytes();
            return !new String(answer, StandardCharsets.ISO_8859_1).contains("\"errorId\":0");
        } catch (IOException reset) {
            return true;
        }
    }

    private static final String LONG_HEAD_REST = "Host: 127.0.0.1\r\nContent-Type: application/json\r\n"
            + "X-Padding: " + "p".repeat(200) + "\r\n\r\n";

    @Test
    void aClientTricklingItsRequestHeadIsCutOff() throws Exception {
        Trickle trickle = trickle("POST /getBalance HTTP/1.1\r\n", LONG_HEAD_REST);

        assertThat(trickle.cutOff()).as("closed while the client was still sending its head").isTrue();
        assertThat(trickle.after()).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void aClientTricklingItsBodyIsCutOff() throws Exception {
        String body = "{\"clientKey\":\"" + "k".repeat(200) + "\"}";
        Trickle trickle = trickle("POST /getBalance HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + body.length() + "\r\n\r\n", body);

        assertThat(trickle.cutOff()).as("closed while the client was still sending its body").isTrue();
        assertThat(trickle.after()).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void aSyncTaskSentPromptlyIsAnsweredAfterBothDeadlinesHavePassed() throws Exception {
        String key = server.createKey(1000);
        server.solver().then(FakeSolver.block(FakeSolver.succeed("slow-token")));
        CompletableFuture<JsonNode> sync = CompletableFuture.supplyAsync(() -> server.client().call("createSyncTask",
                Map.of("clientKey", key, "task", Map.of("type", "TurnstileTaskProxyless",
                        "websiteURL", "https://site.example/", "websiteKey", "0x4AAAAAAAB"))));
        server.solver().awaitStarted(1);
        // A head deadline and a body deadline pass meanwhile, each measured by a client they cut off.
        assertThat(trickle("POST /getBalance HTTP/1.1\r\n", LONG_HEAD_REST).cutOff()).isTrue();

        server.solver().release(1);

        JsonNode answer = sync.get(30, TimeUnit.SECONDS);
        assertThat(answer.path("errorId").asInt()).as("%s", answer).isZero();
        assertThat(answer.path("solution").path("token").asText()).isEqualTo("slow-token");
    }
}
