package dev.turnpike.server.task;

import java.util.Optional;

/**
 * A task's id: a positive number below 2^53, sent as a string of decimal digits (PROTOCOL.md §3.1) so that
 * typed clients bind it to a string and JavaScript clients can still hold it as a number.
 */
public record TaskId(long value) {

    public static final long LIMIT = 1L << 53;

    public TaskId {
        if (value <= 0 || value >= LIMIT) {
            throw new IllegalArgumentException("task id out of range: " + value);
        }
    }

    /** Parses the digits a client sent back; empty when they cannot be one of our ids. */
    public static Optional<TaskId> parse(String text) {
        if (text == null || text.isEmpty() || text.length() > 16) {
            return Optional.empty();
        }
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (ch < '0' || ch > '9') {
                return Optional.empty();
            }
        }
        long value = Long.parseLong(text);
        return value > 0 && value < LIMIT ? Optional.of(new TaskId(value)) : Optional.empty();
    }

    @Override
    public String toString() {
        return Long.toString(value);
    }
}
