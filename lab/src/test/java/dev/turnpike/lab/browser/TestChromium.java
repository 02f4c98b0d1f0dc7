package dev.turnpike.lab.browser;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The smallest DevTools-protocol driver the lab's browser tests need (until the project's browser engine exists):
 * launches Chromium with the lab's flags, one WebSocket, flat sessions, commands as futures, events to listeners.
 * Test code only. {@link #close()} kills the whole process tree and deletes the profile.
 */
final class TestChromium implements AutoCloseable {

    static final String BINARY = "/usr/lib/chromium/chromium";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern DEVTOOLS_URL = Pattern.compile("DevTools listening on (ws://\\S+)");

    private final Process process;
    private final Path profile;
    private final WebSocket socket;
    private final AtomicLong ids = new AtomicLong();
    private final ConcurrentHashMap<Long, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final CopyOnWriteArrayList<Consumer<JsonNode>> listeners = new CopyOnWriteArrayList<>();

    private TestChromium(Process process, Path profile, WebSocket socket) {
        this.process = process;
        this.profile = profile;
        this.socket = socket;
    }

    static boolean available() {
        return Files.isExecutable(Path.of(BINARY));
    }

    static TestChromium launch(List<String> labArgs) throws Exception {
        Path profile = Files.createTempDirectory("turnpike-lab-test-chromium-");
        List<String> command = new ArrayList<>(List.of(BINARY, "--headless=new", "--remote-debugging-port=0",
                "--user-data-dir=" + profile, "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-extensions",
                "--disable-default-apps", "--disable-breakpad", "--disable-features=Translate,OptimizationHints,MediaRouter,LensOverlay",
                "--window-size=1200,900"));
        command.addAll(labArgs);
        command.add("about:blank");
        Process process = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        CompletableFuture<String> url = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try (BufferedReader err = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = err.readLine()) != null) {
                    Matcher m = DEVTOOLS_URL.matcher(line);
                    if (m.find()) {
                        url.complete(m.group(1));
                    }
                }
            } catch (IOException ignored) {
                // the browser went away
            }
            url.completeExceptionally(new IllegalStateException("Chromium exited before DevTools listened"));
        });
        try {
            String ws = url.get(60, TimeUnit.SECONDS);
            Holder holder = new Holder();
            WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder()
                    .buildAsync(URI.create(ws), holder).get(30, TimeUnit.SECONDS);
            TestChromium chromium = new TestChromium(process, profile, socket);
            holder.chromium = chromium;
            return chromium;
        } catch (Exception e) {
            kill(process, profile);
            throw e;
        }
    }

    private static final class Holder implements WebSocket.Listener {
        volatile TestChromium chromium;
        private final StringBuilder buffer = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            buffer.append(data);
            if (last) {
                String text = buffer.toString();
                buffer.setLength(0);
                try {
                    chromium.dispatch(JSON.readTree(text));
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }
            webSocket.request(1);
            return null;
        }
    }

    private void dispatch(JsonNode message) {
        if (message.has("id")) {
            CompletableFuture<JsonNode> future = pending.remove(message.get("id").asLong());
            if (future != null) {
                if (message.has("error")) {
                    future.completeExceptionally(new IllegalStateException("CDP error: " + message.get("error")));
                } else {
                    future.complete(message.get("result"));
                }
            }
        } else {
            listeners.forEach(l -> l.accept(message));
        }
    }

    void onEvent(Consumer<JsonNode> listener) {
        listeners.add(listener);
    }

    JsonNode send(String sessionId, String method, Map<String, ?> params) throws Exception {
        long id = ids.incrementAndGet();
        ObjectNode message = JSON.createObjectNode();
        message.put("id", id);
        message.put("method", method);
        message.set("params", JSON.valueToTree(params));
        if (sessionId != null) {
            message.put("sessionId", sessionId);
        }
        CompletableFuture<JsonNode> future = new CompletableFuture<>();
        pending.put(id, future);
        synchronized (socket) {
            socket.sendText(message.toString(), true).get(30, TimeUnit.SECONDS);
        }
        return future.get(60, TimeUnit.SECONDS);
    }

    /** A fresh browser context with one page, attached (flat); returns {browserContextId, sessionId}. */
    Page newPage() throws Exception {
        String context = send(null, "Target.createBrowserContext", Map.of()).get("browserContextId").asText();
        String target = send(null, "Target.createTarget", Map.of("url", "about:blank", "browserContextId", context))
                .get("targetId").asText();
        String session = send(null, "Target.attachToTarget", Map.of("targetId", target, "flatten", true))
                .get("sessionId").asText();
        send(session, "Page.enable", Map.of());
        return new Page(this, context, session);
    }

    /** One page of a fresh context. */
    record Page(TestChromium browser, String contextId, String sessionId) {

        void navigate(String url) throws Exception {
            browser.send(sessionId, "Page.navigate", Map.of("url", url));
        }

        /** Evaluates an expression in the page (test code only) and returns its JSON value. */
        JsonNode eval(String expression) throws Exception {
            return evalIn(sessionId, expression);
        }

        JsonNode evalIn(String session, String expression) throws Exception {
            JsonNode result = browser.send(session, "Runtime.evaluate",
                    Map.of("expression", expression, "returnByValue", true, "awaitPromise", true));
            if (result.has("exceptionDetails")) {
                throw new IllegalStateException("page threw: " + result.get("exceptionDetails"));
            }
            return result.get("result").path("value");
        }

        /** Waits until the expression gives a non-empty string (or true); returns it. */
        String waitFor(String expression, Duration timeout) throws Exception {
            return waitForIn(sessionId, expression, timeout);
        }

        String waitForIn(String session, String expression, Duration timeout) throws Exception {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                JsonNode value;
                try {
                    value = evalIn(session, expression);
                } catch (IllegalStateException e) {
                    value = null; // the page is navigating
                }
                if (value != null && !value.isNull() && !value.isMissingNode() && !value.asText().isEmpty()
                        && !value.asText().equals("false")) {
                    return value.asText();
                }
                Thread.sleep(100);
            }
            throw new AssertionError("timed out waiting for " + expression);
        }

        /**
         * The widget's checkbox in a frame's session as a remote object id, or null while there is none. Found
         * through the DevTools DOM, which sees into closed shadow roots (where the widget draws it) as no
         * script of the frame can.
         */
        String checkbox(String session) throws Exception {
            JsonNode root = browser.send(session, "DOM.getDocument", Map.of("depth", -1, "pierce", true)).get("root");
            long node = findCheckbox(root);
            if (node == 0) {
                return null;
            }
            return browser.send(session, "DOM.resolveNode", Map.of("nodeId", node)).get("object").get("objectId").asText();
        }

        private static long findCheckbox(JsonNode node) {
            if ("INPUT".equals(node.path("nodeName").asText())) {
                JsonNode attributes = node.path("attributes");
                for (int i = 0; i + 1 < attributes.size(); i += 2) {
                    if (attributes.get(i).asText().equals("type") && attributes.get(i + 1).asText().equals("checkbox")) {
                        return node.path("nodeId").asLong();
                    }
                }
            }
            for (String children : List.of("shadowRoots", "children")) {
                for (JsonNode child : node.path(children)) {
                    long found = findCheckbox(child);
                    if (found != 0) {
                        return found;
                    }
                }
            }
            return 0;
        }

        /** Waits for the element of this id in a frame's session, closed shadow roots included; its object id. */
        String waitForId(String session, String id, Duration timeout) throws Exception {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                JsonNode root = browser.send(session, "DOM.getDocument", Map.of("depth", -1, "pierce", true))
                        .get("root");
                long node = findId(root, id);
                if (node != 0) {
                    return browser.send(session, "DOM.resolveNode", Map.of("nodeId", node)).get("object")
                            .get("objectId").asText();
                }
                Thread.sleep(100);
            }
            throw new AssertionError("timed out waiting for #" + id);
        }

        /** Whether an element of this id is in the frame now, closed shadow roots included. */
        boolean hasId(String session, String id) throws Exception {
            return findId(browser.send(session, "DOM.getDocument", Map.of("depth", -1, "pierce", true)).get("root"),
                    id) != 0;
        }

        private static long findId(JsonNode node, String id) {
            JsonNode attributes = node.path("attributes");
            for (int i = 0; i + 1 < attributes.size(); i += 2) {
                if (attributes.get(i).asText().equals("id") && attributes.get(i + 1).asText().equals(id)) {
                    return node.path("nodeId").asLong();
                }
            }
            for (String children : List.of("shadowRoots", "children")) {
                for (JsonNode child : node.path(children)) {
                    long found = findId(child, id);
                    if (found != 0) {
                        return found;
                    }
                }
            }
            return 0;
        }

        /** Waits for the widget's checkbox in a frame's session; returns its remote object id. */
        String waitForCheckbox(String session, Duration timeout) throws Exception {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                String found = checkbox(session);
                if (found != null) {
                    return found;
                }
                Thread.sleep(100);
            }
            throw new AssertionError("timed out waiting for the widget's checkbox");
        }

        /** Calls {@code function () {...}} with {@code this} bound to a remote object; returns its JSON value. */
        JsonNode callOn(String session, String objectId, String function) throws Exception {
            JsonNode result = browser.send(session, "Runtime.callFunctionOn", Map.of("objectId", objectId,
                    "functionDeclaration", function, "returnByValue", true, "awaitPromise", true));
            if (result.has("exceptionDetails")) {
                throw new IllegalStateException("page threw: " + result.get("exceptionDetails"));
            }
            return result.get("result").path("value");
        }

        void click(double x, double y) throws Exception {
            for (String type : List.of("mouseMoved", "mousePressed", "mouseReleased")) {
                browser.send(sessionId, "Input.dispatchMouseEvent", Map.of("type", type, "x", x, "y", y,
                        "button", type.equals("mouseMoved") ? "none" : "left", "clickCount", 1));
            }
        }

        void close() throws Exception {
            browser.send(null, "Target.disposeBrowserContext", Map.of("browserContextId", contextId));
        }
    }

    @Override
    public void close() {
        socket.abort();
        kill(process, profile);
    }

    private static void kill(Process process, Path profile) {
        process.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (var paths = Files.walk(profile)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort; the directory is under the temp dir
        }
    }

    static Duration seconds(long s) {
        return Duration.ofSeconds(s);
    }
}
