package dev.turnpike.server.api;

import dev.turnpike.protocol.ErrorCode;
import dev.turnpike.server.account.Account;
import dev.turnpike.server.task.Task;
import dev.turnpike.server.task.TaskId;
import dev.turnpike.server.task.Tasks;
import java.util.Optional;

/**
 * {@code POST /getTaskResult} (PROTOCOL.md §3.2). A task is visible only to the key that created it; unknown,
 * expired and foreign ids get the same answer. Never throttled, and no database round trip on the hot path.
 */
public final class GetTaskResult implements ApiMethod {

    private final KeyCheck keys;
    private final Tasks tasks;
    private final ErrorCode invalidCode;
    private final LostTasks lost;

    public GetTaskResult(KeyCheck keys, Tasks tasks, ErrorCode invalidCode, LostTasks lost) {
        this.lost = lost;
        this.keys = keys;
        this.tasks = tasks;
        this.invalidCode = invalidCode;
    }

    @Override
    public Object handle(ApiRequest request) throws ApiException {
        Account account = keys.checkCached(request);
        Optional<TaskId> id = TaskIds.read(request);
        Task task = id.map(tasks::find).orElse(null);
        if (task == null && id.isPresent() && lost.lost(id.get(), account.id())) {
            throw new ApiException(ErrorCode.ERROR_SERVICE_UNAVALIABLE, "The server stopped while this task ran"
                    + " (killed or crashed); the task did not survive and its points were released: create it again");
        }
        if (task == null || task.accountId() != account.id()) {
            throw TaskResults.unknownTask(invalidCode);
        }
        return TaskResults.answer(task);
    }
}
