package dev.turnpike.server.task;

import java.net.URI;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * One task: what was asked, by whom, at what price, and its state. State changes happen under the task's lock,
 * so exactly one of "the solver finished", "the deadline passed" and "the server stopped" ends a task.
 */
public final class Task {

    private final TaskId id;
    private final long accountId;
    private final String keyPrefix;
    private final TaskSpec spec;
    private final long price;
    private final Instant createdAt;
    private final Instant deadline;
    private final URI callbackUrl;
    private final Dialect dialect;
    private final CompletableFuture<Task> ended = new CompletableFuture<>();

    private TaskState state = new TaskState.Queued();
    /** The final state once decided, before it is visible: the points are settled in between. */
    private TaskState decided;
    private Thread solver;

    public Task(TaskId id, long accountId, String keyPrefix, TaskSpec spec, long price, Instant createdAt,
                Instant deadline, URI callbackUrl, Dialect dialect) {
        this.id = Objects.requireNonNull(id, "id");
        this.accountId = accountId;
        this.keyPrefix = keyPrefix;
        this.spec = Objects.requireNonNull(spec, "spec");
        this.price = price;
        this.createdAt = createdAt;
        this.deadline = deadline;
        this.callbackUrl = callbackUrl;
        this.dialect = Objects.requireNonNull(dialect, "dialect");
    }

    /**
     * A task as a shared store keeps it (cluster mode), in the state read from there. Its {@link #ended()} is
     * already complete when that state is final.
     */
    public static Task restored(TaskId id, long accountId, String keyPrefix, TaskSpec spec, long price,
                                Instant createdAt, Instant deadline, URI callbackUrl, Dialect dialect,
                                TaskState state) {
        Task task = new Task(id, accountId, keyPrefix, spec, price, createdAt, deadline, callbackUrl, dialect);
        task.state = Objects.requireNonNull(state, "state");
        if (state.ended()) {
            task.decided = state;
            task.ended.complete(task);
        }
        return task;
    }

    public TaskId id() {
        return id;
    }

    public long accountId() {
        return accountId;
    }

    /** The creator's key prefix, for logs. */
    public String keyPrefix() {
        return keyPrefix;
    }

    public TaskSpec spec() {
        return spec;
    }

    public TaskType type() {
        return spec.type();
    }

    public long price() {
        return price;
    }

    /**
     * The points a ready task is charged: its price (the hold), except a page request that met no challenge and
     * returned no widget's token, which costs its plain fetch price (the rest of the hold is given back).
     */
    public long charge(Solution solution) {
        if (spec instanceof TaskSpec.PageRequest page && solution instanceof Solution.Page done && !done.challenged()
                && done.turnstileToken() == null) {
            return Math.min(price, page.plainFetchPrice());
        }
        return price;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public Instant deadline() {
        return deadline;
    }

    /** Where to POST the result when the task ends, or null. */
    public URI callbackUrl() {
        return callbackUrl;
    }

    /** The API dialect it was created in (its callback's form). */
    public Dialect dialect() {
        return dialect;
    }

    public synchronized TaskState state() {
        return state;
    }

    /** Completes when the task ends, with the task itself. */
    public CompletableFuture<Task> ended() {
        return ended;
    }

    /*
     * The transitions below are public for the implementations of Tasks (embedded and PostgreSQL) only; everything
     * else changes a task through Tasks, which settles its points.
     */

    /** Queued → solving on {@code thread}. @return false when the task already ended (its deadline passed) */
    public synchronized boolean startSolving(Instant now, Thread thread) {
        if (!(state instanceof TaskState.Queued) || decided != null) {
            return false;
        }
        state = new TaskState.Solving(now);
        solver = thread;
        return true;
    }

    /**
     * Decides how the task ends, unless that was decided already; interrupts its solving thread when asked
     * (deadline, shutdown). The final state stays invisible until {@link #publishEnd()}, so nobody sees a task
     * ended before its points are settled.
     *
     * @return whether this call decided it
     */
    public synchronized boolean end(TaskState finalState, boolean interruptSolver) {
        if (!finalState.ended()) {
            throw new IllegalArgumentException("not a final state: " + finalState);
        }
        if (decided != null) {
            return false;
        }
        decided = finalState;
        // A solver ending its own task is not waiting for anything: interrupting itself would only make the
        // settlement's store calls fail.
        if (interruptSolver && solver != null && solver != Thread.currentThread()) {
            solver.interrupt();
        }
        return true;
    }

    /** Makes the decided final state visible; called once its points are settled. */
    public synchronized void publishEnd() {
        state = decided;
    }

    /** Whether the task's end was decided (it may not be visible yet). */
    public synchronized boolean endDecided() {
        return decided != null;
    }

    /** The solving thread lets go of the task; no interrupt for this task reaches it after this returns. */
    public synchronized void detachSolver() {
        solver = null;
    }

    public void notifyEnded() {
        ended.complete(this);
    }

    @Override
    public String toString() {
        return "Task[" + id + " " + spec.type().wireName() + " " + state().getClass().getSimpleName() + "]";
    }
}
