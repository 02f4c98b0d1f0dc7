package dev.turnpike.server.task;

import dev.turnpike.protocol.ErrorCode;

/** Why a task failed. Every failure has exactly one; the protocol error code follows from it. */
public enum FailReason {
    /** The Turnstile widget reported an error code (invalid sitekey, domain not allowed, challenge failed...). */
    WIDGET_ERROR(ErrorCode.ERROR_CAPTCHA_UNSOLVABLE, false),
    /** No widget with the task's sitekey could be found or rendered on the page. */
    NO_WIDGET(ErrorCode.ERROR_CAPTCHA_UNSOLVABLE, false),
    /** The site answered with Cloudflare's block page (1020, "Sorry, you have been blocked"). */
    BLOCKED(ErrorCode.ERROR_CAPTCHA_UNSOLVABLE, false),
    /** The challenge kept coming back after it was passed; attempts were capped. */
    CHALLENGE_LOOP(ErrorCode.ERROR_CAPTCHA_UNSOLVABLE, false),
    /** The page could not be loaded (DNS, TLS, connection reset, refused address, HTTP error). */
    NAVIGATION_FAILED(ErrorCode.ERROR_CAPTCHA_UNSOLVABLE, false),
    /** The proxy refused the connection. */
    PROXY_REFUSED(ErrorCode.ERROR_PROXY_CONNECT_REFUSED, false),
    /** The proxy did not accept the connection in time. */
    PROXY_CONNECT_TIMEOUT(ErrorCode.ERROR_PROXY_CONNECT_TIMEOUT, false),
    /** The proxy accepted but stopped answering. */
    PROXY_READ_TIMEOUT(ErrorCode.ERROR_PROXY_READ_TIMEOUT, false),
    /** The proxy rejected the credentials (407). */
    PROXY_NOT_AUTHORISED(ErrorCode.ERROR_PROXY_NOT_AUTHORISED, false),
    /**
     * The proxy took the connection but answered the page's own request with an error of its own (502 Bad Gateway, a
     * SOCKS failure reply) instead of the site's page. PROTOCOL.md §7 has no code of its own for it; the proxy
     * refused to carry the connection, so it answers as a refusal, and the description quotes the proxy.
     */
    PROXY_BAD_GATEWAY(ErrorCode.ERROR_PROXY_CONNECT_REFUSED, false),
    /** The target refused the proxy's exit address (blocked IP, 1005/1006 pages reached only through the proxy). */
    PROXY_BANNED(ErrorCode.ERROR_PROXY_BANNED, false),
    /** The browser running the task crashed or was killed; retried once on another browser. */
    BROWSER_CRASHED(ErrorCode.ERROR_CAPTCHA_UNSOLVABLE, true),
    /** A FlareSolverr request named a session that would have to be made, and as many as allowed exist already. */
    SESSIONS_FULL(ErrorCode.ERROR_NO_SLOT_AVAILABLE, false),
    /** The 120 s deadline from creation passed. */
    DEADLINE(ErrorCode.ERROR_TASK_TIMEOUT, false),
    /** The server is shutting down and the task could not finish. */
    SHUTDOWN(ErrorCode.ERROR_SERVICE_UNAVALIABLE, false),
    /**
     * Cluster mode: the solver node holding the task stopped renewing its claim (it died or lost the store); the
     * task was queued again once, and this happened once more.
     */
    NODE_LOST(ErrorCode.ERROR_CAPTCHA_UNSOLVABLE, false),
    /** A fault of Turnpike's own. */
    INTERNAL(ErrorCode.ERROR_INTERNAL_SERVER_ERROR, false);

    private final ErrorCode errorCode;
    private final boolean retryable;

    FailReason(ErrorCode errorCode, boolean retryable) {
        this.errorCode = errorCode;
        this.retryable = retryable;
    }

    /** The code {@code getTaskResult} answers with. */
    public ErrorCode errorCode() {
        return errorCode;
    }

    /** Whether the worker may run the task once more on another browser. */
    public boolean retryable() {
        return retryable;
    }
}
