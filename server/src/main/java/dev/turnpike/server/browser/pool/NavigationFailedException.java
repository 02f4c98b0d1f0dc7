package dev.turnpike.server.browser.pool;

import dev.turnpike.server.browser.cdp.CdpException;

/** The browser could not load a page: DNS, TLS, refused connection, refused address ({@code errorText}). */
public final class NavigationFailedException extends CdpException {

    private final String errorText;

    public NavigationFailedException(String url, String errorText) {
        super("navigation to " + url + " failed: " + errorText);
        this.errorText = errorText;
    }

    /** Chromium's net error, e.g. {@code net::ERR_NAME_NOT_RESOLVED}. */
    public String errorText() {
        return errorText;
    }
}
