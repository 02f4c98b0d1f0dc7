package dev.turnpike.lab.core;

/**
 * Hostile modes of one host (LAB.md L4.5–7, 9, 12), read by the protected origin.
 *
 * @param challengeLoop  the solve seems to succeed but clearance never works
 * @param bindingStrict  clearance reused with another user agent or exit IP is challenged again
 * @param blocked        every request gets the blocked page
 * @param legacyIuam     the challenge is the 2019-style 503 "Checking your browser" page
 * @param cMTimeMs       when positive, a short challenge page life ({@code pageRefresh}); 0 keeps 390000
 * @param redirect307    a solved POST is answered 307 (body replayed) instead of 303
 */
public record HostHostile(ChallengeLoop challengeLoop, boolean bindingStrict, boolean blocked, boolean legacyIuam,
                          long cMTimeMs, boolean redirect307) {

    public static final HostHostile NONE = new HostHostile(ChallengeLoop.NONE, false, false, false, 0, false);

    public HostHostile {
        challengeLoop = challengeLoop == null ? ChallengeLoop.NONE : challengeLoop;
        if (cMTimeMs < 0) {
            throw new IllegalArgumentException("cMTimeMs must be >= 0");
        }
    }
}
