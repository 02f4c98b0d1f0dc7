package dev.turnpike.lab.core;

/** What a lab host serves (LAB.md L0, L3). */
public enum HostKind {
    /** Behind the challenge gate: challenge page, clearance, then the lab application. */
    PROTECTED,
    /** Serves {@code /form} with a Turnstile widget, ungated. */
    TURNSTILE_FORM,
    /** Serves only pages registered through the admin API (widget test pages and the like). */
    PLAIN,
    /** Answers the "Sorry, you have been blocked" page. */
    BLOCKED
}
