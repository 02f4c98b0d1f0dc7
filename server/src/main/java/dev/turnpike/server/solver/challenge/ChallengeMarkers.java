package dev.turnpike.server.solver.challenge;

import java.util.List;
import java.util.Locale;

/**
 * Detection as data: every marker Turnpike uses to tell a Cloudflare challenge or block page from the real
 * page, in one place. When Cloudflare changes a template, this is the file to change.
 *
 * <p>Sources: the 2025 challenge template (title, {@code _cf_chl_opt}, the orchestrate script), the legacy
 * "I'm Under Attack" page, and the 1020 block page, as LAB.md L3 describes them.
 */
final class ChallengeMarkers {

    private ChallengeMarkers() {
    }

    /** Where a marker looks. */
    enum Where { HEADER_CF_MITIGATED, TITLE, HTML }

    /** One rule: if {@code text} occurs in {@code where} (case-insensitively), the page is {@code verdict}. */
    record Marker(Verdict verdict, Where where, String text) {
        Marker {
            text = text.toLowerCase(Locale.ROOT);
        }
    }

    /** Checked in order; block markers first, since a block page can carry challenge-platform scripts too. */
    static final List<Marker> MARKERS = List.of(
            new Marker(Verdict.BLOCKED, Where.TITLE, "Attention Required! | Cloudflare"),
            new Marker(Verdict.BLOCKED, Where.HTML, "Sorry, you have been blocked"),
            new Marker(Verdict.BLOCKED, Where.HTML, "<span class=\"cf-error-code\">1020</span>"),
            new Marker(Verdict.BLOCKED, Where.HTML, "Error 1020"),
            new Marker(Verdict.BLOCKED, Where.TITLE, "Access denied"),

            new Marker(Verdict.CHALLENGE, Where.HEADER_CF_MITIGATED, "challenge"),
            new Marker(Verdict.CHALLENGE, Where.TITLE, "Just a moment..."),
            new Marker(Verdict.CHALLENGE, Where.TITLE, "Checking your browser before accessing"),
            new Marker(Verdict.CHALLENGE, Where.HTML, "window._cf_chl_opt"),
            new Marker(Verdict.CHALLENGE, Where.HTML, "/cdn-cgi/challenge-platform/h/b/orchestrate/"),
            new Marker(Verdict.CHALLENGE, Where.HTML, "cf-browser-verification"),
            new Marker(Verdict.CHALLENGE, Where.HTML, "cf-im-under-attack"),
            new Marker(Verdict.CHALLENGE, Where.HTML, "Checking your browser before accessing"),
            new Marker(Verdict.CHALLENGE, Where.HTML, "id=\"challenge-stage\""),
            new Marker(Verdict.CHALLENGE, Where.HTML, "id=\"challenge-form\""));

    /**
     * The query parameter of the challenge form's submission ({@code fa} in {@code _cf_chl_opt}): a document
     * request carrying it is the page's own solve being sent, so a challenge that follows it means the solve
     * "succeeded" and the challenge came back (a loop), not a page refresh.
     */
    static final String SOLVE_SUBMISSION_QUERY = "__cf_chl_f_tk=";

    /** URL parts of the frame that holds the challenge widget (Turnstile's iframe, on Cloudflare's host). */
    static final List<String> CHALLENGE_FRAME_URLS = List.of("challenges.cloudflare.com/",
            "challenges.fed.cloudflare.com/", "/cdn-cgi/challenge-platform/");

    /** The cookie that proves clearance. */
    static final String CLEARANCE_COOKIE = "cf_clearance";

    static boolean isSolveSubmission(String url) {
        return url != null && url.contains(SOLVE_SUBMISSION_QUERY);
    }

    static boolean isChallengeFrame(String url) {
        return url != null && CHALLENGE_FRAME_URLS.stream().anyMatch(url::contains);
    }
}
