package dev.turnpike.server.solver;

import dev.turnpike.server.task.TaskType;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which solver handles which task type. Built once at start from the installed solvers; a type without one is
 * answered with ERROR_TASK_NOT_SUPPORTED. There is no default solver: until a real one is installed, nothing is
 * supported.
 */
public final class SolverRegistry {

    private final Map<TaskType, Solver> byType;

    private SolverRegistry(Map<TaskType, Solver> byType) {
        this.byType = Collections.unmodifiableMap(new EnumMap<>(byType));
    }

    public static SolverRegistry empty() {
        return new SolverRegistry(new EnumMap<>(TaskType.class));
    }

    /**
     * A registry with these solvers, each for every type it declares.
     *
     * @throws IllegalArgumentException two solvers declare the same type
     */
    public static SolverRegistry of(Iterable<? extends Solver> solvers) {
        Map<TaskType, Solver> map = new EnumMap<>(TaskType.class);
        for (Solver solver : solvers) {
            for (TaskType type : solver.types()) {
                Solver previous = map.putIfAbsent(type, solver);
                if (previous != null) {
                    throw new IllegalArgumentException("two solvers for " + type.wireName() + ": " + previous + ", " + solver);
                }
            }
        }
        return new SolverRegistry(map);
    }

    public Optional<Solver> forType(TaskType type) {
        return Optional.ofNullable(byType.get(type));
    }

    public boolean supports(TaskType type) {
        return byType.containsKey(type);
    }

    public Set<TaskType> supportedTypes() {
        return byType.isEmpty() ? Set.of() : Collections.unmodifiableSet(byType.keySet());
    }
}
