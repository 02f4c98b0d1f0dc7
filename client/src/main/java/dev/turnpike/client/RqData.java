package dev.turnpike.client;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The POST a challenge task sends once through the challenge (EZ-Captcha's {@code rqData}): {@code mode} says how
 * the body is encoded, {@code fields} are its fields. Values keep their JSON types (a {@code 123456} stays a number),
 * so give numbers, strings, booleans, lists or maps.
 *
 * @param mode   how the body is encoded
 * @param fields the body's fields, in the order given
 */
public record RqData(Mode mode, Map<String, Object> fields) {

    /** How the POST body is encoded. */
    public enum Mode {
        /** {@code application/json}. */
        JSON,
        /** {@code application/x-www-form-urlencoded}. */
        FORM
    }

    /**
     * Copies the fields, keeping their order.
     *
     * @throws NullPointerException     when {@code mode}, {@code fields} or a field name is null
     * @throws IllegalArgumentException when a field is named {@code mode}, which the protocol cannot send
     */
    public RqData {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(fields, "fields");
        if (fields.containsKey("mode")) {
            throw new IllegalArgumentException(
                    "'mode' is the encoding, not a field; the protocol cannot send a field named mode");
        }
        fields.forEach((name, value) -> Objects.requireNonNull(name, "field name"));
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields)); // keeps the caller's order
    }

    /**
     * A JSON POST with these fields.
     *
     * @param fields the body's fields
     * @return the POST
     */
    public static RqData json(Map<String, Object> fields) {
        return new RqData(Mode.JSON, fields);
    }

    /**
     * A form POST with these fields.
     *
     * @param fields the body's fields
     * @return the POST
     */
    public static RqData form(Map<String, Object> fields) {
        return new RqData(Mode.FORM, fields);
    }
}
