package dev.turnpike.server.task;

import java.util.List;
import java.util.Map;

/** What a solver returns; the API layer writes it as the wire {@code solution} object (PROTOCOL.md §4). */
public sealed interface Solution {

    /**
     * {@code {"token":T,"gRecaptchaResponse":T,"userAgent":UA}}, plus {@code "mode"} in full mode: {@code page} when
     * the token is the page's own widget's, {@code fallback} when it is a widget Turnpike rendered on the page with
     * the task's parameters (the page showed none of the sitekey).
     *
     * @param mode     null in fast mode
     * @param identity the time zone and languages the browser presented; null when not known
     */
    record Turnstile(String token, String userAgent, String mode, Identity identity) implements Solution {

        /** The token of the page's own widget (full mode). */
        public static final String PAGE = "page";
        /** The token of a widget Turnpike rendered on the page (full mode's fallback). */
        public static final String FALLBACK = "fallback";

        public Turnstile(String token, String userAgent) {
            this(token, userAgent, null, null);
        }

        public Turnstile(String token, String userAgent, String mode) {
            this(token, userAgent, mode, null);
        }

        public Turnstile withIdentity(Identity presented) {
            return new Turnstile(token, userAgent, mode, presented);
        }
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
     * @param identity   the time zone and languages the browser presented; null when not known
     */
    record Challenge(Map<String, String> cookies, String userAgent, Map<String, String> headers,
                     String tlsVersion, int status, String url, String body, Identity identity) implements Solution {

        public Challenge(Map<String, String> cookies, String userAgent, Map<String, String> headers,
                         String tlsVersion, int status, String url, String body) {
            this(cookies, userAgent, headers, tlsVersion, status, url, body, null);
        }

        public String cfClearance() {
            return cookies.get("cf_clearance");
        }

        public Challenge withIdentity(Identity presented) {
            return new Challenge(cookies, userAgent, headers, tlsVersion, status, url, body, presented);
        }
    }

    /**
     * The wire {@code identity} object (PROTOCOL.md §4): the time zone and languages the browser presented, and whose
     * they were.
     *
     * @param ip        the proxy's exit address as Cloudflare's trace saw it; null without one
     * @param country   its country (ISO 3166 alpha-2); null without one
     * @param timeZone  the IANA time zone every context of the page had
     * @param languages {@code navigator.languages}, most preferred first; {@code Accept-Language} carries the same
     * @param source    {@code proxy} (the exit's country) or {@code machine} (the solving machine's own)
     * @param fallback  why a task with a proxy presented the machine's own ({@code no-trace}, {@code timeout}, …)
     */
    record Identity(String ip, String country, String timeZone, List<String> languages, String source,
                    String fallback) {
        public Identity {
            languages = languages == null ? List.of() : List.copyOf(languages);
        }
    }

    /**
     * A page fetched for FlareSolverr's {@code /v1} (PROTOCOL.md §10).
     *
     * @param url        the final URL after redirects
     * @param status     the final document's HTTP status, as the browser received it
     * @param headers    its response headers; empty when only cookies were asked for
     * @param body       the page as rendered (the POST's answer for {@code request.post}); null when only cookies
     * @param cookies    every cookie of the page's URL, as DevTools describes them (name, value, domain, path,
     *                   expires, size, httpOnly, secure, session, sameSite)
     * @param userAgent  the user agent the page saw
     * @param challenged whether a challenge was met (and passed) on the way
     * @param screenshot a PNG of the page, base64, or null
     * @param turnstileToken the token of the page's Turnstile widget when it was asked for and the page has one
     */
    record Page(String url, int status, Map<String, String> headers, String body,
                java.util.List<Map<String, Object>> cookies, String userAgent, boolean challenged,
                String screenshot, String turnstileToken) implements Solution {
        public Page(String url, int status, Map<String, String> headers, String body,
                    java.util.List<Map<String, Object>> cookies, String userAgent, boolean challenged,
                    String screenshot) {
            this(url, status, headers, body, cookies, userAgent, challenged, screenshot, null);
        }
    }
}
