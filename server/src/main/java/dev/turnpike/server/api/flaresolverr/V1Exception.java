package dev.turnpike.server.api.flaresolverr;

/** A /v1 request refused: its message is what FlareSolverr would say after {@code "Error: "}. */
final class V1Exception extends Exception {

    private final int httpStatus;

    V1Exception(String message) {
        this(message, 500);
    }

    /** @param httpStatus FlareSolverr answers every error with 500; a missing key is 401 here */
    V1Exception(String message, int httpStatus) {
        super(message, null, false, false);
        this.httpStatus = httpStatus;
    }

    int httpStatus() {
        return httpStatus;
    }
}
