package dev.turnpike.server.task.embedded;

import dev.turnpike.server.task.Task;
import dev.turnpike.server.task.TaskId;
import java.util.Collection;
import java.util.Collections;
import java.util.concurrent.ConcurrentHashMap;

/** The embedded task store: a concurrent map; tasks do not survive the process. */
public final class MemoryTaskStore implements TaskStore {

    private final ConcurrentHashMap<TaskId, Task> tasks = new ConcurrentHashMap<>();

    @Override
    public void put(Task task) {
        tasks.put(task.id(), task);
    }

    @Override
    public Task get(TaskId id) {
        return tasks.get(id);
    }

    @Override
    public void remove(TaskId id) {
        tasks.remove(id);
    }

    @Override
    public Collection<Task> all() {
        return Collections.unmodifiableCollection(tasks.values());
    }

    @Override
    public int size() {
        return tasks.size();
    }
}
