package dev.turnpike.lab.strict;

import java.util.Locale;

/**
 * The checks of the lab's strict mode (LAB.md L5), each one tell a bot detector looks for. The widget page and the
 * challenge page collect the signals ({@code strict-checks.js}); {@link StrictJudge} decides which checks fire.
 */
public enum StrictCheck {
    /** {@code navigator.webdriver} is true in the page, the widget frame or a worker. */
    WEBDRIVER("navigator.webdriver in page, frame and workers"),
    /** A driver's global ({@code cdc_…}, {@code __webdriver…}, {@code __playwright…}, {@code __puppeteer…}). */
    DRIVER_GLOBALS("own property names of window and document"),
    /** {@code HeadlessChrome} in a user agent, a client-hint brand or a request header. */
    HEADLESS("user agents, brands and full version lists of every context; User-Agent and Sec-CH-UA headers"),
    /** A DevTools client enabled Runtime: its console serialization formatted an Error's stack. */
    DEVTOOLS_LISTENING("console.debug(new Error()) calling Error.prepareStackTrace, in page and frame"),
    /** The user agent differs between page, frame, workers and the User-Agent header (or a context did not report). */
    USER_AGENT_MISMATCH("navigator.userAgent of page, frame, their workers; User-Agent header"),
    /** Client hints (low and high entropy) differ between contexts or from the headers, or are emptied. */
    CLIENT_HINTS_MISMATCH("userAgentData brands/mobile/platform and getHighEntropyValues; Sec-CH-UA headers"),
    /** {@code navigator.platform} differs between contexts or from the user agent and the platform hint. */
    PLATFORM_MISMATCH("navigator.platform against the user agent and userAgentData.platform"),
    /** {@code navigator.languages} differ between contexts or from Accept-Language. */
    LANGUAGES_MISMATCH("navigator.languages of every context; Accept-Language header"),
    /** {@code navigator.hardwareConcurrency} differs between contexts. */
    CONCURRENCY_MISMATCH("navigator.hardwareConcurrency of every context"),
    /** The top window's metrics are not a desktop window's (outer ≥ inner, screen ≥ outer, sizes, pixel ratio). */
    WINDOW_METRICS("inner/outer size, screen and available size, devicePixelRatio of the top window"),
    /** {@code Notification.permission} disagrees with {@code permissions.query({name:'notifications'})}. */
    PERMISSIONS("Notification.permission against navigator.permissions.query"),
    /** The interactive click came with no pointer movement before it. */
    CLICK_NO_MOVEMENT("trusted pointermove events before the press"),
    /** The interactive click's press did not last (pointerup at the pointerdown's instant). */
    CLICK_NO_PRESS("pointerup.timeStamp − pointerdown.timeStamp"),
    /** The interactive click was not a mouse's. */
    CLICK_POINTER_TYPE("pointerdown.pointerType"),
    /** The click's client, page and screen coordinates do not fit the window's position. */
    CLICK_COORDINATES("click clientX/pageX/screenX (and Y) against scroll and window.screenX/Y"),
    /** A context's time zone is not one of the country the request came from. */
    TIMEZONE_COUNTRY("Intl time zone of every context against the exit address's country"),
    /** The first language is not one spoken in the country the request came from. */
    LANGUAGES_COUNTRY("navigator.languages[0] and Accept-Language against the exit address's country");

    private final String looksAt;

    StrictCheck(String looksAt) {
        this.looksAt = looksAt;
    }

    /** What the check reads (for the docs' table and the event log). */
    public String looksAt() {
        return looksAt;
    }

    /** The name in the event log: {@code DEVTOOLS_LISTENING} → {@code devtools-listening}. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
