package dev.turnpike.server.browser.identity;

/** {@code /cdn-cgi/trace} told no exit; the reason is what the solution reports. */
public final class TraceException extends Exception {

    private final ExitUnknown reason;

    public TraceException(ExitUnknown reason, String message) {
        super(message);
        this.reason = reason;
    }

    public TraceException(ExitUnknown reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public ExitUnknown reason() {
        return reason;
    }
}
