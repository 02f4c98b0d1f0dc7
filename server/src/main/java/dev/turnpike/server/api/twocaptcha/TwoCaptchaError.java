package dev.turnpike.server.api.twocaptcha;

import dev.turnpike.server.task.FailReason;

/**
 * The error codes Turnpike answers in 2Captcha's dialect, spelled as 2Captcha spells them (its SDKs match the text
 * exactly; {@code CAPCHA} and {@code ADDRES} are theirs). Answered with HTTP 200, as the code alone ({@code json=0}) or
 * as {@code {"status":0,"request":CODE,"error_text":…}} ({@code json=1}).
 */
public enum TwoCaptchaError {
    /** The key is missing, or not shaped like a key. */
    ERROR_WRONG_USER_KEY,
    /** No active account has this key. */
    ERROR_KEY_DOES_NOT_EXIST,
    /** The account's available points are below the task's price. */
    ERROR_ZERO_BALANCE,
    /** The queue is full (or the server is shutting down): try again later. */
    ERROR_NO_SLOT_AVAILABLE,
    /** {@code pageurl} missing, not an http(s) URL, or its address not allowed. */
    ERROR_PAGEURL,
    /** A parameter missing or malformed, or a {@code method} this server does not solve. */
    ERROR_BAD_PARAMETERS,
    /** The proxy's address is not allowed. */
    ERROR_BAD_PROXY,
    /** The request body is larger than the server takes. */
    ERROR_TOO_BIG_CAPTCHA_FILESIZE,
    /** {@code res.php} without {@code action}. */
    ERROR_EMPTY_ACTION,
    /** An {@code id} that is not a string of digits. */
    ERROR_WRONG_ID_FORMAT,
    /** An unknown, expired or another key's task id. */
    ERROR_WRONG_CAPTCHA_ID,
    /** The task failed; nothing was charged. */
    ERROR_CAPTCHA_UNSOLVABLE,
    /** The task failed at its proxy (refused, timed out, credentials rejected). */
    ERROR_PROXY_CONNECTION_FAILED,
    /** A fault of Turnpike's own (logged); not a 2Captcha code, which would answer an HTML error page instead. */
    ERROR_INTERNAL_SERVER_ERROR;

    /** The code of a failed task: 2Captcha has one for a proxy that failed and one for everything else. */
    public static TwoCaptchaError of(FailReason reason) {
        return switch (reason) { // no default: a new reason must say how 2Captcha's clients see it
            case PROXY_REFUSED, PROXY_CONNECT_TIMEOUT, PROXY_READ_TIMEOUT, PROXY_NOT_AUTHORISED, PROXY_BAD_GATEWAY,
                 PROXY_BANNED -> ERROR_PROXY_CONNECTION_FAILED;
            case WIDGET_ERROR, NO_WIDGET, BLOCKED, CHALLENGE_LOOP, NAVIGATION_FAILED, BROWSER_CRASHED, DEADLINE,
                 SHUTDOWN, NODE_LOST, INTERNAL, SESSIONS_FULL -> ERROR_CAPTCHA_UNSOLVABLE;
        };
    }
}
