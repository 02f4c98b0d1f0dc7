package dev.turnpike.server.solver.turnstile;

import java.util.Map;
import java.util.Set;

/** What Turnstile's client error codes mean (LAB.md L1; Cloudflare's error-code table), for task descriptions. */
final class WidgetErrors {

    private static final Map<String, String> FAMILIES = Map.ofEntries(
            Map.entry("11010", "invalid sitekey"),
            Map.entry("11011", "invalid sitekey"),
            Map.entry("11020", "domain not allowed for this sitekey"),
            Map.entry("11042", "invalid action"),
            Map.entry("11043", "invalid cData"),
            Map.entry("11051", "inconsistent user agent"),
            Map.entry("11060", "challenge timed out"),
            Map.entry("30003", "widget hung"),
            Map.entry("30001", "widget could not reach the challenge server"),
            Map.entry("60001", "challenge failed"));

    private WidgetErrors() {
    }

    /**
     * Whether a widget failing with this code may pass on a second try in the same browser. Not so for a bad
     * sitekey, a domain not allowed, a bad action or cData (the page's configuration), nor for a browser Cloudflare
     * refuses (unsupported, inconsistent user agent): those fail the same way every time.
     */
    static boolean retryable(String code) {
        return code != null && code.length() >= 4 && !Set.of("1101", "1102", "1104", "1105").contains(code.substring(0, 4));
    }

    /** e.g. {@code "Turnstile widget error 110200 (domain not allowed for this sitekey)"}. */
    static String describe(String code) {
        String meaning = code != null && code.length() >= 5 ? FAMILIES.get(code.substring(0, 5)) : null;
        return "Turnstile widget error " + code + (meaning == null ? "" : " (" + meaning + ")");
    }
}
