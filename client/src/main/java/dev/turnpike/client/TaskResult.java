package dev.turnpike.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One answer of {@code /getTaskResult} for a task that has not failed: still {@link Processing}, or {@link Ready}.
 * A failed task is not a result: {@link TurnpikeClient#getTaskResult} throws a {@link TurnpikeException} for it.
 */
public sealed interface TaskResult {

    /** The task asked about. */
    TaskId taskId();

    /** Queued or being solved: ask again later. */
    record Processing(TaskId taskId) implements TaskResult {

        public Processing {
            Objects.requireNonNull(taskId, "taskId");
        }
    }

    /**
     * Solved. {@code solution} is the service's solution object as sent; {@link #turnstile()} and
     * {@link #challenge()} read it tolerantly into typed records.
     *
     * @param cost       the price charged, as the service wrote it (points for Turnpike, dollars elsewhere)
     * @param createTime when the task was created, if the service says
     * @param endTime    when it ended, if the service says
     */
    record Ready(TaskId taskId, JsonNode solution, Optional<String> cost, Optional<Instant> createTime,
                 Optional<Instant> endTime) implements TaskResult {

        public Ready {
            Objects.requireNonNull(taskId, "taskId");
            solution = Objects.requireNonNull(solution, "solution").deepCopy();
            Objects.requireNonNull(cost, "cost");
            Objects.requireNonNull(createTime, "createTime");
            Objects.requireNonNull(endTime, "endTime");
        }

        /** A copy of the solution object as the service sent it. */
        @Override
        public JsonNode solution() {
            return solution.deepCopy();
        }

        /** The solution read as a Turnstile token; throws {@link TurnpikeException} (BAD_ANSWER) without a token. */
        public TurnstileSolution turnstile() {
            return SolutionReader.turnstile(taskId, solution);
        }

        /** The solution read as a challenge clearance. */
        public ChallengeSolution challenge() {
            return SolutionReader.challenge(taskId, solution);
        }
    }
}
