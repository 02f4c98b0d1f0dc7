package dev.turnpike.server.task;

import java.util.function.Supplier;

/**
 * Runs the store work that ends a task (its points settled) on a thread that may have been asked to stop: the
 * connection pool refuses an interrupted thread, and a stop arriving mid-write breaks the connection, so the
 * work runs with the interrupt cleared, once more when an interrupt broke it, and the interrupt is set again after.
 */
public final class Uninterrupted {

    private Uninterrupted() {
    }

    public static <T> T call(Supplier<T> work) {
        boolean interrupted = Thread.interrupted();
        try {
            try {
                return work.get();
            } catch (RuntimeException e) {
                if (!Thread.interrupted()) {
                    throw e;
                }
                interrupted = true; // the stop arrived during the work and broke it; the store rolled it back
                return work.get();
            }
        } finally {
            if (interrupted || Thread.interrupted()) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
