package dev.turnpike.lab.origin;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One answer of the origin, independent of the HTTP server: status, headers in order (repeats allowed, for
 * {@code Set-Cookie}) and body.
 */
public record OriginResponse(int status, List<OriginRequest.Header> headers, byte[] body) {

    public OriginResponse {
        headers = List.copyOf(headers);
        body = body == null ? new byte[0] : body;
    }

    public Optional<String> header(String name) {
        return headers.stream().filter(h -> h.name().equalsIgnoreCase(name)).map(OriginRequest.Header::value)
                .findFirst();
    }

    public List<String> headers(String name) {
        return headers.stream().filter(h -> h.name().equalsIgnoreCase(name)).map(OriginRequest.Header::value)
                .toList();
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    static Builder status(int status) {
        return new Builder(status);
    }

    /** Collects headers, then the body. */
    static final class Builder {
        private final int status;
        private final List<OriginRequest.Header> headers = new ArrayList<>();

        private Builder(int status) {
            this.status = status;
        }

        Builder header(String name, String value) {
            headers.add(new OriginRequest.Header(name, value));
            return this;
        }

        OriginResponse body(String contentType, String text) {
            header("Content-Type", contentType);
            return new OriginResponse(status, headers, text.getBytes(StandardCharsets.UTF_8));
        }

        OriginResponse html(String text) {
            return body("text/html; charset=UTF-8", text);
        }

        OriginResponse bodyBytes(byte[] bytes) {
            return new OriginResponse(status, headers, bytes);
        }

        OriginResponse empty() {
            return new OriginResponse(status, headers, new byte[0]);
        }
    }
}
