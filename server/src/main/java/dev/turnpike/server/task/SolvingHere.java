package dev.turnpike.server.task;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/** The tasks this process is solving, started and stopped the same way by every {@link Tasks} version. */
public final class SolvingHere {

    private final AtomicInteger count = new AtomicInteger();

    /**
     * Marks a taken task solving on the current thread.
     *
     * @param pastDeadline ends the task when its deadline passed before it started (housekeeping may not have
     *                     reached it yet)
     * @return false when it ended while queued or its deadline passed
     */
    public boolean start(Task task, Instant now, Consumer<Task> pastDeadline) {
        if (!now.isBefore(task.deadline())) {
            pastDeadline.accept(task);
            return false;
        }
        if (!task.startSolving(now, Thread.currentThread())) {
            return false;
        }
        count.incrementAndGet();
        return true;
    }

    /** The current thread is done with the task: no interrupt meant for it can arrive later. */
    public void stop(Task task) {
        task.detachSolver();
        count.decrementAndGet();
        Thread.interrupted(); // an interrupt for this task (deadline) may have arrived; it must not hit the next one
    }

    public int count() {
        return Math.max(0, count.get());
    }
}
