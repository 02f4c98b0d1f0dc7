package dev.turnpike.server.task;

import dev.turnpike.server.net.ProxySpec;
import java.net.URI;
import java.util.Map;

/** What a task asks for, validated: the API layer builds one of these from the wire fields. */
public sealed interface TaskSpec {

    TaskType type();

    URI websiteUrl();

    /**
     * A Turnstile token: {@link TaskType#TURNSTILE_PROXYLESS} or {@link TaskType#TURNSTILE_PROXYLESS_M1}.
     *
     * @param action      widget action, or null
     * @param cData       widget cData, or null
     * @param chlPageData opaque page data, or null
     * @param userAgent   a wanted user agent, or null
     * @param proxy       null for proxyless; set for the {@code TurnstileTask} alias with proxy fields
     */
    record Turnstile(TaskType type, URI websiteUrl, String websiteKey, String action, String cData,
                     String chlPageData, String userAgent, ProxySpec proxy) implements TaskSpec {
    }

    /**
     * A challenge page passed through the client's proxy: {@link TaskType#CLOUDFLARE_CHALLENGE}.
     *
     * @param proxy     required, with credentials
     * @param rqData    null, or the POST to send once cleared
     * @param userAgent a wanted user agent, or null
     */
    record Challenge(URI websiteUrl, ProxySpec proxy, RqData rqData, String userAgent) implements TaskSpec {
        @Override
        public TaskType type() {
            return TaskType.CLOUDFLARE_CHALLENGE;
        }
    }

    /**
     * A page fetched in a browser for FlareSolverr's {@code /v1} ({@link TaskType#PAGE_REQUEST}, PROTOCOL.md §10):
     * the challenge engine of {@link Challenge}, with the page's own options.
     *
     * @param proxy           null: straight from this machine (address-checked)
     * @param post            null for {@code request.get}; the urlencoded form of {@code request.post}
     * @param cookies         set before the navigation: name, value and optionally domain, path, secure, httpOnly,
     *                        sameSite, expires
     * @param session         null, or the caller's session to run in ({@link #owner} is its account)
     * @param sessionTtlMinutes a session older than this is made anew before the request (0: never)
     * @param owner           the account that submitted it (sessions are per account)
     * @param waitMillis      how long to wait once the page is through, before reading it
     * @param plainFetchPrice what the request costs when it met no challenge (the hold is the challenge's price)
     */
    record PageRequest(URI websiteUrl, ProxySpec proxy, RqData post, java.util.List<Map<String, Object>> cookies,
                       String session, int sessionTtlMinutes, long owner, PageOptions options, long waitMillis,
                       long plainFetchPrice) implements TaskSpec {
        @Override
        public TaskType type() {
            return TaskType.PAGE_REQUEST;
        }
    }

    /**
     * What a page request returns besides the page's cookies and user agent.
     *
     * @param onlyCookies  no body and no headers
     * @param screenshot   a PNG of the page, base64
     * @param disableMedia images, stylesheets and fonts are not loaded
     * @param turnstileToken the token of the page's own Turnstile widget too (FlareSolverr's {@code tabs_till_verify})
     */
    record PageOptions(boolean onlyCookies, boolean screenshot, boolean disableMedia, boolean turnstileToken) {
        public PageOptions(boolean onlyCookies, boolean screenshot, boolean disableMedia) {
            this(onlyCookies, screenshot, disableMedia, false);
        }
    }

    /**
     * The POST of {@code rqData} (PROTOCOL.md §4.2).
     *
     * @param mode   JSON or FORM
     * @param fields the body fields in order, values as parsed JSON (String, Number, Boolean, null, List, Map)
     */
    record RqData(Mode mode, Map<String, Object> fields) {
        public enum Mode { JSON, FORM }
    }
}
