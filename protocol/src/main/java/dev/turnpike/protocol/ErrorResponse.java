package dev.turnpike.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * An error answer of any method: {@code errorId} 1, the code and a description; {@code taskId} when the
 * error concerns a known task (a failed task's {@code getTaskResult}), otherwise absent.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"errorId", "errorCode", "errorDescription", "taskId"})
public record ErrorResponse(int errorId, String errorCode, String errorDescription, String taskId) implements Envelope {

    public static ErrorResponse of(ErrorCode code, String description) {
        return new ErrorResponse(1, code.wire(), description, null);
    }

    public static ErrorResponse of(ErrorCode code, String description, String taskId) {
        return new ErrorResponse(1, code.wire(), description, taskId);
    }
}
