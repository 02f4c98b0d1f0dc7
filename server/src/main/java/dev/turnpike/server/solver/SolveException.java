package dev.turnpike.server.solver;

import dev.turnpike.server.task.FailReason;
import java.util.Objects;

/** A solve that ended without a solution, with its reason and a description the client will read. */
public final class SolveException extends Exception {

    private final FailReason reason;

    public SolveException(FailReason reason, String description) {
        super(description);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public SolveException(FailReason reason, String description, Throwable cause) {
        super(description, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public FailReason reason() {
        return reason;
    }
}
