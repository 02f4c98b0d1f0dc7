package dev.turnpike.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A scripted imitation of a captcha service on 127.0.0.1: each method answers from a script, and every call is
 * recorded, so tests can check what the client sent and how often. Test code only.
 */
final class FakeService implements AutoCloseable {

    /** One request the client made. */
    record Call(String path, String method, JsonNode body) {
    }

    /** One answer: an HTTP status and a body (JSON text, or anything). */
    record Reply(int status, String body) {

        static Reply json(String body) {
            return new Reply(200, body);
        }
    }

    /** Produces the answer to one call; may block (each call has its own virtual thread). */
    interface Script {
        Reply answer(Call call) throws Exception;
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final Map<String, Script> scripts = new ConcurrentHashMap<>();
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    /** Released on close, so scripts that hang (to provoke a read timeout) end with the test. */
    final CountDownLatch closed = new CountDownLatch(1);

    FakeService() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Answers {@code method} with {@code script}. */
    FakeService on(String method, Script script) {
        scripts.put(method, script);
        return this;
    }

    /** Answers {@code method} with these JSON bodies in turn; the last one repeats. */
    FakeService answer(String method, String... jsonBodies) {
        return replies(method, Arrays.stream(jsonBodies).map(Reply::json).toArray(Reply[]::new));
    }

    /** Answers {@code method} with these replies in turn; the last one repeats. */
    FakeService replies(String method, Reply... replies) {
        List<Reply> queue = new ArrayList<>(List.of(replies));
        return on(method, call -> {
            synchronized (queue) {
                return queue.size() > 1 ? queue.removeFirst() : queue.getFirst();
            }
        });
    }

    List<Call> calls(String method) {
        return calls.stream().filter(c -> c.method().equals(method)).toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String trimmed = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
            String method = trimmed.substring(trimmed.lastIndexOf('/') + 1);
            byte[] raw = exchange.getRequestBody().readAllBytes();
            Call call = new Call(path, method, raw.length == 0 ? null : JSON.readTree(raw));
            calls.add(call);
            Script script = scripts.get(method);
            Reply reply;
            try {
                reply = script == null
                        ? Reply.json("{\"errorId\":1,\"errorCode\":\"ERROR_NO_SUCH_METHOD\",\"errorDescription\":\"\"}")
                        : script.answer(call);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                reply = new Reply(500, "script failed: " + e);
            }
            byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
            exchange.sendResponseHeaders(reply.status(), body.length == 0 ? -1 : body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        closed.countDown();
        server.stop(0);
        executor.shutdownNow();
    }
}
