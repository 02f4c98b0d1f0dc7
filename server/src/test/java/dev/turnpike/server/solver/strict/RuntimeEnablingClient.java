package dev.turnpike.server.solver.strict;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * A second, naive DevTools client on a pooled browser (test code only): it finds the browser through the
 * {@code DevToolsActivePort} file of its profile, auto-attaches to every page and enables {@code Runtime} there, as
 * Playwright, Puppeteer and Selenium do. It stands for "Turnpike with its quiet CDP protection off".
 */
final class RuntimeEnablingClient implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newHttpClient();
    private final WebSocket socket;
    private final AtomicLong ids = new AtomicLong();

    private RuntimeEnablingClient(String url) throws Exception {
        this.socket = http.newWebSocketBuilder().buildAsync(URI.create(url), new Listener()).get(30, TimeUnit.SECONDS);
        send(null, "Target.setAutoAttach", "{\"autoAttach\":true,\"waitForDebuggerOnStart\":false,\"flatten\":true}");
    }

    /** Connects to the one browser whose profile is under {@code profiles}. */
    static RuntimeEnablingClient attach(Path profiles) throws Exception {
        Path port;
        try (Stream<Path> files = Files.walk(profiles)) {
            port = files.filter(p -> p.getFileName().toString().equals("DevToolsActivePort")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no browser under " + profiles));
        }
        List<String> lines = Files.readAllLines(port);
        return new RuntimeEnablingClient("ws://127.0.0.1:" + lines.get(0).trim() + lines.get(1).trim());
    }

    private void send(String sessionId, String method, String params) {
        String message = "{\"id\":" + ids.incrementAndGet() + ",\"method\":\"" + method + "\",\"params\":" + params
                + (sessionId == null ? "" : ",\"sessionId\":\"" + sessionId + "\"") + "}";
        synchronized (socket) {
            socket.sendText(message, true).join();
        }
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder buffer = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            buffer.append(data);
            if (last) {
                try {
                    JsonNode message = JSON.readTree(buffer.toString());
                    if (message.path("method").asText().equals("Target.attachedToTarget")
                            && message.path("params").path("targetInfo").path("type").asText().equals("page")) {
                        String session = message.path("params").path("sessionId").asText();
                        Thread.ofVirtual().start(() -> send(session, "Runtime.enable", "{}"));
                    }
                } catch (Exception e) {
                    // not a message this client needs
                }
                buffer.setLength(0);
            }
            webSocket.request(1);
            return null;
        }
    }

    @Override
    public void close() {
        socket.abort();
        http.close();
    }
}
