package dev.turnpike.server.browser.cdp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * One flat DevTools session (the browser's, or one attached target's) on a shared {@link CdpConnection}.
 * Cheap to create: it is only the connection and a session id.
 */
public final class CdpSession {

    /** How long a blocking {@link #call} waits when the caller gives no timeout. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private final CdpConnection connection;
    private final String id;

    CdpSession(CdpConnection connection, String id) {
        this.connection = connection;
        this.id = id;
    }

    public String id() {
        return id;
    }

    public CdpConnection connection() {
        return connection;
    }

    /** A fresh, empty parameter object. */
    public ObjectNode params() {
        return connection.json().createObjectNode();
    }

    /** Sends a command; the future completes with its result, or fails with {@link CdpException}. */
    public CompletableFuture<JsonNode> send(String method, JsonNode params) {
        return connection.send(id, method, params);
    }

    /** Sends a command and waits for its answer. */
    public JsonNode call(String method, JsonNode params) throws InterruptedException {
        return call(method, params, DEFAULT_TIMEOUT);
    }

    /** Sends a command and waits for its answer, at most {@code timeout}. */
    public JsonNode call(String method, JsonNode params, Duration timeout) throws InterruptedException {
        return await(send(method, params), method, timeout);
    }

    /** Registers a listener for every event of this session; close the result to stop listening. */
    public Subscription on(CdpEventListener listener) {
        connection.addListener(id, listener);
        return () -> connection.removeListener(id, listener);
    }

    /** Registers a listener for one event method of this session. */
    public Subscription on(String method, java.util.function.Consumer<JsonNode> handler) {
        return on((m, p) -> {
            if (m.equals(method)) {
                handler.accept(p);
            }
        });
    }

    /**
     * A future for the next event {@code method} whose params pass {@code filter}. Register it BEFORE
     * sending the command that causes the event. Fails when the connection closes.
     */
    public CompletableFuture<JsonNode> next(String method, Predicate<JsonNode> filter) {
        CompletableFuture<JsonNode> result = new CompletableFuture<>();
        CdpEventListener listener = (m, p) -> {
            if (m.equals(method) && filter.test(p)) {
                result.complete(p);
            }
        };
        connection.addListener(id, listener);
        Subscription onClose = connection.onClose(() -> result.completeExceptionally(
                new CdpClosedException("DevTools connection closed while waiting for " + method)));
        result.whenComplete((r, e) -> {
            connection.removeListener(id, listener);
            onClose.close();
        });
        return result;
    }

    /** Waits for a DevTools future, unwrapping its failure into a {@link CdpException}. */
    public static <T> T await(CompletableFuture<T> future, String what, Duration timeout) throws InterruptedException {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof CdpException cdp) {
                throw cdp instanceof CdpClosedException closed ? new CdpClosedException(closed.getMessage())
                        : new CdpException(what + ": " + cdp.getMessage(), cdp);
            }
            throw new CdpException(what + ": " + cause, cause);
        } catch (TimeoutException e) {
            future.cancel(false);
            throw new CdpException(what + ": no answer within " + timeout.toMillis() + " ms");
        } catch (InterruptedException e) {
            future.cancel(false);
            throw e;
        }
    }

    /** A registration that can be undone. */
    @FunctionalInterface
    public interface Subscription extends AutoCloseable {
        @Override
        void close();
    }
}
