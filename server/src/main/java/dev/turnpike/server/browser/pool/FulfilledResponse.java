package dev.turnpike.server.browser.pool;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;

/**
 * The answer the browser receives instead of going to the network ({@code Fetch.fulfillRequest}).
 *
 * @param status  HTTP status
 * @param headers response headers
 * @param body    response body
 */
public record FulfilledResponse(int status, Map<String, String> headers, byte[] body) {

    public FulfilledResponse {
        headers = Map.copyOf(headers);
        Objects.requireNonNull(body, "body");
    }

    /** A 200 HTML page. */
    public static FulfilledResponse html(String html) {
        return new FulfilledResponse(200, Map.of("Content-Type", "text/html; charset=utf-8",
                "Cache-Control", "no-store"), html.getBytes(StandardCharsets.UTF_8));
    }
}
