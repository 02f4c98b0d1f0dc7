package dev.turnpike.server.task;

import java.util.Map;

/** What a solver returns; the API layer writes it as the wire {@code solution} object (PROTOCOL.md §4). */
public sealed interface Solution {

    /** {@code {"token":T,"gRecaptchaResponse":T,"userAgent":UA}} */
    record Turnstile(String token, String userAgent) implements Solution {
    }

    /**
     * The replay bundle of a cleared challenge (PROTOCOL.md §4.2).
     *
     * @param cookies    name → value, every cookie of the site's zone
     * @param userAgent  the exact user agent the clearance is bound to
     * @param headers    lower-case header names a replaying client must send
     * @param tlsVersion e.g. {@code chrome156}
     * @param status     the final answer's HTTP status (the POST's with rqData)
     * @param url        the final URL after redirects
     * @param body       the final page, or the POST's answer
     */
    record Challenge(Map<String, String> cookies, String userAgent, Map<String, String> headers,
                     String tlsVersion, int status, String url, String body) implements Solution {
        public String cfClearance() {
            return cookies.get("cf_clearance");
        }
    }
}
