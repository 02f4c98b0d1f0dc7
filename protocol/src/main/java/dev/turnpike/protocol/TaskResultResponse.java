package dev.turnpike.protocol;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Map;

/**
 * A successful {@code /getTaskResult} answer (PROTOCOL.md §3.2): {@code status} {@code processing}, or
 * {@code ready} with the solution, the task id, the cost (points, as a string) and the UNIX-second times.
 * A failed task is answered with an {@link ErrorResponse} instead (no {@code status} field).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"errorId", "errorCode", "errorDescription", "status", "solution", "taskId", "cost", "createTime", "endTime"})
public record TaskResultResponse(int errorId, String errorCode, String errorDescription, String status,
                                 @JsonInclude(value = JsonInclude.Include.NON_NULL, content = JsonInclude.Include.ALWAYS)
                                 Map<String, Object> solution,
                                 String taskId, String cost, Long createTime, Long endTime) implements Envelope {

    public static final String PROCESSING = "processing";
    public static final String READY = "ready";

    public static TaskResultResponse processing() {
        return new TaskResultResponse(0, "", "", PROCESSING, null, null, null, null, null);
    }

    public static TaskResultResponse ready(Map<String, Object> solution, String taskId, long cost, long createTime, long endTime) {
        return new TaskResultResponse(0, "", "", READY, solution, taskId, Long.toString(cost), createTime, endTime);
    }

    @JsonIgnore
    public boolean isReady() {
        return READY.equals(status);
    }
}
