package dev.turnpike.protocol;

/**
 * Every error code Turnpike sends (PROTOCOL.md §7). The constant names are the wire strings, misspellings
 * included ({@code UNAVALIABLE}, {@code CAPCHA}, {@code AUTHORISED}): clients match them exactly.
 */
public enum ErrorCode {
    /** The body is not JSON, or a target address is not allowed. */
    ERROR_BAD_REQUEST,
    /** An unknown or revoked {@code clientKey}. */
    ERROR_KEY_DOES_NOT_EXIST,
    /** No {@code task} object. */
    ERROR_TASK_ABSENT,
    /** An unknown task {@code type}, or one no solver serves. */
    ERROR_TASK_NOT_SUPPORTED,
    /** A field missing or invalid; the description names them. */
    ERROR_REQUIRED_FIELDS,
    /** Available points below the task's price. */
    ERROR_ZERO_BALANCE,
    /** The queue is full. */
    ERROR_NO_SLOT_AVAILABLE,
    /** An unknown, expired or foreign task id. */
    ERROR_TASKID_INVALID,
    /** A report on an unknown task (or, configurably, an unknown task id). */
    ERROR_NO_SUCH_CAPCHA_ID,
    /** The solver gave up. */
    ERROR_CAPTCHA_UNSOLVABLE,
    /** Not solved within the deadline (120 s). */
    ERROR_TASK_TIMEOUT,
    /** The task's proxy refused the connection. */
    ERROR_PROXY_CONNECT_REFUSED,
    /** The task's proxy did not accept the connection in time. */
    ERROR_PROXY_CONNECT_TIMEOUT,
    /** The task's proxy stopped answering. */
    ERROR_PROXY_READ_TIMEOUT,
    /** The task's proxy refused its credentials. */
    ERROR_PROXY_NOT_AUTHORISED,
    /** The task's proxy was refused by the target. */
    ERROR_PROXY_BANNED,
    /** The service is overloaded or shutting down. */
    ERROR_SERVICE_UNAVALIABLE,
    /** A fault of the service's own. */
    ERROR_INTERNAL_SERVER_ERROR,
    /** An unknown endpoint. */
    ERROR_NO_SUCH_METHOD;

    /**
     * The code as sent on the wire.
     *
     * @return the constant's name
     */
    public String wire() {
        return name();
    }
}
