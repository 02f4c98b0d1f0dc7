package dev.turnpike.lab.origin;

import dev.turnpike.lab.core.ChallengeLoop;

/** Why the gate refused a request's clearance (recorded in the lab's event log). */
public enum ClearanceRejection {
    /** No {@code cf_clearance} cookie. */
    MISSING,
    /** A cookie of the wrong shape or with a MAC that is not the lab's. */
    NOT_GENUINE,
    /** Past its expiry plus the skew grace. */
    EXPIRED,
    /** Issued for another zone. */
    WRONG_ZONE,
    /** Sent with a User-Agent other than the one that solved the challenge. */
    USER_AGENT_CHANGED,
    /** Sent from an exit IP other than the one that solved the challenge. */
    IP_CHANGED,
    /** Hostile mode {@code challengeLoop} ({@link ChallengeLoop#GATE_REJECTS}): refused whatever it is. */
    LOOP
}
