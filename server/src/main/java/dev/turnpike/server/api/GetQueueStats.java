package dev.turnpike.server.api;

import dev.turnpike.protocol.QueueStatsResponse;
import dev.turnpike.server.task.Tasks;

/** {@code POST /getQueueStats} (Anti-Captcha): waiting tasks, load in percent, recent speed, capacity. */
public final class GetQueueStats implements ApiMethod {

    private final Tasks tasks;
    private final int workers;

    public GetQueueStats(Tasks tasks, int workers) {
        this.tasks = tasks;
        this.workers = workers;
    }

    @Override
    public Object handle(ApiRequest request) {
        double load = Math.min(100.0, 100.0 * tasks.solving() / workers);
        return new QueueStatsResponse(tasks.waiting(), load, 0, tasks.recentSpeedSeconds(), workers);
    }
}
