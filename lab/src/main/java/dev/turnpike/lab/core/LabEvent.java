package dev.turnpike.lab.core;

import java.time.Instant;
import java.util.Map;

/**
 * One entry of the lab's ordered event log. {@code type} is a past-tense dotted name such as
 * {@code token.issued}, {@code token.verified}, {@code token.rejected}, {@code clearance.issued};
 * {@code fields} carries the details (a rejection always has a {@code reason}).
 */
public record LabEvent(long seq, Instant at, String type, Map<String, Object> fields) {

    public LabEvent {
        fields = Map.copyOf(fields);
    }

    /** A field as a string, or null when absent. */
    public String field(String name) {
        Object value = fields.get(name);
        return value == null ? null : value.toString();
    }
}
