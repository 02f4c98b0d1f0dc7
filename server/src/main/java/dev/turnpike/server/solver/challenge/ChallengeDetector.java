package dev.turnpike.server.solver.challenge;

import dev.turnpike.server.solver.challenge.ChallengeMarkers.Marker;
import java.util.Locale;
import java.util.Optional;

/**
 * Tells a challenge from a block from the real page, by the markers of {@link ChallengeMarkers}.
 *
 * <p>A page with no marker counts as {@link Verdict#PASSED} only when its status is not a challenge status
 * (403/503 with Cloudflare's {@code Server} header) — a bare Cloudflare 403 with an unfamiliar body is
 * still treated as a challenge, so a template change shows up as a capped loop, not as a false success.
 */
public final class ChallengeDetector {

    /** The verdict and the marker that decided it (for the task's failure description and the logs). */
    public record Detection(Verdict verdict, String evidence) {
    }

    public Detection detect(PageSnapshot page) {
        Optional<Marker> hit = ChallengeMarkers.MARKERS.stream().filter(m -> matches(m, page)).findFirst();
        if (hit.isPresent()) {
            Marker marker = hit.get();
            return new Detection(marker.verdict(), marker.where() + " contains '" + marker.text() + "'");
        }
        boolean cloudflare = page.header("server").toLowerCase(Locale.ROOT).contains("cloudflare");
        if (cloudflare && (page.status() == 403 || page.status() == 503)) {
            return new Detection(Verdict.CHALLENGE, "Cloudflare answered " + page.status() + " without a known template");
        }
        return new Detection(Verdict.PASSED, "no challenge marker, status " + page.status());
    }

    private static boolean matches(Marker marker, PageSnapshot page) {
        return switch (marker.where()) {
            case HEADER_CF_MITIGATED -> page.header("cf-mitigated").toLowerCase(Locale.ROOT).contains(marker.text());
            case TITLE -> page.titleLower().contains(marker.text());
            case HTML -> page.html().toLowerCase(Locale.ROOT).contains(marker.text());
        };
    }
}
