package dev.turnpike.server.browser.cdp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WebSocket to one browser's DevTools endpoint, shared by every session of that browser (flat
 * sessions): each command completes a future matched by its id, each event goes to the listeners of its
 * {@code sessionId}. When the socket closes, every pending and later command fails with
 * {@link CdpClosedException}, so no caller waits on a dead browser; when a session detaches, its pending commands
 * fail with {@link CdpException}.
 */
public final class CdpConnection implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CdpConnection.class);
    /** The browser-level session has no id; we key it by the empty string. */
    static final String BROWSER_SESSION = "";

    private final ObjectMapper json;
    private final WebSocket socket;
    private final AtomicLong nextId = new AtomicLong(1);
    /** Events read from the browser (benchmarks count the DevTools traffic a solve causes). */
    private final java.util.concurrent.atomic.LongAdder events = new java.util.concurrent.atomic.LongAdder();
    private final Map<Long, Pending> pending = new ConcurrentHashMap<>();
    private final Map<String, List<CdpEventListener>> listeners = new ConcurrentHashMap<>();
    private final List<Runnable> closeListeners = new CopyOnWriteArrayList<>();
    private final CompletableFuture<String> closed = new CompletableFuture<>();
    // java.net.http.WebSocket allows one outstanding send at a time: sends are chained under this lock.
    private final ReentrantLock sendLock = new ReentrantLock();
    private CompletableFuture<WebSocket> sendChain;

    /** A command sent and not yet answered, with the session it went to. */
    private record Pending(String sessionId, String method, CompletableFuture<JsonNode> result) {
    }

    private CdpConnection(ObjectMapper json, WebSocket socket) {
        this.json = json;
        this.socket = socket;
        this.sendChain = CompletableFuture.completedFuture(socket);
    }

    /** Opens the browser's DevTools WebSocket ({@code ws://127.0.0.1:PORT/devtools/browser/ID}). */
    public static CdpConnection open(URI webSocketUrl, ObjectMapper json, Duration timeout) throws IOException {
        Reader reader = new Reader();
        HttpClient client = HttpClient.newBuilder().connectTimeout(timeout).build();
        WebSocket socket;
        try {
            socket = client.newWebSocketBuilder().connectTimeout(timeout)
                    .buildAsync(webSocketUrl, reader).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while opening " + webSocketUrl, e);
        } catch (Exception e) {
            throw new IOException("cannot open DevTools WebSocket " + webSocketUrl + ": " + e.getMessage(), e);
        }
        CdpConnection connection = new CdpConnection(json, socket);
        reader.attach(connection);
        return connection;
    }

    /** The browser-level session (Target.*, Browser.*). */
    public CdpSession browser() {
        return new CdpSession(this, BROWSER_SESSION);
    }

    /** A session by the id Chromium gave it ({@code Target.attachToTarget} or auto-attach). */
    public CdpSession session(String sessionId) {
        return new CdpSession(this, sessionId);
    }

    /** Commands sent on this connection so far. */
    public long commandsSent() {
        return nextId.get() - 1;
    }

    /** Events received on this connection so far (every session's). */
    public long eventsReceived() {
        return events.sum();
    }

    public ObjectMapper json() {
        return json;
    }

    /** Whether the socket is still open. */
    public boolean isOpen() {
        return !closed.isDone();
    }

    /** Completes with the reason when the socket closes, for whatever cause. */
    public CompletableFuture<String> closedFuture() {
        return closed;
    }

    /** Runs when the connection closes (at once if it already has); close the result to unregister. */
    public CdpSession.Subscription onClose(Runnable listener) {
        closeListeners.add(listener);
        if (closed.isDone() && closeListeners.remove(listener)) {
            listener.run();
        }
        return () -> closeListeners.remove(listener);
    }

    CompletableFuture<JsonNode> send(String sessionId, String method, JsonNode params) {
        CompletableFuture<JsonNode> result = new CompletableFuture<>();
        if (closed.isDone()) {
            result.completeExceptionally(new CdpClosedException(method + ": " + closed.getNow("closed")));
            return result;
        }
        long id = nextId.getAndIncrement();
        ObjectNode message = json.createObjectNode();
        message.put("id", id);
        message.put("method", method);
        message.set("params", params == null ? json.createObjectNode() : params);
        if (!sessionId.isEmpty()) {
            message.put("sessionId", sessionId);
        }
        String text;
        try {
            text = json.writeValueAsString(message);
        } catch (IOException e) {
            result.completeExceptionally(new CdpException("cannot encode " + method, e));
            return result;
        }
        pending.put(id, new Pending(sessionId, method, result));
        // The reader may have failed everything between the check above and put(): check again.
        if (closed.isDone() && pending.remove(id) != null) {
            result.completeExceptionally(new CdpClosedException(method + ": " + closed.getNow("closed")));
            return result;
        }
        sendLock.lock();
        try {
            sendChain = sendChain.thenCompose(ws -> ws.sendText(text, true)).whenComplete((ws, error) -> {
                if (error != null && pending.remove(id) != null) {
                    result.completeExceptionally(new CdpException("cannot send " + method, error));
                }
            }).exceptionally(error -> socket);
        } finally {
            sendLock.unlock();
        }
        return result;
    }

    void addListener(String sessionId, CdpEventListener listener) {
        listeners.computeIfAbsent(sessionId, k -> new CopyOnWriteArrayList<>()).add(listener);
    }

    void removeListener(String sessionId, CdpEventListener listener) {
        List<CdpEventListener> list = listeners.get(sessionId);
        if (list != null) {
            list.remove(listener);
            if (list.isEmpty()) {
                listeners.remove(sessionId, list);
            }
        }
    }

    /**
     * Forgets every listener of a session that has ended (its target was closed or detached) and fails its pending
     * commands: Chromium never answers them, and a caller would otherwise wait out its whole timeout.
     */
    void dropSession(String sessionId) {
        listeners.remove(sessionId);
        for (Map.Entry<Long, Pending> entry : List.copyOf(pending.entrySet())) {
            Pending command = entry.getValue();
            if (command.sessionId().equals(sessionId) && pending.remove(entry.getKey()) != null) {
                command.result().completeExceptionally(new CdpException(command.method()
                        + ": the target was detached before it answered"));
            }
        }
    }

    private void dispatch(String text) {
        JsonNode message;
        try {
            message = json.readTree(text);
        } catch (IOException e) {
            log.warn("unparseable DevTools message ({} chars)", text.length());
            return;
        }
        JsonNode id = message.get("id");
        if (id != null) {
            Pending command = pending.remove(id.asLong());
            if (command == null) {
                return;
            }
            CompletableFuture<JsonNode> future = command.result();
            JsonNode error = message.get("error");
            if (error != null) {
                future.completeExceptionally(new CdpException(
                        error.path("message").asText("error") + " (" + error.path("code").asInt() + ")"));
            } else {
                future.complete(message.path("result"));
            }
            return;
        }
        String method = message.path("method").asText(null);
        if (method == null) {
            return;
        }
        events.increment();
        String sessionId = message.path("sessionId").asText(BROWSER_SESSION);
        JsonNode params = message.path("params");
        List<CdpEventListener> list = listeners.get(sessionId);
        if (list != null) {
            for (CdpEventListener listener : list) {
                try {
                    listener.onEvent(method, params);
                } catch (RuntimeException e) {
                    log.warn("DevTools event listener failed on {}", method, e);
                }
            }
        }
        if ("Target.detachedFromTarget".equals(method)) {
            dropSession(params.path("sessionId").asText());
        }
    }

    private void closedBecause(String reason) {
        if (!closed.complete(reason)) {
            return;
        }
        CdpClosedException failure = new CdpClosedException("DevTools connection closed: " + reason);
        for (Long id : List.copyOf(pending.keySet())) {
            Pending command = pending.remove(id);
            if (command != null) {
                command.result().completeExceptionally(failure);
            }
        }
        listeners.clear();
        for (Runnable listener : closeListeners) {
            try {
                listener.run();
            } catch (RuntimeException e) {
                log.warn("close listener failed", e);
            }
        }
        closeListeners.clear();
    }

    /** Closes the socket; pending commands fail. Closing the socket does not stop the browser. */
    @Override
    public void close() {
        closedBecause("closed by Turnpike");
        socket.abort();
    }

    /** Collects text frames (DevTools messages can span several) and hands whole messages over. */
    private static final class Reader implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();
        private volatile CdpConnection connection;
        private final java.util.ArrayDeque<String> early = new java.util.ArrayDeque<>();
        private String endedEarly;

        synchronized void attach(CdpConnection connection) {
            this.connection = connection;
            while (!early.isEmpty()) {
                connection.dispatch(early.poll());
            }
            if (endedEarly != null) {
                connection.closedBecause(endedEarly);
            }
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                deliver(text);
            }
            webSocket.request(1);
            return null;
        }

        private void deliver(String text) {
            CdpConnection c = connection;
            if (c != null) {
                c.dispatch(text);
                return;
            }
            synchronized (this) {
                if (connection == null) {
                    early.add(text);
                } else {
                    connection.dispatch(text);
                }
            }
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            ended("socket closed (" + statusCode + (reason.isEmpty() ? "" : " " + reason) + ")");
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            ended("socket failed: " + error);
        }

        private void ended(String reason) {
            CdpConnection c;
            synchronized (this) {
                c = connection;
                if (c == null) {
                    endedEarly = reason;
                }
            }
            if (c != null) {
                c.closedBecause(reason);
            }
        }
    }
}
