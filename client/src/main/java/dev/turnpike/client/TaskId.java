package dev.turnpike.client;

import java.util.Objects;

/**
 * A task's id as the service gave it. Turnpike, YesCaptcha and EZ-Captcha send a JSON string; Anti-Captcha and
 * CapMonster send a JSON number. The id is kept as text and sent back in the JSON type it arrived in, so a service
 * that binds it to a number gets a number.
 *
 * @param value   the id as text (digits for numeric ids)
 * @param numeric whether it travels as a JSON number
 */
public record TaskId(String value, boolean numeric) {

    /**
     * Checks the id.
     *
     * @throws NullPointerException     when {@code value} is null
     * @throws IllegalArgumentException when it is blank, or numeric with other characters than digits
     */
    public TaskId {
        Objects.requireNonNull(value, "value");
        if (value.isBlank()) {
            throw new IllegalArgumentException("a task id is not blank");
        }
        if (numeric && !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("a numeric task id has only digits: " + value);
        }
    }

    /**
     * An id that travels as a JSON string, as Turnpike sends it.
     *
     * @param value the id
     * @return the id
     */
    public static TaskId of(String value) {
        return new TaskId(value, false);
    }

    /**
     * An id that travels as a JSON number, as Anti-Captcha sends it.
     *
     * @param value the id
     * @return the id
     */
    public static TaskId of(long value) {
        return new TaskId(Long.toString(value), true);
    }

    @Override
    public String toString() {
        return value;
    }
}
