package dev.turnpike.server.task.embedded;

import dev.turnpike.server.task.Task;
import dev.turnpike.server.task.TaskId;
import java.util.Collection;

/** Every task not yet forgotten, by id. Embedded: {@link MemoryTaskStore}; cluster: a database table. */
public interface TaskStore {

    void put(Task task);

    /** The task, or null when unknown or forgotten. */
    Task get(TaskId id);

    void remove(TaskId id);

    /** A view of every task kept, for housekeeping. */
    Collection<Task> all();

    int size();
}
