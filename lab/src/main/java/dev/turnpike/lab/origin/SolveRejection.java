package dev.turnpike.lab.origin;

/** Why a challenge solve ({@code POST …?__cf_chl_f_tk=…}) was refused and the challenge served again. */
public enum SolveRejection {
    /** No {@code md}, or one that is malformed or not sealed by the lab. */
    MD_NOT_GENUINE,
    /** The {@code md} is older than the page's {@code cMTimeMs}. */
    MD_EXPIRED,
    /** The {@code md} was issued for another zone or path, or the form token is not the page's. */
    MD_MISMATCH,
    /** The solve comes with another User-Agent than the challenged request. */
    USER_AGENT_CHANGED,
    /** The solve comes from another exit IP than the challenged request. */
    IP_CHANGED,
    /** No answer, or a proof of work that does not hold. */
    BAD_PROOF,
    /** The Turnstile token was refused by siteverify, or was for another action, ray or host. */
    BAD_TOKEN,
    /** An interactive challenge answered by a token that did not come from an interactive solve. */
    NOT_INTERACTIVE,
    /** A strict host's checks fired on the page's signals (LAB.md L5). */
    STRICT_CHECKS
}
