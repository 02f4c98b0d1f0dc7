package dev.turnpike.server.browser.cdp;

/** A DevTools command that Chromium answered with an error, or that could not be sent or answered. */
public class CdpException extends RuntimeException {

    public CdpException(String message) {
        super(message);
    }

    public CdpException(String message, Throwable cause) {
        super(message, cause);
    }
}
