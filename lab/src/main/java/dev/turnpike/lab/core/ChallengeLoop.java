package dev.turnpike.lab.core;

/** How a host in the {@code challengeLoop} hostile mode (LAB.md L4.5) defeats a solve that looked successful. */
public enum ChallengeLoop {
    /** Behaves normally. */
    NONE,
    /** The solve redirects as if it succeeded but sets no cookie. */
    NO_COOKIE,
    /** The solve sets the cookie for another domain. */
    WRONG_DOMAIN,
    /** The cookie is set, but the gate rejects it. */
    GATE_REJECTS
}
