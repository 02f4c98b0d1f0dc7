package dev.turnpike.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.turnpike.protocol.CreateTaskResponse;
import dev.turnpike.protocol.ErrorCode;
import dev.turnpike.server.account.Account;
import dev.turnpike.server.task.Dialect;
import dev.turnpike.server.task.Task;
import dev.turnpike.server.task.Tasks;
import dev.turnpike.server.task.Tasks.Submission;
import dev.turnpike.server.task.TaskSpec;
import dev.turnpike.server.task.TaskType;
import java.net.URI;
import java.util.Map;

/**
 * {@code POST /createTask} (PROTOCOL.md §3.1), validating in the protocol's order: key → task present → type
 * supported → fields → target allowed → points → queue room.
 */
public final class CreateTask implements ApiMethod {

    private final KeyCheck keys;
    private final TaskParser parser;
    private final TargetCheck targets;
    private final Tasks tasks;
    private final Map<TaskType, Long> prices;

    /** @throws IllegalArgumentException a task type has no price (the server must not start) */
    public CreateTask(KeyCheck keys, TaskParser parser, TargetCheck targets, Tasks tasks,
                      Map<TaskType, Long> prices) {
        this.keys = keys;
        this.parser = parser;
        this.targets = targets;
        this.tasks = tasks;
        this.prices = Map.copyOf(prices);
        for (TaskType type : TaskType.values()) { // any type may become supported (a solver node joining)
            if (!this.prices.containsKey(type)) {
                throw new IllegalArgumentException("no price for " + type.wireName() + ": declare one in Settings.PRICES");
            }
        }
    }

    @Override
    public Object handle(ApiRequest request) throws ApiException {
        return CreateTaskResponse.ok(submit(request).id().toString());
    }

    /** Validates and queues; shared with {@link CreateSyncTask}. */
    Task submit(ApiRequest request) throws ApiException {
        return submit(request, Dialect.CREATE_TASK);
    }

    /**
     * Validates and queues a task another dialect translated into a createTask body ({@code clientKey}, {@code task},
     * {@code callbackUrl}): the same checks in the same order, the same points and queue.
     */
    public Task submit(ApiRequest request, Dialect dialect) throws ApiException {
        Account account = keys.check(request);
        JsonNode taskNode = request.field("task");
        if (taskNode == null || !taskNode.isObject()) {
            throw new ApiException(ErrorCode.ERROR_TASK_ABSENT, "Task property is empty or not set");
        }
        TaskSpec spec = parser.parse(taskNode);
        URI callbackUrl = callbackUrl(request);
        targets.check(spec, callbackUrl);
        return switch (tasks.submit(account, spec, prices.get(spec.type()), callbackUrl, dialect)) {
            case Submission.Accepted a -> a.task();
            case Submission.ZeroBalance z -> throw new ApiException(ErrorCode.ERROR_ZERO_BALANCE,
                    "Account has not enough points for " + spec.type().wireName() + " (" + prices.get(spec.type()) + ")");
            case Submission.QueueFull q -> throw new ApiException(ErrorCode.ERROR_NO_SLOT_AVAILABLE,
                    "No idle workers are available at the moment, please try a bit later");
            case Submission.ShuttingDown s -> throw new ApiException(ErrorCode.ERROR_SERVICE_UNAVALIABLE,
                    "The server is shutting down");
        };
    }

    private static URI callbackUrl(ApiRequest request) throws ApiException {
        JsonNode node = request.field("callbackUrl");
        if (node == null || node.isNull() || (node.isTextual() && node.textValue().isBlank())) {
            return null;
        }
        URI uri = node.isTextual() ? TaskParser.httpUrl(node.textValue()) : null;
        if (uri == null) {
            throw new ApiException(ErrorCode.ERROR_REQUIRED_FIELDS, "Please check the following fields: callbackUrl");
        }
        return uri;
    }
}
