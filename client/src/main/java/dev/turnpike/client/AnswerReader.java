package dev.turnpike.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Reads protocol answers tolerantly (PROTOCOL.md §2–3, and the other services' variants): the envelope's error,
 * the balance, the task id and the task's state. Anything the client cannot use is a {@code BAD_ANSWER}.
 */
final class AnswerReader {

    /** Statuses of a task still on its way: Turnpike and YesCaptcha say processing, CapSolver also idle. */
    private static final Set<String> PENDING = Set.of("processing", "idle", "queued", "pending", "waiting");
    /** Overload answers worth asking again; the correct spelling is accepted for other services. */
    private static final Set<String> UNAVAILABLE = Set.of("ERROR_SERVICE_UNAVALIABLE", "ERROR_SERVICE_UNAVAILABLE");

    private AnswerReader() {
    }

    /** Whether the answer is an error: {@code errorId} not 0, or (without {@code errorId}) a non-empty code. */
    static boolean isError(JsonNode answer) {
        JsonNode errorId = answer.get("errorId");
        if (errorId == null || errorId.isNull()) {
            return SolutionReader.text(answer.get("errorCode")).isPresent();
        }
        return !(errorId.asText().trim().equals("0") || errorId.asText().trim().isEmpty()
                || errorId.isBoolean() && !errorId.asBoolean());
    }

    /** Whether the answer says the service is overloaded for now, which is worth another try. */
    static boolean isUnavailable(JsonNode answer) {
        return isError(answer) && UNAVAILABLE.contains(answer.path("errorCode").asText());
    }

    /** The answer's error as an exception about {@code taskId} (which may be null). */
    static TurnpikeException error(JsonNode answer, TaskId taskId) {
        String code = SolutionReader.text(answer.get("errorCode")).orElse("");
        String description = SolutionReader.text(answer.get("errorDescription")).orElse("");
        TaskId about = taskId != null ? taskId : optionalTaskId(answer).orElse(null);
        return new TurnpikeException(code, description, about, null);
    }

    /** Throws the answer's error, if it is one. */
    static JsonNode requireSuccess(JsonNode answer, TaskId taskId) {
        if (isError(answer)) {
            throw error(answer, taskId);
        }
        return answer;
    }

    static BigDecimal balance(JsonNode answer) {
        JsonNode balance = answer.get("balance");
        if (balance != null && balance.isNumber()) {
            return balance.decimalValue();
        }
        if (balance != null && balance.isTextual()) {
            try {
                return new BigDecimal(balance.asText().trim());
            } catch (NumberFormatException notANumber) {
                // falls through to the bad answer below
            }
        }
        throw new TurnpikeException(TurnpikeException.BAD_ANSWER, "getBalance answered without a numeric balance");
    }

    static TaskId taskId(JsonNode answer) {
        return optionalTaskId(answer).orElseThrow(() -> new TurnpikeException(TurnpikeException.BAD_ANSWER,
                "createTask answered without a taskId"));
    }

    /** The task's state. Call only on a successful answer. */
    static TaskResult taskResult(JsonNode answer, TaskId asked) {
        JsonNode solution = answer.get("solution");
        boolean hasSolution = solution != null && solution.isObject();
        String status = answer.path("status").asText("").trim().toLowerCase(Locale.ROOT);
        if (status.equals("ready") || status.isEmpty() && hasSolution) {
            if (!hasSolution) {
                throw new TurnpikeException(TurnpikeException.BAD_ANSWER, "status ready without a solution object",
                        asked, null);
            }
            return new TaskResult.Ready(asked, solution, SolutionReader.text(answer.get("cost")),
                    epochSeconds(answer.get("createTime")), epochSeconds(answer.get("endTime")));
        }
        if (status.isEmpty() || PENDING.contains(status)) {
            return new TaskResult.Processing(asked);
        }
        if (status.equals("failed") || status.equals("error")) {
            TurnpikeException error = error(answer, asked);
            String description = error.errorDescription().isEmpty() ? "status " + status : error.errorDescription();
            throw new TurnpikeException(error.errorCode(), description, asked, null);
        }
        throw new TurnpikeException(TurnpikeException.BAD_ANSWER, "unknown task status '" + status + "'", asked, null);
    }

    private static Optional<TaskId> optionalTaskId(JsonNode answer) {
        JsonNode id = answer.get("taskId");
        if (id == null) {
            return Optional.empty();
        }
        if (id.isIntegralNumber() && id.bigIntegerValue().signum() > 0) {
            return Optional.of(new TaskId(id.bigIntegerValue().toString(), true));
        }
        if (id.isTextual() && !id.asText().isBlank()) {
            return Optional.of(TaskId.of(id.asText()));
        }
        return Optional.empty();
    }

    private static Optional<Instant> epochSeconds(JsonNode node) {
        if (node != null && node.isNumber()) {
            return Optional.of(Instant.ofEpochSecond(node.longValue()));
        }
        if (node != null && node.isTextual()) {
            try {
                return Optional.of(Instant.ofEpochSecond(Long.parseLong(node.asText().trim())));
            } catch (NumberFormatException notANumber) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }
}
