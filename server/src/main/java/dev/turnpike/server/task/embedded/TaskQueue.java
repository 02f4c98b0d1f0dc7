package dev.turnpike.server.task.embedded;

import dev.turnpike.server.task.Task;

/** The tasks waiting for a solver, bounded. Embedded: {@link MemoryTaskQueue}; cluster: a database table. */
public interface TaskQueue {

    /** Adds a task unless the queue is full. @return whether it was added */
    boolean offer(Task task);

    /** The next task, waiting for one. @throws InterruptedException the worker is stopping */
    Task take() throws InterruptedException;

    /** Drops a task that ended while waiting (its deadline passed) so it no longer takes a place. */
    void remove(Task task);

    /** Tasks waiting. */
    int size();

    int capacity();
}
