package dev.turnpike.lab.core;

/** The widget modes Cloudflare offers for a sitekey. */
public enum SitekeyMode {
    /** Proof of work; shows a checkbox only when the sitekey is made {@code interactiveOnly}. */
    MANAGED,
    /** Proof of work behind a visible "Verifying…" widget, never a checkbox. */
    NON_INTERACTIVE,
    /** Proof of work in a widget that takes no room on the page. */
    INVISIBLE
}
