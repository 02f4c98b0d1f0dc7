package dev.turnpike.server.api;

import dev.turnpike.protocol.ErrorCode;
import dev.turnpike.protocol.ErrorResponse;

/** A protocol error: answered with HTTP 200 and an {@link ErrorResponse} envelope. */
public final class ApiException extends Exception {

    private final ErrorCode code;

    public ApiException(ErrorCode code, String description) {
        super(description, null, false, false); // control flow, not a fault: no stack trace
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }

    public ErrorResponse toResponse() {
        return ErrorResponse.of(code, getMessage());
    }
}
