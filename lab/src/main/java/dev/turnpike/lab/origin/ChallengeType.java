package dev.turnpike.lab.origin;

import java.util.Arrays;

/** The {@code cType} of a challenge page: how the orchestrate script makes the visitor prove itself. */
public enum ChallengeType {
    /** A Turnstile widget that decides by itself whether a click is needed. */
    MANAGED("managed"),
    /** A proof of work only; no widget. */
    NON_INTERACTIVE("non-interactive"),
    /** A Turnstile widget that always asks for a trusted click. */
    INTERACTIVE("interactive");

    private final String wireName;

    ChallengeType(String wireName) {
        this.wireName = wireName;
    }

    /** The value of {@code window._cf_chl_opt.cType}. */
    public String wireName() {
        return wireName;
    }

    /** Parses the wire name ({@code managed}, {@code non-interactive}, {@code interactive}). */
    public static ChallengeType fromWire(String name) {
        return Arrays.stream(values()).filter(t -> t.wireName.equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(
                        "unknown cType '" + name + "': expected managed, non-interactive or interactive"));
    }
}
