package dev.turnpike.server.solver.challenge;

/** What a page is, as far as Cloudflare is concerned. */
public enum Verdict {
    /** A challenge stands between the client and the page ("Just a moment...", the legacy 503 page). */
    CHALLENGE,
    /** Cloudflare refuses the client outright (1020 and kin); waiting will not help. */
    BLOCKED,
    /** The page itself: no challenge markers left. */
    PASSED
}
