package dev.turnpike.server.task;

import java.time.Instant;

/** Where a task is: queued → solving → ready | failed. The last two are final. */
public sealed interface TaskState {

    record Queued() implements TaskState {
    }

    record Solving(Instant since) implements TaskState {
    }

    record Ready(Solution solution, Instant endedAt) implements TaskState {
    }

    /** @param description what the client reads in {@code errorDescription} */
    record Failed(FailReason reason, String description, Instant endedAt) implements TaskState {
    }

    default boolean ended() {
        return this instanceof Ready || this instanceof Failed;
    }

    /** When the task ended, or null while it runs. */
    default Instant endedAt() {
        return switch (this) {
            case Ready r -> r.endedAt();
            case Failed f -> f.endedAt();
            default -> null;
        };
    }
}
