package dev.turnpike.server.api;

import dev.turnpike.protocol.TaskResultResponse;
import dev.turnpike.server.task.Task;
import dev.turnpike.server.task.Tasks;
import java.time.Duration;

/**
 * {@code POST /createSyncTask} (EZ-Captcha): {@link CreateTask}, then wait for the task to end (the 120 s
 * deadline ends it) and answer its {@code getTaskResult} body with the task id.
 */
public final class CreateSyncTask implements ApiMethod {

    private final CreateTask create;
    private final Tasks tasks;
    private final Duration maxWait;

    public CreateSyncTask(CreateTask create, Tasks tasks, Duration maxWait) {
        this.create = create;
        this.tasks = tasks;
        this.maxWait = maxWait;
    }

    @Override
    public Object handle(ApiRequest request) throws ApiException {
        Task task = create.submit(request);
        try {
            task = tasks.awaitEnd(task, maxWait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!task.state().ended()) {
            TaskResultResponse p = TaskResultResponse.processing();
            return new TaskResultResponse(0, "", "", p.status(), null, task.id().toString(), null, null, null);
        }
        return TaskResults.answerWithId(task);
    }
}
