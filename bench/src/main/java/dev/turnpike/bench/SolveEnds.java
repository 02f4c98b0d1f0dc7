package dev.turnpike.bench;

import dev.turnpike.server.solver.SolveException;
import dev.turnpike.server.solver.Solver;
import dev.turnpike.server.task.Solution;
import dev.turnpike.server.task.TaskSpec;
import dev.turnpike.server.task.TaskType;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A solver that says when a solve has ended, so a benchmark's client asks {@code getTaskResult} right then instead of
 * every 10 ms: at concurrency 4 on two cores that blind polling cost the benchmark's JVM ~3 s of CPU per task (client
 * and server answering), CPU the browsers then lacked — the benchmark's own cost, not the product's. A client that
 * gives each task its own website URL (a fragment the solver drops) waits for its own solve; waking every client at
 * every solve's end still cost ~6 polls per client and solve.
 */
final class SolveEnds implements Solver {

    private final Solver solver;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition ended = lock.newCondition();
    /** The website URLs (fragments included) of the solves that have ended and nobody has waited for yet. */
    private final Set<String> endedUrls = new HashSet<>();

    SolveEnds(Solver solver) {
        this.solver = solver;
    }

    @Override
    public Set<TaskType> types() {
        return solver.types();
    }

    @Override
    public Solution solve(TaskSpec spec, Instant deadline) throws SolveException, InterruptedException {
        try {
            return solver.solve(spec, deadline);
        } finally {
            lock.lock();
            try {
                endedUrls.add(spec.websiteUrl().toString());
                ended.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    /** Waits until the solve of the task for {@code websiteUrl} has ended (true), or {@code atMost} has passed. */
    boolean awaitEndOf(String websiteUrl, Duration atMost) throws InterruptedException {
        long left = atMost.toNanos();
        lock.lock();
        try {
            while (!endedUrls.remove(websiteUrl)) {
                if (left <= 0) {
                    return false;
                }
                left = ended.awaitNanos(left);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }
}
