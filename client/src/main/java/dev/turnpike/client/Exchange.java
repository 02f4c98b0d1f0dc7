package dev.turnpike.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * One POST of a protocol method, its outcome classified: a protocol answer, or a fault that says whether another
 * try makes sense and whether the request surely never reached the service (which is what decides whether a
 * {@code createTask} may be sent again). Never throws for a transport failure.
 */
final class Exchange {

    /** What one POST came to. */
    sealed interface Outcome {
    }

    /** A JSON object: the protocol's envelope, success or error. */
    record Answer(JsonNode body) implements Outcome {
    }

    /**
     * No protocol answer.
     *
     * @param code         {@link TurnpikeException#TRANSPORT_ERROR} or {@link TurnpikeException#BAD_ANSWER}
     * @param transientFault another try may succeed (I/O failure, HTTP 429 or 5xx)
     * @param notDelivered the service surely did not act on the request (connection refused or not made in time,
     *                     HTTP 429 or 503)
     */
    record Fault(String code, String description, boolean transientFault, boolean notDelivered, Throwable cause)
            implements Outcome {

        TurnpikeException toException() {
            return new TurnpikeException(code, description, null, cause);
        }
    }

    private final HttpClient http;
    private final URI baseUrl;
    private final Duration requestTimeout;
    private final ObjectMapper json;

    Exchange(HttpClient http, URI baseUrl, Duration requestTimeout, ObjectMapper json) {
        this.http = http;
        this.baseUrl = baseUrl;
        this.requestTimeout = requestTimeout;
        this.json = json;
    }

    Outcome post(String method, ObjectNode body) throws InterruptedException {
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(endpoint(method))
                    .timeout(requestTimeout)
                    .header("Content-Type", "application/json")
                    .header("Accept", "application/json")
                    .header("User-Agent", "turnpike-java-client")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body)))
                    .build();
        } catch (IOException cannotHappen) {
            throw new IllegalStateException("a JSON tree always serializes", cannotHappen);
        }
        HttpResponse<byte[]> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (ConnectException | HttpConnectTimeoutException notConnected) {
            return new Fault(TurnpikeException.TRANSPORT_ERROR,
                    method + ": could not connect: " + describe(notConnected), true, true, notConnected);
        } catch (IOException lost) {
            return new Fault(TurnpikeException.TRANSPORT_ERROR, method + ": no answer: " + describe(lost), true, false,
                    lost);
        }
        return classify(method, response.statusCode(), response.body());
    }

    private Outcome classify(String method, int status, byte[] body) {
        JsonNode answer = parse(body);
        boolean envelope = answer != null && answer.isObject();
        // Some services send their error envelope with a 4xx/5xx status: the envelope is the answer then.
        if (envelope && (status / 100 == 2 || answer.has("errorId") || answer.has("errorCode"))) {
            return new Answer(answer);
        }
        String http = method + ": HTTP " + status;
        if (status == 429 || status == 503) {
            return new Fault(TurnpikeException.TRANSPORT_ERROR, http + " (refused, try later)", true, true, null);
        }
        if (status >= 500) {
            return new Fault(TurnpikeException.TRANSPORT_ERROR, http, true, false, null);
        }
        if (status / 100 == 2) {
            return new Fault(TurnpikeException.BAD_ANSWER, method + ": the answer is not a JSON object", false, false,
                    null);
        }
        return new Fault(TurnpikeException.TRANSPORT_ERROR, http, false, false, null);
    }

    /** The failure's kind and message, e.g. {@code HttpTimeoutException: request timed out}. */
    private static String describe(IOException e) {
        String kind = e.getClass().getSimpleName();
        return e.getMessage() == null ? kind : kind + ": " + e.getMessage();
    }

    private JsonNode parse(byte[] body) {
        try {
            return body.length == 0 ? null : json.readTree(body);
        } catch (IOException notJson) {
            return null;
        }
    }

    /** {@code base/method}, whether or not the base URL ends with a slash. */
    private URI endpoint(String method) {
        String base = baseUrl.toString();
        return URI.create(base.endsWith("/") ? base + method : base + "/" + method);
    }
}
