package dev.turnpike.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** A bare HTTP client for protocol tests: posts raw bodies, returns status and parsed JSON. */
public final class ApiClient {

    /** An HTTP answer: its status and its body parsed as JSON (null when not JSON). */
    public record Answer(int status, String text, JsonNode json) {
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final URI base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    public ApiClient(URI base) {
        this.base = base;
    }

    /** POSTs an object as JSON to {@code /method} and returns the parsed answer (any status). */
    public JsonNode call(String method, Object body) {
        try {
            return send(method, MAPPER.writeValueAsString(body)).json();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Polls getTaskResult every 100 ms until the task is no longer processing; fails after {@code limit}. */
    public JsonNode awaitResult(String clientKey, JsonNode taskId, Duration limit) throws InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < end) {
            JsonNode result = call("getTaskResult", Map.of("clientKey", clientKey, "taskId", taskId));
            if (!"processing".equals(result.path("status").asText())) {
                return result;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the task did not end within " + limit.toSeconds() + " s");
    }

    public Answer send(String path, String body) {
        return send("POST", path, body, null);
    }

    public Answer send(String httpMethod, String path, String body, String apiKeyHeader) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve("/" + path)).timeout(Duration.ofSeconds(150))
                .method(httpMethod, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (apiKeyHeader != null) {
            b.header("X-API-Key", apiKeyHeader);
        }
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode json;
            try {
                json = MAPPER.readTree(r.body());
            } catch (IOException e) {
                json = null;
            }
            return new Answer(r.statusCode(), r.body(), json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }
}
