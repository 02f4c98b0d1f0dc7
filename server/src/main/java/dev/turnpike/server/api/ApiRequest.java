package dev.turnpike.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A parsed protocol request: the JSON object of the body and the {@code X-API-Key} header (the fallback for
 * {@code clientKey}).
 */
public record ApiRequest(ObjectNode body, String apiKeyHeader) {

    /** A top-level field, or null when absent. */
    public JsonNode field(String name) {
        return body.get(name);
    }
}
