package dev.turnpike.lab.turnstile;

/**
 * One run of the widget, between {@code /lab/chl} and {@code /lab/solve}.
 *
 * @param sitekey      the sitekey (a test key or a registered one)
 * @param host         the top page's host
 * @param ua           the user agent of the first step; the second must match
 * @param seed         proof-of-work seed (hex)
 * @param bits         proof-of-work difficulty
 * @param interactive  whether a trusted click is needed
 * @param issuedAtMs   lab clock at issue
 * @param timeoutMs    how long the challenge may take
 */
public record WidgetChallenge(String chlId, String sitekey, String wid, String host, String action, String cdata,
                              String chlPageData, String ua, String seed, int bits, boolean interactive,
                              long issuedAtMs, long timeoutMs) {
}
