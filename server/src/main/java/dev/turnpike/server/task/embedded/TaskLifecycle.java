package dev.turnpike.server.task.embedded;

import dev.turnpike.server.account.Account;
import dev.turnpike.server.account.Holds;
import dev.turnpike.server.task.Dialect;
import dev.turnpike.server.task.FailReason;
import dev.turnpike.server.task.Solution;
import dev.turnpike.server.task.SolvingHere;
import dev.turnpike.server.task.Task;
import dev.turnpike.server.task.TaskEnding;
import dev.turnpike.server.task.TaskId;
import dev.turnpike.server.task.TaskIdGenerator;
import dev.turnpike.server.task.TaskSpec;
import dev.turnpike.server.task.TaskState;
import dev.turnpike.server.task.Tasks;
import dev.turnpike.server.task.Tasks.EndListener;
import dev.turnpike.server.task.Tasks.Submission;
import dev.turnpike.server.task.Tasks.Timing;
import dev.turnpike.server.task.Uninterrupted;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every state change of a task, with its points: submit (hold), start solving, ready (capture), failed
 * (release); the deadline and the retention enforced by {@link #housekeep()}. The one place an embedded task
 * ends, so its hold is settled exactly once; the end is then announced by {@link TaskEnding}.
 */
public final class TaskLifecycle implements Tasks {

    private static final Logger log = LoggerFactory.getLogger(TaskLifecycle.class);

    private final Clock clock;
    private final TaskIdGenerator ids;
    private final TaskStore store;
    private final TaskQueue queue;
    private final Holds holds;
    private final Timing timing;
    private final TaskEnding ending = new TaskEnding();
    private final SolvingHere solving = new SolvingHere();
    private volatile boolean accepting = true;

    public TaskLifecycle(Clock clock, TaskIdGenerator ids, TaskStore store, TaskQueue queue, Holds holds, Timing timing) {
        this.clock = clock;
        this.ids = ids;
        this.store = store;
        this.queue = queue;
        this.holds = holds;
        this.timing = timing;
    }

    @Override
    public void addEndListener(EndListener listener) {
        ending.addListener(listener);
    }

    /** Holds the price and queues the task; the hold is released again when the queue is full. */
    @Override
    public Submission submit(Account account, TaskSpec spec, long price, URI callbackUrl, Dialect dialect) {
        if (!accepting) {
            return new Submission.ShuttingDown();
        }
        Instant now = clock.instant();
        Task task = new Task(ids.next(), account.id(), account.keyPrefix(), spec, price, now,
                now.plus(timing.deadline()), callbackUrl, dialect);
        if (!holds.hold(account.id(), task.id().value(), price)) {
            return new Submission.ZeroBalance();
        }
        store.put(task);
        if (!queue.offer(task)) {
            store.remove(task.id());
            holds.release(task.id().value(), "queue full");
            return new Submission.QueueFull();
        }
        return new Submission.Accepted(task);
    }

    /** The task with this id, if it is still kept. */
    @Override
    public Task find(TaskId id) {
        return store.get(id);
    }

    /** The next queued task for a worker. @throws InterruptedException the worker is stopping */
    @Override
    public Task take() throws InterruptedException {
        return queue.take();
    }

    /** Marks a taken task solving on the current thread. @return false when it ended while queued */
    @Override
    public boolean startSolving(Task task) {
        return solving.start(task, clock.instant(), t -> fail(t, FailReason.DEADLINE, timing.deadlineMissed()));
    }

    /** The current thread is done with the task: no interrupt meant for it can arrive later. */
    @Override
    public void stopSolving(Task task) {
        solving.stop(task);
    }

    /** The solver found a solution: ready, hold captured. Does nothing when the task already ended. */
    @Override
    public void complete(Task task, Solution solution) {
        end(task, new TaskState.Ready(solution, clock.instant()), false);
    }

    /** The task failed: hold released. Does nothing when the task already ended. */
    @Override
    public void fail(Task task, FailReason reason, String description) {
        end(task, new TaskState.Failed(reason, description, clock.instant()), true);
    }

    /**
     * Fails tasks past their deadline (interrupting their solvers) and forgets tasks past their retention. Runs
     * periodically; tests call it after moving their clock.
     */
    @Override
    public void housekeep() {
        Instant now = clock.instant();
        List<Task> forget = new ArrayList<>();
        for (Task task : store.all()) {
            TaskState state = task.state();
            if (!state.ended()) {
                if (!task.endDecided() && !now.isBefore(task.deadline())) {
                    fail(task, FailReason.DEADLINE, timing.deadlineMissed());
                }
            } else if (!now.isBefore(task.createdAt().plus(timing.retention()))
                    && !now.isBefore(state.endedAt().plus(timing.retentionAfterEnd()))) {
                forget.add(task);
            }
        }
        forget.forEach(t -> store.remove(t.id()));
    }

    /** Stops accepting tasks and fails every unfinished one with SHUTDOWN, releasing its hold. */
    @Override
    public void shutdown() {
        accepting = false;
        for (Task task : store.all()) {
            fail(task, FailReason.SHUTDOWN, "The server is shutting down");
        }
    }

    @Override
    public int waiting() {
        return queue.size();
    }

    @Override
    public int solving() {
        return solving.count();
    }

    /** Mean seconds from creation to end of the recent tasks; 0 before any ended. */
    @Override
    public double recentSpeedSeconds() {
        return ending.recentSpeedSeconds();
    }

    @Override
    public Task awaitEnd(Task task, Duration maxWait) throws InterruptedException {
        try {
            task.ended().get(maxWait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            // the wait ran out: the caller answers with the task as it is
        } catch (ExecutionException e) {
            throw new IllegalStateException(e);
        }
        return task;
    }

    public Clock clock() {
        return clock;
    }

    private void end(Task task, TaskState finalState, boolean interruptSolver) {
        if (!task.end(finalState, interruptSolver)) {
            return;
        }
        if (finalState instanceof TaskState.Failed) {
            queue.remove(task);
        }
        try {
            Uninterrupted.call(() -> finalState instanceof TaskState.Ready ready
                    ? holds.capture(task.id().value(), task.charge(ready.solution()))
                    : holds.release(task.id().value(), ((TaskState.Failed) finalState).reason().name()));
        } catch (RuntimeException e) {
            // The hold stays in the store and is released at the next start; the task's outcome stands.
            log.error("task {}: settling its points failed: {}", task.id(), e.toString());
        }
        task.publishEnd();
        ending.ended(task, task, finalState);
    }
}
