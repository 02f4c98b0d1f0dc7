package dev.turnpike.protocol;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Map;

/**
 * A successful {@code /getTaskResult} answer (PROTOCOL.md §3.2): {@code status} {@code processing}, or
 * {@code ready} with the solution, the task id, the cost (points, as a string) and the UNIX-second times.
 * A failed task is answered with an {@link ErrorResponse} instead (no {@code status} field).
 *
 * @param errorId          0 on success, 1 on an error
 * @param errorCode        empty on success, else an {@link ErrorCode}'s wire name
 * @param errorDescription empty on success, else what went wrong, in words
 * @param status           {@link #PROCESSING} or {@link #READY}
 * @param solution         the solution's fields when ready, else null
 * @param taskId           the task's id when ready, else null
 * @param cost             points charged, as a string, when ready
 * @param createTime       when the task was created (UNIX seconds), when ready
 * @param endTime          when it was solved (UNIX seconds), when ready
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"errorId", "errorCode", "errorDescription", "status", "solution", "taskId", "cost", "createTime", "endTime"})
public record TaskResultResponse(int errorId, String errorCode, String errorDescription, String status,
                                 @JsonInclude(value = JsonInclude.Include.NON_NULL, content = JsonInclude.Include.ALWAYS)
                                 Map<String, Object> solution,
                                 String taskId, String cost, Long createTime, Long endTime) implements Envelope {

    /** The status of a task still being solved. */
    public static final String PROCESSING = "processing";
    /** The status of a solved task. */
    public static final String READY = "ready";

    /**
     * A task still being solved.
     *
     * @return the answer
     */
    public static TaskResultResponse processing() {
        return new TaskResultResponse(0, "", "", PROCESSING, null, null, null, null, null);
    }

    /**
     * A solved task.
     *
     * @param solution   the solution's fields
     * @param taskId     the task's id
     * @param cost       points charged
     * @param createTime when the task was created (UNIX seconds)
     * @param endTime    when it was solved (UNIX seconds)
     * @return the answer
     */
    public static TaskResultResponse ready(Map<String, Object> solution, String taskId, long cost, long createTime, long endTime) {
        return new TaskResultResponse(0, "", "", READY, solution, taskId, Long.toString(cost), createTime, endTime);
    }

    /**
     * Whether the task is solved.
     *
     * @return true when {@code status} is {@link #READY}
     */
    @JsonIgnore
    public boolean isReady() {
        return READY.equals(status);
    }
}
