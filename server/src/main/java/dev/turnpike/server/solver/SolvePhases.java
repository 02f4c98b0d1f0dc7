package dev.turnpike.server.solver;

import dev.turnpike.server.task.TaskType;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;

/**
 * Where the browser solvers report how long each {@link SolvePhase} of a solve took; the metrics (and the
 * benchmarks) listen. A solve times its phases with a {@link Laps}.
 */
public final class SolvePhases {

    /** Hears every timed phase. Called on the solving thread: keep it short. */
    @FunctionalInterface
    public interface Listener {
        void phase(TaskType type, SolvePhase phase, Duration took);
    }

    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final LongSupplier nanoTicker;

    /** @param nanoTicker a monotonic clock in nanoseconds ({@code System::nanoTime} in the product) */
    public SolvePhases(LongSupplier nanoTicker) {
        this.nanoTicker = nanoTicker;
    }

    /** Phases reported to nobody. */
    public static SolvePhases none() {
        return new SolvePhases(System::nanoTime);
    }

    public void addListener(Listener listener) {
        listeners.add(listener);
    }

    /** Starts timing one solve of {@code type}. */
    public Laps start(TaskType type) {
        return new Laps(type);
    }

    /** The phases of one solve: each {@link #lap} ends the phase that began at the previous one. */
    public final class Laps {
        private final TaskType type;
        private long last;

        private Laps(TaskType type) {
            this.type = type;
            this.last = nanoTicker.getAsLong();
        }

        /** Ends {@code phase} now; the next phase begins. */
        public void lap(SolvePhase phase) {
            long now = nanoTicker.getAsLong();
            Duration took = Duration.ofNanos(now - last);
            last = now;
            for (Listener listener : listeners) {
                listener.phase(type, phase, took);
            }
        }
    }
}
