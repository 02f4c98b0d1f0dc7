package dev.turnpike.server.solver.turnstile;

import com.fasterxml.jackson.databind.JsonNode;
import dev.turnpike.server.browser.cdp.CdpClosedException;
import dev.turnpike.server.browser.cdp.CdpException;
import dev.turnpike.server.browser.pool.ContextLease;
import dev.turnpike.server.browser.proxy.Refusal;
import dev.turnpike.server.solver.SolveException;
import dev.turnpike.server.solver.StandInAnswer;
import dev.turnpike.server.task.FailReason;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
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

    /**
     * The task's failure when the page has gone on by itself to a page that is not a site's: the relay's refusal of an
     * address the policy refuses, its 502 for one it could not reach, or the browser's own error page. A widget
     * rendered there would be no answer (and a refused address is never reached anyway).
     */
    static Optional<SolveException> wentToStandIn(ContextLease lease) throws InterruptedException {
        String url;
        try {
            url = lease.evaluateIsolated("location.href", READ_TIMEOUT).asText("");
        } catch (CdpClosedException e) {
            throw e;
        } catch (CdpException e) {
            return Optional.empty();
        }
        if (url.startsWith("chrome-error:")) {
            List<Refusal> refusals = lease.relay().refusals();
            return Optional.of(new SolveException(FailReason.NAVIGATION_FAILED, "the page went on to a page the browser"
                    + " could not load (it shows its error page)" + (refusals.isEmpty() ? ""
                    : "; the latest address refused: " + refusals.getLast())));
        }
        return StandInAnswer.of(lease.relay(), null, StandInAnswer.hostOf(url), StandInAnswer.ANY_STATUS,
                url + " (where the page went on to)", null);
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
