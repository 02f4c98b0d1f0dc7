package dev.turnpike.bench;

import dev.turnpike.server.browser.cdp.CdpConnection;
import dev.turnpike.server.browser.pool.BrowserPool;
import java.util.Locale;
import java.util.Map;

/**
 * What a run of solves cost this JVM and its browsers: CPU seconds by kind of process ({@link ProcessTree}, from
 * /proc) and the DevTools commands and events of one browser's connection, read before and after the run. Load on
 * the machine stretches wall time but hardly changes these, so they compare two runs on a shared machine.
 */
final class SolveCost {

    /**
     * The columns {@link #cells} prints, in ms of CPU per solve. The JVM's JIT compilation and the benchmark's own
     * HTTP client are part of the JVM's figure and shown apart too: the first is paid once while a side's code is
     * still cold (the side that runs second is colder here, Turnpike's server code being new to the JVM), the second
     * is the client's, which a real client pays in its own process. "Steady" is the total less both.
     */
    static final String HEADER = "| JVM | browser | renderer | GPU | network | other | total | commands | events"
            + " | JVM's JIT | bench client | steady |";
    static final String RULE = "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|";

    /** Cumulative counters at one moment. */
    record Reading(Map<String, Double> cpuSeconds, long commands, long events, double jitSeconds,
                   double clientSeconds) {
        double cpu(String kind) {
            return cpuSeconds.getOrDefault(kind, 0.0);
        }

        double total() {
            return cpuSeconds.values().stream().mapToDouble(Double::doubleValue).sum();
        }
    }

    private SolveCost() {
    }

    /** This JVM's process tree (the lab, the server and the benchmark's client are all in it) and one connection. */
    static Reading read(CdpConnection connection) {
        return new Reading(ProcessTree.cpuSecondsByKind(ProcessHandle.current()), connection.commandsSent(),
                connection.eventsReceived(), ProcessTree.jitSeconds(), BenchApi.clientCpuSeconds());
    }

    /** This JVM's process tree and the DevTools traffic of every browser of the pool. */
    static Reading read(BrowserPool pool) {
        long[] traffic = pool.devToolsTraffic();
        return new Reading(ProcessTree.cpuSecondsByKind(ProcessHandle.current()), traffic[0], traffic[1],
                ProcessTree.jitSeconds(), BenchApi.clientCpuSeconds());
    }

    /** Per solve between two readings: ms of CPU by kind, then DevTools commands and events. */
    static String cells(Reading before, Reading after, int solves) {
        double other = 0;
        for (String kind : ProcessTree.KINDS) {
            if (!Map.of("jvm", 0, "browser", 0, "renderer", 0, "gpu", 0, "network", 0).containsKey(kind)) {
                other += after.cpu(kind) - before.cpu(kind);
            }
        }
        return String.format(Locale.ROOT, "| %.0f | %.0f | %.0f | %.0f | %.0f | %.0f | **%.0f** | %.1f | %.1f | %.0f"
                        + " | %.0f | **%.0f** |",
                perSolve(before, after, "jvm", solves), perSolve(before, after, "browser", solves),
                perSolve(before, after, "renderer", solves), perSolve(before, after, "gpu", solves),
                perSolve(before, after, "network", solves), other * 1000 / solves,
                (after.total() - before.total()) * 1000 / solves,
                (after.commands() - before.commands()) / (double) solves,
                (after.events() - before.events()) / (double) solves,
                (after.jitSeconds() - before.jitSeconds()) * 1000 / solves,
                (after.clientSeconds() - before.clientSeconds()) * 1000 / solves, steadyMillis(before, after, solves));
    }

    /** Ms of CPU per solve between two readings, less the JVM's JIT compilation and the benchmark's client. */
    static double steadyMillis(Reading before, Reading after, int solves) {
        return totalMillis(before, after, solves) - ((after.jitSeconds() - before.jitSeconds())
                + (after.clientSeconds() - before.clientSeconds())) * 1000 / solves;
    }

    /** Total ms of CPU per solve between two readings. */
    static double totalMillis(Reading before, Reading after, int solves) {
        return (after.total() - before.total()) * 1000 / solves;
    }

    private static double perSolve(Reading before, Reading after, String kind, int solves) {
        return (after.cpu(kind) - before.cpu(kind)) * 1000 / solves;
    }
}
