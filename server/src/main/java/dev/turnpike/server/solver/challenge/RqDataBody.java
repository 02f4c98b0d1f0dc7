package dev.turnpike.server.solver.challenge;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.turnpike.server.task.TaskSpec.RqData;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The body of the {@code rqData} POST (PROTOCOL.md §4.2): JSON keeps every field's JSON type
 * ({@code "name2":123456} stays a number); FORM is {@code application/x-www-form-urlencoded}, values written as
 * text (a number as its digits, a boolean as {@code true}/{@code false}, null as empty, an object or list as its
 * JSON).
 *
 * @param contentType the request's {@code Content-Type}
 * @param body        the request body
 */
record RqDataBody(String contentType, String body) {

    private static final ObjectMapper JSON = new ObjectMapper();

    static RqDataBody of(RqData rqData) {
        return switch (rqData.mode()) {
            case JSON -> new RqDataBody("application/json", json(rqData.fields()));
            case FORM -> new RqDataBody("application/x-www-form-urlencoded", form(rqData.fields()));
        };
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("rqData cannot be written as JSON", e);
        }
    }

    private static String form(Map<String, Object> fields) {
        StringJoiner out = new StringJoiner("&");
        fields.forEach((name, value) -> out.add(encode(name) + "=" + encode(text(value))));
        return out.toString();
    }

    private static String text(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof String s) {
            return s;
        }
        if (value instanceof java.math.BigDecimal d) {
            return d.toPlainString();
        }
        if (value instanceof Number || value instanceof Boolean) {
            return value.toString();
        }
        return json(value);
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
