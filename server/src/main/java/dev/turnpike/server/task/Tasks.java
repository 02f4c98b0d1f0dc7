package dev.turnpike.server.task;

import dev.turnpike.server.task.embedded.TaskLifecycle;
import dev.turnpike.server.account.Account;
import java.net.URI;
import java.time.Duration;

/**
 * The tasks of a deployment, as the API and the solver workers see them: submit, find, take, complete, fail.
 * Two versions: {@link TaskLifecycle} keeps them in this process (embedded mode); the PostgreSQL version
 * ({@code queue.pg.PgTasks}) shares them between every node of a cluster. Callers hold only this type.
 */
public interface Tasks {

    /** Holds the price and queues the task. */
    TaskLifecycle.Submission submit(Account account, TaskSpec spec, long price, URI callbackUrl);

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
    void addEndListener(TaskLifecycle.EndListener listener);

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
