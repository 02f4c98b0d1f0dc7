package dev.turnpike.server.solver.challenge;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What the solver saw of one document answer: enough to tell a challenge from a block from a cleared page.
 *
 * @param status           the document's HTTP status
 * @param headers          response headers; names are matched case-insensitively
 * @param title            the document title as rendered (may differ from the HTML's while scripts run)
 * @param html             the document's HTML (outerHTML of the root element, or the raw body)
 */
public record PageSnapshot(int status, Map<String, String> headers, String title, String html) {

    public PageSnapshot {
        TreeMap<String, String> folded = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        folded.putAll(Objects.requireNonNullElse(headers, Map.of()));
        headers = java.util.Collections.unmodifiableMap(folded);
        title = Objects.requireNonNullElse(title, "");
        html = Objects.requireNonNullElse(html, "");
    }

    /** The header's value, or "" when absent. */
    public String header(String name) {
        return headers.getOrDefault(name, "");
    }

    String titleLower() {
        return title.trim().toLowerCase(Locale.ROOT);
    }
}
