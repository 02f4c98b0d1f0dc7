package dev.turnpike.lab.origin;

import dev.turnpike.lab.core.ChallengeLoop;
import java.time.Instant;

/** What the origin reports to the lab's event log (LAB.md L0): clearance issued, accepted, rejected with reason. */
public sealed interface OriginEvent {

    Instant at();

    String host();

    /** A challenge page went out. */
    record ChallengeServed(Instant at, String host, String ray, String path, String clientIp, ChallengeType cType,
                           boolean legacy) implements OriginEvent {
    }

    /** A solve was refused; the visitor got a new challenge. */
    record SolveRejected(Instant at, String host, String ray, String clientIp, SolveRejection reason)
            implements OriginEvent {
    }

    /** A solve succeeded and {@code cf_clearance} was set (or, in a loop mode, pretended to be). */
    record ClearanceIssued(Instant at, String host, String ray, String clientIp, long exp, ChallengeLoop loop)
            implements OriginEvent {
    }

    /** The gate let a request pass on its clearance. */
    record ClearanceAccepted(Instant at, String host, String path, String clientIp) implements OriginEvent {
    }

    /** The gate refused a request's clearance (or found none). */
    record ClearanceRejected(Instant at, String host, String path, String clientIp, ClearanceRejection reason)
            implements OriginEvent {
    }
}
