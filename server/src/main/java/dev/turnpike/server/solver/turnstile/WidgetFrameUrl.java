package dev.turnpike.server.solver.turnstile;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a Turnstile widget iframe's URL says about its widget (LAB.md L1): current and legacy paths,
 * {@code .../<5-char widget id>/<sitekey>/<theme>/fbE/new/<size>?lang=...}.
 *
 * @param shortId the widget id's 5 characters
 * @param sitekey the widget's sitekey
 * @param theme   auto, light or dark
 * @param size    normal, compact, flexible, invisible; null when the URL does not end with one
 */
record WidgetFrameUrl(String shortId, String sitekey, String theme, String size) {

    private static final Pattern WIDGET_FRAME = Pattern.compile(
            "^https://challenges(?:\\.fed)?\\.cloudflare\\.com/cdn-cgi/challenge-platform/.*?/([a-z0-9]{5})/([0-9A-Za-z_-]{3,100})/(auto|light|dark)/"
                    + "(?:(?:[^?#]*/)?(normal|compact|flexible|invisible)(?=[?#]|$))?");

    /** Whether an origin is Turnstile's (a widget's own document, where nothing of the page's runs). */
    static boolean isChallengeOrigin(String origin) {
        return origin.equals("https://challenges.cloudflare.com") || origin.equals("https://challenges.fed.cloudflare.com");
    }

    static Optional<WidgetFrameUrl> parse(String url) {
        Matcher m = WIDGET_FRAME.matcher(url == null ? "" : url);
        if (!m.find()) {
            return Optional.empty();
        }
        return Optional.of(new WidgetFrameUrl(m.group(1), m.group(2), m.group(3), m.group(4)));
    }
}
