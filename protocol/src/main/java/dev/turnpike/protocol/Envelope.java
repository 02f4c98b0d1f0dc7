package dev.turnpike.protocol;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * The three fields every protocol answer carries (PROTOCOL.md §2): {@code errorId} 0 or 1, {@code errorCode}
 * and {@code errorDescription} always present, empty on success.
 */
public interface Envelope {

    int errorId();

    String errorCode();

    String errorDescription();

    /** Whether the answer is an error; clients test {@code errorId != 0}. */
    @JsonIgnore
    default boolean isError() {
        return errorId() != 0;
    }
}
