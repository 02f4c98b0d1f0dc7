package dev.turnpike.protocol;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The answer of {@code /createTask} (PROTOCOL.md §3.1): the task id as a string of decimal digits, no status.
 *
 * @param errorId          0 on success, 1 on an error
 * @param errorCode        empty on success, else an {@link ErrorCode}'s wire name
 * @param errorDescription empty on success, else what went wrong, in words
 * @param taskId           the new task's id
 */
@JsonPropertyOrder({"errorId", "errorCode", "errorDescription", "taskId"})
public record CreateTaskResponse(int errorId, String errorCode, String errorDescription, String taskId) implements Envelope {

    /**
     * A successful answer.
     *
     * @param taskId the new task's id
     * @return the answer
     */
    public static CreateTaskResponse ok(String taskId) {
        return new CreateTaskResponse(0, "", "", taskId);
    }
}
