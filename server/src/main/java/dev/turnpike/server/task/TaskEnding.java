package dev.turnpike.server.task;

import dev.turnpike.server.task.Tasks.EndListener;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What follows once a task's end was decided and its points settled, the same for every {@link Tasks} version:
 * the one log line (with its key-values, for log.format=json), the recent durations, the end listeners, and the
 * waiters woken. Each version decides the end and settles the points its own way before calling {@link #ended}.
 */
public final class TaskEnding {

    private static final Logger log = LoggerFactory.getLogger(TaskEnding.class);

    private final List<EndListener> listeners = new CopyOnWriteArrayList<>();
    private final RecentDurations durations = new RecentDurations(100);

    public void addListener(EndListener listener) {
        listeners.add(listener);
    }

    /**
     * Announces the end of {@code task}.
     *
     * @param task       the task as this process holds it: its waiters are woken
     * @param recorded   the task as it ended, which the listeners are given
     * @param finalState how it ended
     */
    public void ended(Task task, Task recorded, TaskState finalState) {
        Duration took = Duration.between(task.createdAt(), finalState.endedAt());
        durations.add(took);
        logEnd(task, finalState, took);
        for (EndListener listener : listeners) {
            try {
                listener.taskEnded(recorded);
            } catch (RuntimeException e) {
                log.warn("task {}: end listener failed: {}", task.id(), e.toString());
            }
        }
        task.notifyEnded();
    }

    /** Mean seconds from creation to end of the recent tasks; 0 before any ended. */
    public double recentSpeedSeconds() {
        return durations.meanSeconds();
    }

    private static void logEnd(Task task, TaskState state, Duration took) {
        String outcome = state instanceof TaskState.Ready ? "ready" : "failed";
        String reason = state instanceof TaskState.Failed f ? f.reason().name() : "-";
        // The same fields as key-value pairs, for the JSON log format (log.format=json).
        log.atInfo().addKeyValue("taskId", task.id().toString()).addKeyValue("type", task.type().wireName())
                .addKeyValue("outcome", outcome).addKeyValue("reason", reason)
                .addKeyValue("durationMs", took.toMillis())
                .log("task {} type={} key={} outcome={} reason={} duration={}ms", task.id(), task.type().wireName(),
                        task.keyPrefix(), outcome, reason, took.toMillis());
    }
}
