package dev.turnpike.lab.origin;

/** The gate's answer to one request: pass, or why not. */
public sealed interface GateDecision {

    /** A genuine, live clearance bound to this zone, user agent and exit IP. */
    record Pass(Clearance clearance) implements GateDecision {
    }

    /** The request gets the challenge. */
    record Refuse(ClearanceRejection reason) implements GateDecision {
    }
}
