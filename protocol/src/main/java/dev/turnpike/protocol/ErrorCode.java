package dev.turnpike.protocol;

/**
 * Every error code Turnpike sends (PROTOCOL.md §7). The constant names are the wire strings, misspellings
 * included ({@code UNAVALIABLE}, {@code CAPCHA}, {@code AUTHORISED}): clients match them exactly.
 */
public enum ErrorCode {
    ERROR_BAD_REQUEST,
    ERROR_KEY_DOES_NOT_EXIST,
    ERROR_TASK_ABSENT,
    ERROR_TASK_NOT_SUPPORTED,
    ERROR_REQUIRED_FIELDS,
    ERROR_ZERO_BALANCE,
    ERROR_NO_SLOT_AVAILABLE,
    ERROR_TASKID_INVALID,
    ERROR_NO_SUCH_CAPCHA_ID,
    ERROR_CAPTCHA_UNSOLVABLE,
    ERROR_TASK_TIMEOUT,
    ERROR_PROXY_CONNECT_REFUSED,
    ERROR_PROXY_CONNECT_TIMEOUT,
    ERROR_PROXY_READ_TIMEOUT,
    ERROR_PROXY_NOT_AUTHORISED,
    ERROR_PROXY_BANNED,
    ERROR_SERVICE_UNAVALIABLE,
    ERROR_INTERNAL_SERVER_ERROR,
    ERROR_NO_SUCH_METHOD;

    /** The code as sent on the wire. */
    public String wire() {
        return name();
    }
}
