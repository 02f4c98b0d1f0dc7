package dev.turnpike.bench;

import dev.turnpike.server.browser.pool.BrowserPool;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a block of solves cost, per solve: CPU seconds by kind of process of this JVM's tree ({@link ProcessTree}:
 * this JVM, which holds the lab too, and Chromium's browser, renderer, GPU, network, … processes) and the DevTools
 * commands and events between the pool and its browsers. CPU seconds are what the machine's load does not change
 * much, unlike wall time; a block runs alone, so everything the tree spent in it is the block's.
 */
final class SolveCost {

    /** The kinds a row prints, in this order; the rest (storage, zygote, …) are summed into "other". */
    private static final java.util.List<String> COLUMNS = java.util.List.of("jvm", "browser", "renderer", "gpu",
            "network");

    private final BrowserPool pool;
    private final Map<String, Double> cpuBefore;
    private final long[] trafficBefore;

    private SolveCost(BrowserPool pool) {
        this.pool = pool;
        this.cpuBefore = ProcessTree.cpuSecondsByKind(ProcessHandle.current());
        this.trafficBefore = pool.devToolsTraffic();
    }

    /** Starts counting now. */
    static SolveCost start(BrowserPool pool) {
        return new SolveCost(pool);
    }

    static String header() {
        return "| series | concurrency | solves | CPU s per solve: " + String.join(" / ", COLUMNS)
                + " / other | total | DevTools commands / events per solve |\n|---|---:|---:|---|---:|---|";
    }

    /** The row of the {@code solves} finished since {@link #start}. */
    String row(String series, int concurrency, int solves) {
        Map<String, Double> after = ProcessTree.cpuSecondsByKind(ProcessHandle.current());
        long[] traffic = pool.devToolsTraffic();
        Map<String, Double> spent = new TreeMap<>();
        after.forEach((kind, seconds) -> spent.merge(COLUMNS.contains(kind) ? kind : "other",
                seconds - cpuBefore.getOrDefault(kind, 0.0), Double::sum));
        StringBuilder columns = new StringBuilder();
        double total = 0;
        for (String kind : concat()) {
            double perSolve = spent.getOrDefault(kind, 0.0) / solves;
            total += perSolve;
            columns.append(columns.isEmpty() ? "" : " / ").append(String.format(Locale.ROOT, "%.3f", perSolve));
        }
        return String.format(Locale.ROOT, "| %s | %d | %d | %s | %.3f | %.1f / %.1f |", series, concurrency, solves,
                columns, total, (traffic[0] - trafficBefore[0]) / (double) solves,
                (traffic[1] - trafficBefore[1]) / (double) solves);
    }

    private static java.util.List<String> concat() {
        java.util.List<String> all = new java.util.ArrayList<>(COLUMNS);
        all.add("other");
        return all;
    }
}
