package dev.turnpike.client;

import dev.turnpike.protocol.ErrorCode;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A call or a task failed. {@link #errorCode()} is the service's {@code errorCode} exactly as sent (other services
 * send codes Turnpike never does, so it stays a string); {@link #knownErrorCode()} maps it to {@link ErrorCode}
 * when it is one of Turnpike's. Failures found by the client itself use the {@code CLIENT_} codes below, except
 * that giving up on polling uses {@code ERROR_TASK_TIMEOUT}, the code the service would have sent.
 *
 * <p>{@link #taskId()} is present when the failure concerns a task that was created: the task may still hold
 * points or finish later, and {@link TurnpikeClient#awaitResult(TaskId)} can keep waiting for it.
 */
public final class TurnpikeException extends RuntimeException {

    /** The service could not be reached or answered with an HTTP error, after the allowed retries. */
    public static final String TRANSPORT_ERROR = "CLIENT_TRANSPORT_ERROR";
    /** The service answered something that is not the protocol (not JSON, no task id, a solution without a token). */
    public static final String BAD_ANSWER = "CLIENT_BAD_ANSWER";
    /** The calling thread was interrupted while waiting; its interrupt flag is set again. */
    public static final String INTERRUPTED = "CLIENT_INTERRUPTED";

    private static final long serialVersionUID = 1L;
    private static final Map<String, ErrorCode> KNOWN = Arrays.stream(ErrorCode.values())
            .collect(Collectors.toUnmodifiableMap(ErrorCode::wire, Function.identity()));

    /** The code as the service sent it. */
    private final String errorCode;
    /** The service's human text, or the client's. */
    private final String errorDescription;
    /** The task the failure is about, or null. */
    private final TaskId taskId;

    TurnpikeException(String errorCode, String errorDescription, TaskId taskId, Throwable cause) {
        super(message(errorCode, errorDescription, taskId), cause);
        this.errorCode = Objects.requireNonNull(errorCode, "errorCode");
        this.errorDescription = Objects.requireNonNull(errorDescription, "errorDescription");
        this.taskId = taskId;
    }

    TurnpikeException(String errorCode, String errorDescription) {
        this(errorCode, errorDescription, null, null);
    }

    /**
     * The code as the service sent it.
     *
     * @return the code; {@code ""} when it sent {@code errorId > 0} without a code
     */
    public String errorCode() {
        return errorCode;
    }

    /**
     * The code as one of Turnpike's, when it is one.
     *
     * @return the code, or empty for another service's own code
     */
    public Optional<ErrorCode> knownErrorCode() {
        return Optional.ofNullable(KNOWN.get(errorCode));
    }

    /**
     * The service's human text, or the client's.
     *
     * @return the description
     */
    public String errorDescription() {
        return errorDescription;
    }

    /**
     * The task this failure is about, when one was created.
     *
     * @return the task's id, or empty
     */
    public Optional<TaskId> taskId() {
        return Optional.ofNullable(taskId);
    }

    /** The same failure, now known to concern {@code id}. */
    TurnpikeException about(TaskId id) {
        if (taskId != null || id == null) {
            return this;
        }
        TurnpikeException copy = new TurnpikeException(errorCode, errorDescription, id, getCause());
        copy.setStackTrace(getStackTrace());
        return copy;
    }

    private static String message(String code, String description, TaskId taskId) {
        StringBuilder text = new StringBuilder(code.isEmpty() ? "error without errorCode" : code);
        if (!description.isEmpty()) {
            text.append(": ").append(description);
        }
        if (taskId != null) {
            text.append(" (task ").append(taskId.value()).append(')');
        }
        return text.toString();
    }
}
