package dev.turnpike.protocol;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** The answer of {@code /createTask} (PROTOCOL.md §3.1): the task id as a string of decimal digits, no status. */
@JsonPropertyOrder({"errorId", "errorCode", "errorDescription", "taskId"})
public record CreateTaskResponse(int errorId, String errorCode, String errorDescription, String taskId) implements Envelope {

    public static CreateTaskResponse ok(String taskId) {
        return new CreateTaskResponse(0, "", "", taskId);
    }
}
