package dev.turnpike.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.turnpike.server.task.TaskId;
import java.util.Optional;

/** Reads {@code taskId} as a client sends it back: a string of digits or a JSON integer, compared as a string. */
final class TaskIds {

    private TaskIds() {
    }

    static Optional<TaskId> read(ApiRequest request) {
        JsonNode node = request.field("taskId");
        if (node == null) {
            return Optional.empty();
        }
        if (node.isTextual()) {
            return TaskId.parse(node.textValue().strip());
        }
        if (node.isIntegralNumber() && node.canConvertToLong()) {
            return TaskId.parse(Long.toString(node.longValue()));
        }
        if (node.isFloatingPointNumber() && node.doubleValue() == Math.rint(node.doubleValue())) {
            return TaskId.parse(Long.toString((long) node.doubleValue())); // 7304012290153.0 from a JS client
        }
        return Optional.empty();
    }
}
