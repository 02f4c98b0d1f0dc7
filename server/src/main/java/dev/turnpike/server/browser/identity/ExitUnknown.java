package dev.turnpike.server.browser.identity;

/**
 * Why a proxied context presents this machine's time zone and languages instead of its exit's country. Never a
 * task's failure: the page is loaded all the same.
 */
public enum ExitUnknown {
    /** The target's host answered {@code /cdn-cgi/trace} with something else than Cloudflare's trace (not behind it). */
    NO_TRACE,
    /** The trace named no country ({@code loc=XX}, {@code T1}, none). */
    NO_COUNTRY,
    /** The trace did not answer in time. */
    TIMEOUT,
    /** The trace could not be fetched through the proxy (refused, reset, TLS failure). */
    UNREACHABLE,
    /** The machine's tz data ({@code zone.tab}) or the browser's locale data knows no time zone or language of the country. */
    UNKNOWN_COUNTRY;

    /** The wire form, e.g. {@code no-trace}. */
    public String code() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
