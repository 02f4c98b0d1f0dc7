package dev.turnpike.server.admin;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The admin API from elsewhere (the {@code keys} commands with {@code --server}): the JDK's HTTP client, the token
 * as {@code Authorization: Bearer}. Every refusal becomes an {@link IllegalArgumentException} with the server's
 * reason, which the command line prints.
 */
public final class AdminClient {

    private static final ObjectMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    private final URI server;
    private final String token;
    private final Duration timeout;
    private final HttpClient http;

    /** @param server the server's base URL, e.g. {@code http://10.0.0.5:8080} */
    public AdminClient(URI server, String token, Duration timeout) {
        String scheme = server.getScheme();
        if (!"http".equals(scheme) && !"https".equals(scheme) || server.getHost() == null) {
            throw new IllegalArgumentException("--server must be an http(s) URL such as http://127.0.0.1:8080, not " + server);
        }
        this.server = server;
        this.token = token;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    public AdminApi.Created create(String name, long points) {
        return post("/keys/create", Map.of("name", name, "points", points), AdminApi.Created.class);
    }

    public List<AdminApi.Key> list() {
        return send(request("/keys").GET().build(),
                JSON.getTypeFactory().constructCollectionType(List.class, AdminApi.Key.class));
    }

    public AdminApi.ToppedUp topUp(String key, long points) {
        return post("/keys/topup", Map.of("key", key, "points", points), AdminApi.ToppedUp.class);
    }

    public AdminApi.Key revoke(String key) {
        return post("/keys/revoke", Map.of("key", key), AdminApi.Key.class);
    }

    private <T> T post(String action, Map<String, Object> body, Class<T> type) {
        try {
            return send(request(action).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body))).build(),
                    JSON.constructType(type));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private HttpRequest.Builder request(String action) {
        String base = server.toString().replaceAll("/+$", "");
        return HttpRequest.newBuilder(URI.create(base + "/admin/api" + action)).timeout(timeout)
                .header("Authorization", "Bearer " + token);
    }

    private <T> T send(HttpRequest request, JavaType type) {
        HttpResponse<byte[]> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot reach " + server + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        try {
            if (response.statusCode() == 200) {
                return JSON.readValue(response.body(), type);
            }
            if (response.statusCode() == 401) {
                throw new IllegalArgumentException(server + " refused the admin token");
            }
            JsonNode error = JSON.readTree(response.body());
            throw new IllegalArgumentException(server + " answered HTTP " + response.statusCode() + ": "
                    + error.path("error").asText("(no reason given)"));
        } catch (IOException e) {
            throw new IllegalArgumentException(server + " answered HTTP " + response.statusCode()
                    + " with something that is not the admin API's JSON", e);
        }
    }
}
