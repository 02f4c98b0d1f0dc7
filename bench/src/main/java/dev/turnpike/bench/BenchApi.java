package dev.turnpike.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The protocol's methods as bare JSON POSTs, timed from the outside. Not the Java client: a benchmark measures the
 * server at its own poll interval, with no client retries in the figures, and calls createSyncTask, which the
 * client does not offer.
 */
final class BenchApi implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    BenchApi(URI base) {
        this.base = base;
    }

    /** POSTs {@code body} (a map, or JSON text as it is) to {@code /method}; the answer's JSON, whatever its status. */
    JsonNode call(String method, Object body) {
        try {
            String text = body instanceof String s ? s : JSON.writeValueAsString(body);
            HttpRequest request = HttpRequest.newBuilder(base.resolve("/" + method)).timeout(Duration.ofSeconds(150))
                    .POST(HttpRequest.BodyPublishers.ofString(text)).build();
            return JSON.readTree(http.send(request, HttpResponse.BodyHandlers.ofString()).body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Its connections and threads go. */
    @Override
    public void close() {
        http.shutdownNow();
    }
}
