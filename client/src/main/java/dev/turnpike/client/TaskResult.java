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

    /**
     * The task asked about.
     *
     * @return its id
     */
    TaskId taskId();

    /**
     * Queued or being solved: ask again later.
     *
     * @param taskId the task asked about
     */
    record Processing(TaskId taskId) implements TaskResult {

        /**
         * Checks the id.
         *
         * @throws NullPointerException when {@code taskId} is null
         */
        public Processing {
            Objects.requireNonNull(taskId, "taskId");
        }
    }

    /**
     * Solved. {@code solution} is the service's solution object as sent; {@link #turnstile()} and
     * {@link #challenge()} read it tolerantly into typed records.
     *
     * @param taskId     the task asked about
     * @param solution   the solution object as the service sent it
     * @param cost       the price charged, as the service wrote it (points for Turnpike, dollars elsewhere)
     * @param createTime when the task was created, if the service says
     * @param endTime    when it ended, if the service says
     */
    record Ready(TaskId taskId, JsonNode solution, Optional<String> cost, Optional<Instant> createTime,
                 Optional<Instant> endTime) implements TaskResult {

        /**
         * Copies the solution, so a result does not change.
         *
         * @throws NullPointerException when a component is null
         */
        public Ready {
            Objects.requireNonNull(taskId, "taskId");
            solution = Objects.requireNonNull(solution, "solution").deepCopy();
            Objects.requireNonNull(cost, "cost");
            Objects.requireNonNull(createTime, "createTime");
            Objects.requireNonNull(endTime, "endTime");
        }

        /**
         * A copy of the solution object as the service sent it.
         *
         * @return the copy
         */
        @Override
        public JsonNode solution() {
            return solution.deepCopy();
        }

        /**
         * The solution read as a Turnstile token.
         *
         * @return the token and, when sent, its user agent
         * @throws TurnpikeException (BAD_ANSWER) when the solution has no token
         */
        public TurnstileSolution turnstile() {
            return SolutionReader.turnstile(taskId, solution);
        }

        /**
         * The solution read as a challenge clearance.
         *
         * @return the cookies, user agent and headers the service sent
         */
        public ChallengeSolution challenge() {
            return SolutionReader.challenge(taskId, solution);
        }
    }
}
