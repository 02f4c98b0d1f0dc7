package dev.turnpike.server.api;

import dev.turnpike.protocol.QueueStatsResponse;
import dev.turnpike.server.task.Tasks;
import java.util.function.IntSupplier;

/**
 * {@code POST /getQueueStats} (Anti-Captcha): waiting tasks, load in percent, recent speed, capacity. In a cluster
 * the waiting and solving tasks are the shared queue's and the capacity is every live solving node's workers
 * together, so every API node answers the same.
 */
public final class GetQueueStats implements ApiMethod {

    private final Tasks tasks;
    private final IntSupplier workers;

    /** @param workers tasks solved at once, read at every call (a cluster's changes as solver nodes come and go) */
    public GetQueueStats(Tasks tasks, IntSupplier workers) {
        this.tasks = tasks;
        this.workers = workers;
    }

    @Override
    public Object handle(ApiRequest request) {
        int total = workers.getAsInt();
        int solving = tasks.solving();
        // No capacity at all is full load: nothing can take a task now.
        double load = total == 0 ? 100.0 : Math.min(100.0, 100.0 * solving / total);
        return new QueueStatsResponse(tasks.waiting(), load, 0, tasks.recentSpeedSeconds(), total);
    }
}
