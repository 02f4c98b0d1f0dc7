package dev.turnpike.server.api;

import dev.turnpike.protocol.ErrorCode;
import dev.turnpike.server.account.Account;
import dev.turnpike.server.task.Task;
import dev.turnpike.server.task.Tasks;

/**
 * {@code POST /getTaskResult} (PROTOCOL.md §3.2). A task is visible only to the key that created it; unknown,
 * expired and foreign ids get the same answer. Never throttled, and no database round trip on the hot path.
 */
public final class GetTaskResult implements ApiMethod {

    private final KeyCheck keys;
    private final Tasks tasks;
    private final ErrorCode invalidCode;

    public GetTaskResult(KeyCheck keys, Tasks tasks, ErrorCode invalidCode) {
        this.keys = keys;
        this.tasks = tasks;
        this.invalidCode = invalidCode;
    }

    @Override
    public Object handle(ApiRequest request) throws ApiException {
        Account account = keys.checkCached(request);
        Task task = TaskIds.read(request).map(tasks::find).orElse(null);
        if (task == null || task.accountId() != account.id()) {
            throw TaskResults.unknownTask(invalidCode);
        }
        return TaskResults.answer(task);
    }
}
