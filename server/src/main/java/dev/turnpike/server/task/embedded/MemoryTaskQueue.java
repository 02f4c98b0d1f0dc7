package dev.turnpike.server.task.embedded;

import dev.turnpike.server.task.Task;
import java.util.concurrent.LinkedBlockingQueue;

/** The embedded queue: first in, first out, bounded; tasks do not survive the process. */
public final class MemoryTaskQueue implements TaskQueue {

    private final LinkedBlockingQueue<Task> queue;
    private final int capacity;

    public MemoryTaskQueue(int capacity) {
        this.queue = new LinkedBlockingQueue<>(capacity);
        this.capacity = capacity;
    }

    @Override
    public boolean offer(Task task) {
        return queue.offer(task);
    }

    @Override
    public Task take() throws InterruptedException {
        return queue.take();
    }

    @Override
    public void remove(Task task) {
        queue.remove(task);
    }

    @Override
    public int size() {
        return queue.size();
    }

    @Override
    public int capacity() {
        return capacity;
    }
}
