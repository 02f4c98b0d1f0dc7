package dev.turnpike.server.solver.turnstile;

import com.fasterxml.jackson.databind.JsonNode;
import dev.turnpike.server.browser.cdp.CdpClosedException;
import dev.turnpike.server.browser.cdp.CdpException;
import dev.turnpike.server.browser.pool.ContextLease;
import java.time.Duration;
import java.util.OptionalInt;

/**
 * The HTTP status the page's document was answered with, read in an isolated world from the navigation's timing
 * entry right after the commit: a 4xx or 5xx page has no widget to wait for (a 404, an error page, Cloudflare's block
 * or challenge page), so full mode says so at once. No Network domain is enabled for it.
 */
final class PageAnswer {

    private static final Duration READ_TIMEOUT = Duration.ofSeconds(5);
    private static final String STATUS = "(function () { var n = performance.getEntriesByType('navigation')[0];"
            + " return n && n.responseStatus ? n.responseStatus : 0; })()";

    private PageAnswer() {
    }

    /** The status, or empty when the browser does not tell (then nothing is concluded from it). */
    static OptionalInt status(ContextLease lease) throws InterruptedException {
        try {
            JsonNode value = lease.evaluateIsolated(STATUS, READ_TIMEOUT);
            int status = value.asInt(0);
            return status > 0 ? OptionalInt.of(status) : OptionalInt.empty();
        } catch (CdpClosedException e) {
            throw e;
        } catch (CdpException e) {
            return OptionalInt.empty();
        }
    }

    /** Whether a page with this status is an error page rather than the site's page. */
    static boolean isError(int status) {
        return status >= 400;
    }

    /** e.g. {@code "the page answered HTTP 404 (no widget to solve there)"}. */
    static String describe(int status) {
        String hint = status == 403 || status == 503
                ? "; a Cloudflare challenge or block page answers so: a CloudFlare5STask passes a challenge" : "";
        return "the page answered HTTP " + status + " (no widget to solve there" + hint + ")";
    }
}
