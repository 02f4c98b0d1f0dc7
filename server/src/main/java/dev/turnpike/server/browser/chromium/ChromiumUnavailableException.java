package dev.turnpike.server.browser.chromium;

/** Chromium is missing or cannot run here; the message says what was tried and how to fix it. */
public final class ChromiumUnavailableException extends Exception {

    /** What to tell an operator on Debian. */
    public static final String INSTALL_HINT =
            "Install Debian's Chromium with `apt-get install -y chromium` (binary /usr/lib/chromium/chromium), "
            + "or point the setting chromiumPath at a Chromium binary.";

    public ChromiumUnavailableException(String message) {
        super(message + " " + INSTALL_HINT);
    }

    /** A missing part other than Chromium itself, with its own fix. */
    public static ChromiumUnavailableException missing(String message, String howToFix) {
        return new ChromiumUnavailableException(message + " " + howToFix, (Void) null);
    }

    private ChromiumUnavailableException(String fullMessage, Void noHint) {
        super(fullMessage);
    }

    public ChromiumUnavailableException(String message, Throwable cause) {
        super(message + " " + INSTALL_HINT, cause);
    }
}
