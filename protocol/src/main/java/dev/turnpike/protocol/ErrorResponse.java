package dev.turnpike.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * An error answer of any method: {@code errorId} 1, the code and a description; {@code taskId} when the
 * error concerns a known task (a failed task's {@code getTaskResult}), otherwise absent.
 *
 * @param errorId          always 1
 * @param errorCode        an {@link ErrorCode}'s wire name
 * @param errorDescription what went wrong, in words
 * @param taskId           the task the error concerns, or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"errorId", "errorCode", "errorDescription", "taskId"})
public record ErrorResponse(int errorId, String errorCode, String errorDescription, String taskId) implements Envelope {

    /**
     * An error that concerns no task.
     *
     * @param code        the error
     * @param description what went wrong, in words
     * @return the answer
     */
    public static ErrorResponse of(ErrorCode code, String description) {
        return new ErrorResponse(1, code.wire(), description, null);
    }

    /**
     * An error that concerns a known task.
     *
     * @param code        the error
     * @param description what went wrong, in words
     * @param taskId      the task's id
     * @return the answer
     */
    public static ErrorResponse of(ErrorCode code, String description, String taskId) {
        return new ErrorResponse(1, code.wire(), description, taskId);
    }
}
