package dev.turnpike.protocol;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * The three fields every protocol answer carries (PROTOCOL.md §2): {@code errorId} 0 or 1, {@code errorCode}
 * and {@code errorDescription} always present, empty on success.
 */
public interface Envelope {

    /**
     * The error flag.
     *
     * @return 0 on success, 1 on an error
     */
    int errorId();

    /**
     * The error's code.
     *
     * @return empty on success, else an {@link ErrorCode}'s wire name (or another service's own code)
     */
    String errorCode();

    /**
     * The error, in words.
     *
     * @return empty on success, else what went wrong
     */
    String errorDescription();

    /**
     * Whether the answer is an error; clients test {@code errorId != 0}.
     *
     * @return true when {@code errorId} is not 0
     */
    @JsonIgnore
    default boolean isError() {
        return errorId() != 0;
    }
}
