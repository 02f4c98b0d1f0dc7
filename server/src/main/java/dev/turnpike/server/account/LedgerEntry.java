package dev.turnpike.server.account;

import java.time.Instant;

/**
 * One change of an account's points. Summed over an account, {@code balanceDelta} gives its balance and
 * {@code heldDelta} what its open tasks hold.
 *
 * @param taskId the task concerned, or null (top-ups)
 */
public record LedgerEntry(Kind kind, Long taskId, long balanceDelta, long heldDelta, String note, Instant at) {

    public enum Kind {
        /** Points added by the operator. */
        TOPUP,
        /** A task's price held at createTask. */
        HOLD,
        /** A ready task's hold charged. */
        CAPTURE,
        /** A failed task's hold given back. */
        RELEASE
    }
}
