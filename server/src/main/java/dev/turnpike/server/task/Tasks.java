package dev.turnpike.server.task;

import dev.turnpike.server.account.Account;
import java.net.URI;
import java.time.Duration;

/**
 * The tasks of a deployment, as the API and the solver workers see them: submit, find, take, complete, fail.
 * Two versions side by side: {@code task.embedded.TaskLifecycle} keeps them in this process (embedded mode);
 * {@code task.pg.PgTasks} shares them between every node of a cluster through PostgreSQL. Callers hold only this
 * type and the types declared in it; both versions end a task through {@link TaskEnding}.
 */
public interface Tasks {

    /** What {@link #submit} did. */
    sealed interface Submission {
        record Accepted(Task task) implements Submission {
        }

        record ZeroBalance() implements Submission {
        }

        record QueueFull() implements Submission {
        }

        record ShuttingDown() implements Submission {
        }
    }

    /** Told about every task that ended, after its points were settled. */
    @FunctionalInterface
    interface EndListener {
        void taskEnded(Task task);
    }

    /**
     * @param deadline          a task not solved this long after creation fails with DEADLINE
     * @param retention         a task is kept at least this long after creation
     * @param retentionAfterEnd and at least this long after it ended
     */
    record Timing(Duration deadline, Duration retention, Duration retentionAfterEnd) {

        /** The description of a DEADLINE failure. */
        public String deadlineMissed() {
            return "Task was not solved within " + deadline.toSeconds() + " seconds";
        }
    }

    /** Holds the price and queues the task, created in the JSON task protocol. */
    default Submission submit(Account account, TaskSpec spec, long price, URI callbackUrl) {
        return submit(account, spec, price, callbackUrl, Dialect.CREATE_TASK);
    }

    /** Holds the price and queues the task, created in {@code dialect} (its callback takes that form). */
    Submission submit(Account account, TaskSpec spec, long price, URI callbackUrl, Dialect dialect);

    /** The task with this id as it is now, or null when unknown or forgotten. */
    Task find(TaskId id);

    /** The next queued task for a worker of this node. @throws InterruptedException the worker is stopping */
    Task take() throws InterruptedException;

    /** Marks a taken task solving on the current thread. @return false when it ended while queued */
    boolean startSolving(Task task);

    /** The current thread is done with the task: no interrupt meant for it can arrive later. */
    void stopSolving(Task task);

    /** The solver found a solution: ready, hold captured. Does nothing when the task already ended. */
    void complete(Task task, Solution solution);

    /** The task failed: hold released. Does nothing when the task already ended. */
    void fail(Task task, FailReason reason, String description);

    /**
     * Waits until the task ended, at most {@code maxWait}. @return the task as it is then (ended, unless the wait
     * ran out)
     */
    Task awaitEnd(Task task, Duration maxWait) throws InterruptedException;

    /** Told about every task that ended on this node, after its points were settled. */
    void addEndListener(EndListener listener);

    /** Enforces the deadline and the retention now; runs periodically, tests call it after moving their clock. */
    void housekeep();

    /** Stops accepting tasks; tasks that only this process holds are failed with SHUTDOWN. */
    void shutdown();

    /** Tasks waiting for a solver. */
    int waiting();

    /** Tasks being solved. */
    int solving();

    /** Mean seconds from creation to end of the recent tasks; 0 before any ended. */
    double recentSpeedSeconds();
}
