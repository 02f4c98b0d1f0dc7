package dev.turnpike.server.solver.strict;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * A second, naive DevTools client on a pooled browser (test code only): it finds the browser through the
 * {@code DevToolsActivePort} file of its profile, auto-attaches to every page and sends it the commands it was
 * given — {@code Runtime.enable}, as Playwright, Puppeteer and Selenium do, or {@code Emulation.setAutomationOverride}.
 * It undoes one of Turnpike's protections from outside the product.
 */
final class SecondDevToolsClient implements AutoCloseable {

    /** Turns the Runtime domain on in every page: Turnpike's quiet-CDP protection off. */
    static final Map<String, String> RUNTIME_ENABLE = Map.of("Runtime.enable", "{}");
    /** Makes every page say {@code navigator.webdriver === true}: the automation-flag protection off. */
    static final Map<String, String> AUTOMATION_ON = Map.of("Emulation.setAutomationOverride", "{\"enabled\":true}");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newHttpClient();
    private final WebSocket socket;
    private final AtomicLong ids = new AtomicLong();

    private final Map<String, String> commands;

    private SecondDevToolsClient(String url, Map<String, String> commands) throws Exception {
        this.commands = commands;
        this.socket = http.newWebSocketBuilder().buildAsync(URI.create(url), new Listener()).get(30, TimeUnit.SECONDS);
        send(null, "Target.setAutoAttach", "{\"autoAttach\":true,\"waitForDebuggerOnStart\":false,\"flatten\":true}");
    }

    /** Connects to the one browser whose profile is under {@code profiles}. */
    static SecondDevToolsClient attach(Path profiles, Map<String, String> commands) throws Exception {
        Path port;
        try (Stream<Path> files = Files.walk(profiles)) {
            port = files.filter(p -> p.getFileName().toString().equals("DevToolsActivePort")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no browser under " + profiles));
        }
        List<String> lines = Files.readAllLines(port);
        return new SecondDevToolsClient("ws://127.0.0.1:" + lines.get(0).trim() + lines.get(1).trim(), commands);
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
                        Thread.ofVirtual().start(() -> commands.forEach((method, params) -> send(session, method, params)));
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
