package dev.turnpike.server.solver.turnstile;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.turnpike.lab.Lab;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * LAB.md's rule for a Turnstile pass: the lab's siteverify, called over HTTP with the sitekey's secret,
 * accepts the token once (with the right hostname, action and cData) and refuses it the second time.
 */
final class LabVerifier {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Lab lab;
    private final HttpClient client;

    LabVerifier(Lab lab) {
        this.lab = lab;
        this.client = HttpClient.newBuilder().sslContext(lab.clientSslContext()).version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
    }

    JsonNode siteverify(String secret, String token) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + lab.httpsPort()
                        + "/turnstile/v0/siteverify"))
                .header("Host", "challenges.cloudflare.com").header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(
                        Map.of("secret", secret, "response", token)))).build();
        return JSON.readTree(client.send(request, HttpResponse.BodyHandlers.ofString()).body());
    }

    /** Asserts the pass rule. */
    void assertAcceptedOnce(String secret, String token, String hostname, String action, String cData) throws Exception {
        JsonNode first = siteverify(secret, token);
        assertThat(first.path("success").asBoolean()).as("siteverify: " + first).isTrue();
        assertThat(first.path("hostname").asText()).isEqualTo(hostname);
        assertThat(first.path("action").asText()).isEqualTo(action);
        assertThat(first.path("cdata").asText()).isEqualTo(cData);
        JsonNode second = siteverify(secret, token);
        assertThat(second.path("success").asBoolean()).as("a token is single-use").isFalse();
        assertThat(second.path("error-codes").toString()).contains("timeout-or-duplicate");
    }
}
