package dev.turnpike.server.api.twocaptcha;

import com.fasterxml.jackson.databind.JsonNode;
import dev.turnpike.server.testing.ApiClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/** Sends 2Captcha-style requests the ways its clients do: GET with a query, POST as a form, multipart or JSON. */
final class TwoCaptchaHttp {

    /** How the parameters travel. */
    enum Form { GET_QUERY, POST_FORM, POST_MULTIPART, POST_JSON }

    record Answer(int status, String text, HttpHeaders headers) {
        JsonNode json() {
            try {
                return ApiClient.mapper().readTree(text);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + text, e);
            }
        }
    }

    private final URI base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    TwoCaptchaHttp(URI base) {
        this.base = base;
    }

    Answer send(String path, Form form, Map<String, String> params) {
        HttpRequest.Builder b;
        switch (form) {
            case GET_QUERY -> b = HttpRequest.newBuilder(base.resolve(path + "?" + encoded(params))).GET();
            case POST_FORM -> b = HttpRequest.newBuilder(base.resolve(path))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(encoded(params)));
            case POST_MULTIPART -> {
                String boundary = "----turnpike-test-boundary-7MA4YWxkTrZu0gW";
                StringBuilder body = new StringBuilder();
                params.forEach((k, v) -> body.append("--").append(boundary).append("\r\n")
                        .append("Content-Disposition: form-data; name=\"").append(k).append("\"\r\n\r\n")
                        .append(v).append("\r\n"));
                body.append("--").append(boundary).append("--\r\n");
                b = HttpRequest.newBuilder(base.resolve(path))
                        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                        .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
            }
            case POST_JSON -> {
                try {
                    b = HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(ApiClient.mapper().writeValueAsString(params)));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            default -> throw new IllegalArgumentException(form.name());
        }
        return send(b);
    }

    Answer raw(String method, String pathAndQuery, String contentType, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(pathAndQuery))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return send(b);
    }

    private Answer send(HttpRequest.Builder b) {
        try {
            HttpResponse<String> r = http.send(b.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(r.statusCode(), r.body(), r.headers());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String encoded(Map<String, String> params) {
        return params.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    /** An ordered map from name, value pairs. */
    static Map<String, String> params(String... pairs) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            out.put(pairs[i], pairs[i + 1]);
        }
        return out;
    }
}
