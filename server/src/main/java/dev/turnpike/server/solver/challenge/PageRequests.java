package dev.turnpike.server.solver.challenge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.turnpike.server.browser.cdp.CdpException;
import dev.turnpike.server.browser.cdp.CdpSession;
import dev.turnpike.server.browser.pool.ContextLease;
import dev.turnpike.server.task.TaskSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a FlareSolverr page request adds to a challenge run (PROTOCOL.md §10): its cookies and media blocking before
 * the navigation, its screenshot, and the cookies of the answer in FlareSolverr's shape.
 */
final class PageRequests {

    /** What {@code disableMedia} blocks: images, stylesheets and fonts, by extension (as FlareSolverr does). */
    static final List<String> MEDIA = List.of("*.png", "*.jpg", "*.jpeg", "*.gif", "*.webp", "*.bmp", "*.svg",
            "*.ico", "*.tiff", "*.tif", "*.avif", "*.apng", "*.heic", "*.heif", "*.css", "*.woff", "*.woff2", "*.ttf",
            "*.otf", "*.eot");

    /** The fields of a cookie in FlareSolverr's answer, as DevTools names them. */
    private static final List<String> COOKIE_FIELDS = List.of("name", "value", "domain", "path", "expires", "size",
            "httpOnly", "secure", "session", "sameSite");

    /** The cookie fields a request may set, besides its name and value. */
    private static final List<String> SETTABLE = List.of("domain", "path", "secure", "httpOnly", "sameSite", "expires");

    private PageRequests() {
    }

    /**
     * Sets the request's cookies (for {@code url} when they name no domain) and blocks media or not; a session's
     * context is told either way, so one request's blocking does not outlive it (a fresh context blocks nothing, so
     * it is told only to block). The blocking is sent, not awaited: the navigation confirms it.
     */
    static void prepare(ChallengePage page, TaskSpec.PageRequest request, String url, Duration timeout)
            throws InterruptedException {
        CdpSession session = page.lease().page();
        for (Map<String, Object> cookie : request.cookies()) {
            ObjectNode params = session.params().put("name", String.valueOf(cookie.get("name")))
                    .put("value", String.valueOf(cookie.getOrDefault("value", "")));
            for (String field : SETTABLE) {
                Object value = cookie.get(field);
                if (value instanceof Boolean b) {
                    params.put(field, b);
                } else if (value instanceof Number n) {
                    params.put(field, n.doubleValue());
                } else if (value instanceof String text && !text.isEmpty()) {
                    params.put(field, "sameSite".equals(field) ? sameSite(text) : text);
                }
            }
            if (!params.has("domain")) {
                params.put("url", url);
            }
            if (params.has("sameSite") && params.path("sameSite").asText().isEmpty()) {
                params.remove("sameSite");
            }
            JsonNode answer = session.call("Network.setCookie", params, timeout);
            if (answer.has("success") && !answer.path("success").asBoolean()) {
                throw new CdpException("the browser refused the cookie " + params.path("name").asText());
            }
        }
        if (!request.options().disableMedia() && request.session() == null) {
            return;
        }
        ObjectNode blocked = session.params();
        ArrayNode urls = blocked.putArray("urls");
        if (request.options().disableMedia()) {
            MEDIA.forEach(urls::add);
        }
        page.lease().prepare("Network.setBlockedURLs", blocked);
    }

    /** DevTools' spelling (Strict, Lax, None) of a sameSite value in any case; "" for an unknown one. */
    private static String sameSite(String text) {
        return switch (text.toLowerCase(java.util.Locale.ROOT)) {
            case "strict" -> "Strict";
            case "lax" -> "Lax";
            case "none", "no_restriction" -> "None";
            default -> "";
        };
    }

    /** A PNG of the page as it is, base64. */
    static String screenshot(ContextLease lease, Duration timeout) throws InterruptedException {
        CdpSession page = lease.page();
        return page.call("Page.captureScreenshot", page.params().put("format", "png"), timeout).path("data").asText();
    }

    /**
     * Cookies as FlareSolverr answers them: the ten fields of its DevTools-era shape (its README's), {@code sameSite}
     * "Lax" when the site set none (what Chromium applies then), and for a cookie that expires Selenium's
     * {@code expiry} in whole seconds, which FlareSolverr 3's answers carry instead.
     */
    static List<Map<String, Object>> cookies(List<JsonNode> described) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (JsonNode cookie : described) {
            Map<String, Object> c = new LinkedHashMap<>();
            for (String field : COOKIE_FIELDS) {
                JsonNode value = cookie.get(field);
                if (value == null) {
                    continue;
                }
                c.put(field, value.isBoolean() ? value.booleanValue() : value.isNumber() ? value.numberValue()
                        : value.asText());
            }
            c.putIfAbsent("sameSite", "Lax");
            // Selenium's name and shape, which FlareSolverr 3's own answers carry (scripts read cookie['expiry']).
            if (!cookie.path("session").asBoolean(false) && cookie.path("expires").isNumber()) {
                c.put("expiry", (long) cookie.path("expires").doubleValue());
            }
            out.add(c);
        }
        return out;
    }
}
