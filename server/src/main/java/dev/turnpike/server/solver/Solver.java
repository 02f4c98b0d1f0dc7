package dev.turnpike.server.solver;

import dev.turnpike.server.task.Solution;
import dev.turnpike.server.task.TaskSpec;
import dev.turnpike.server.task.TaskType;
import java.time.Instant;
import java.util.Set;

/**
 * The solver boundary: one task in, a solution or a failure reason out.
 *
 * <p>{@link #solve} blocks and runs on a virtual thread of the worker. The deadline is enforced outside
 * it: when it passes (or the server stops) the worker interrupts the thread, and the solver must then
 * release whatever it holds (its browser context) and return promptly. The deadline is given so a solver
 * can plan (e.g. not start another attempt it cannot finish), not so it can enforce it.
 */
public interface Solver {

    /** The task types this solver handles; {@code createTask} for any other answers ERROR_TASK_NOT_SUPPORTED. */
    Set<TaskType> types();

    /**
     * @param spec     the validated task
     * @param deadline when the task times out
     * @throws SolveException       the solve failed, with a reason
     * @throws InterruptedException the deadline passed or the server is stopping
     */
    Solution solve(TaskSpec spec, Instant deadline) throws SolveException, InterruptedException;
}
