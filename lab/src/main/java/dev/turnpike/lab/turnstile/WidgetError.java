package dev.turnpike.lab.turnstile;

/** Why a widget failed, with the client error code Turnstile reports for it (LAB.md L1). */
public enum WidgetError {
    /** The sitekey is unknown to the lab, or its {@code invalidSitekey} hostile mode is on. */
    INVALID_SITEKEY(110100),
    /** The page's sitekey parameter is missing or malformed (api.js refuses it before any request). */
    INVALID_SITEKEY_PARAMETER(110110),
    /** The top page's host is not one of the sitekey's hostnames. */
    DOMAIN_NOT_ALLOWED(110200),
    INVALID_ACTION(110420),
    INVALID_CDATA(110430),
    /** The user agent differed between the widget's two steps, or from the request's own header. */
    INCONSISTENT_USER_AGENT(110510),
    /** The challenge was answered after its time ran out. */
    TIMED_OUT(110600),
    /** The widget page could not run its challenge (a failed request). */
    CLIENT_EXECUTION(300010),
    /** The widget stopped answering; api.js's watchdog reports it. */
    HUNG(300030),
    /** The challenge failed: always-failing keys, a wrong proof of work, no trusted click, an unknown challenge. */
    CHALLENGE_FAILED(600010);

    private final int code;

    WidgetError(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }
}
