package dev.turnpike.bench;

import dev.turnpike.server.solver.Solver;
import dev.turnpike.server.task.Solution;
import dev.turnpike.server.task.TaskSpec;
import dev.turnpike.server.task.TaskType;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * A solver that answers every task at once, for the benchmarks that measure what the server adds around a solve
 * (API, hold, queue, capture). Never part of the product.
 */
final class InstantSolver implements Solver {

    private static final String USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) turnpike-bench";

    @Override
    public Set<TaskType> types() {
        return EnumSet.allOf(TaskType.class);
    }

    @Override
    public Solution solve(TaskSpec spec, Instant deadline) {
        return switch (spec) {
            case TaskSpec.Turnstile t -> new Solution.Turnstile("0.bench-token", USER_AGENT);
            case TaskSpec.Challenge c -> new Solution.Challenge(Map.of("cf_clearance", "bench-clearance"), USER_AGENT,
                    Map.of("user-agent", USER_AGENT), "chrome140", 200, c.websiteUrl().toString(), "<html>ok</html>");
            case TaskSpec.PageRequest p -> new Solution.Page(p.websiteUrl().toString(), 200, Map.of(),
                    "<html>ok</html>", java.util.List.of(), USER_AGENT, false, null);
        };
    }
}
