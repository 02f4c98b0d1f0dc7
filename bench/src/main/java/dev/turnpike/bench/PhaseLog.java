package dev.turnpike.bench;

import dev.turnpike.server.solver.SolvePhase;
import dev.turnpike.server.solver.SolvePhases;
import dev.turnpike.server.task.TaskType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** The solver's phases of the tasks of one benchmark level: medians per phase, and the mean time inside the solver. */
final class PhaseLog implements SolvePhases.Listener {

    private final Map<SolvePhase, List<Long>> micros = new ConcurrentHashMap<>();

    @Override
    public void phase(TaskType type, SolvePhase phase, Duration took) {
        micros.computeIfAbsent(phase, p -> new CopyOnWriteArrayList<>()).add(took.toNanos() / 1000);
    }

    void clear() {
        micros.clear();
    }

    /** "a / b / c ms": the median of each phase, in the order given. */
    String medians(SolvePhase... phases) {
        return percentiles(50, phases);
    }

    /** "a / b / c ms": that percentile of each phase, in the order given. */
    String percentiles(int percentile, SolvePhase... phases) {
        List<String> parts = new ArrayList<>();
        for (SolvePhase phase : phases) {
            List<Long> values = new ArrayList<>(micros.getOrDefault(phase, List.of()));
            if (values.isEmpty()) {
                parts.add("–");
                continue;
            }
            Collections.sort(values);
            int at = Math.max(0, (int) Math.ceil(percentile / 100.0 * values.size()) - 1);
            parts.add(String.format(Locale.ROOT, "%.1f", values.get(at) / 1000.0));
        }
        return String.join(" / ", parts) + " ms";
    }

    /** The mean over solves (counted by {@code last}, the phase every successful solve ends with) of their phases' sum. */
    double meanTotalMillis(SolvePhase last) {
        int solves = micros.getOrDefault(last, List.of()).size();
        if (solves == 0) {
            return 0;
        }
        double total = micros.values().stream().flatMap(List::stream).mapToLong(Long::longValue).sum() / 1000.0;
        return total / solves;
    }
}
