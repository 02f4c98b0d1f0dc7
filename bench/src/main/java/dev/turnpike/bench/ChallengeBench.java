package dev.turnpike.bench;

import dev.turnpike.server.solver.SolvePhases;
import com.fasterxml.jackson.databind.JsonNode;
import dev.turnpike.lab.Lab;
import dev.turnpike.lab.LabOptions;
import dev.turnpike.lab.core.HostKind;
import dev.turnpike.lab.core.LabHost;
import dev.turnpike.lab.proxy.ProxyAccount;
import dev.turnpike.lab.proxy.ProxyFault;
import dev.turnpike.server.browser.BrowserSettings;
import dev.turnpike.server.browser.cdp.CdpConnection;
import dev.turnpike.server.browser.cdp.CdpSession;
import dev.turnpike.server.browser.pool.BrowserPool;
import dev.turnpike.server.browser.pool.ContextLease;
import dev.turnpike.server.browser.proxy.ProxyRelay;
import dev.turnpike.server.net.ProxySpec;
import dev.turnpike.server.solver.SolvePhase;
import dev.turnpike.server.solver.SolvePhases;
import dev.turnpike.server.solver.challenge.ChallengeSolver;
import dev.turnpike.server.solver.challenge.ClearanceCache;
import dev.turnpike.server.solver.challenge.ClearanceFlights;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code bench/run challenge [tasks per level]}: {@code CloudFlare5STask} against the lab's managed challenge,
 * through the lab's HTTP proxy with credentials, at concurrency 1, 4 and 8.
 *
 * <ul>
 *   <li><b>Reference</b> — the challenge's own cost: a bare driver (a context through a relay to the same proxy,
 *       taken from the pool as the solver takes its own; the page's scripts left alone) from navigation start until
 *       the protected page has loaded.</li>
 *   <li><b>Turnpike</b> — {@code createTask} until {@code getTaskResult} answers ready (polled every 10 ms),
 *       through the HTTP API of a server running the real {@link ChallengeSolver} on the same browser pool.</li>
 * </ul>
 * Overhead = Turnpike − reference at the same concurrency, as p50/p95 and as a ratio. The two run paired (each
 * worker does one of each, alternating which goes first), so changes in the machine's load fall on both alike.
 */
final class ChallengeBench {

    private static final String HOST = "bench.lab.test";
    private static final String URL = "https://" + HOST + "/";
    private static final Duration WAIT = Duration.ofSeconds(110);
    private static final boolean BLIND_POLLING = Boolean.getBoolean("poll.blind");
    private static final java.util.concurrent.atomic.AtomicLong TASK_NUMBERS = new java.util.concurrent.atomic.AtomicLong();

    private ChallengeBench() {
    }

    static void run(int tasksPerLevel, int[] levels) throws Exception {
        Path profiles = Files.createTempDirectory("turnpike-bench-challenge-");
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        try (Lab lab = Lab.start(LabOptions.defaults().withSeed(11))) {
            lab.admin().registerProxyAccount(new ProxyAccount("bench", "bench-pass", "203.0.113.50", ProxyFault.NONE));
            lab.admin().registerHost(LabHost.of(HOST, HostKind.PROTECTED));
            List<String> args = new java.util.ArrayList<>(List.of("--host-resolver-rules=" + lab.hostResolverRules(),
                    "--ignore-certificate-errors-spki-list=" + lab.spkiPin()));
            // -Dchromium='--site-per-process ...': more switches for the one pool both sides use.
            args.addAll(java.util.Arrays.stream(System.getProperty("chromium", "").split("\\s+"))
                    .filter(word -> !word.isBlank()).toList());
            BrowserSettings settings = BrowserSettings.defaults().withSize(1, 8, Integer.getInteger("warm", 1)).withProfileRoot(profiles)
                    .withExtraArgs(args).withRecycling(100_000, Duration.ofHours(2), Duration.ZERO, 0)
                    .withNice(Integer.getInteger("nice", BrowserSettings.DEFAULT_NICE));
            PhaseLog phaseLog = new PhaseLog();
            SolvePhases phases = new SolvePhases(System::nanoTime);
            phases.addListener(phaseLog);
            ProxySpec proxy = new ProxySpec(ProxySpec.Scheme.HTTP, "127.0.0.1", lab.proxyHttpPort(), "bench", "bench-pass");
            // browser.warmContexts=1 per browser; -Dwarm=0 measures fresh contexts instead.
            BrowserPool pool = BenchPools.start(lab, settings, scheduler, 11);
            SolveEnds ends = new SolveEnds(new ChallengeSolver(pool, ChallengeSolver.Settings.DEFAULTS, phases,
                    ClearanceCache.off(), ClearanceFlights.off())); // every task solves, as the reference does
            try (pool;
                 BenchServer server = BenchServer.start(Map.of("net.allowHosts", "*.lab.test",
                         "net.allowNetworks", "127.0.0.0/8", "workers", "8"), Clock.systemUTC(),
                         ends)) {
                String key = server.createKey(1_000_000_000L);
                String proxyUrl = "http://bench:bench-pass@127.0.0.1:" + lab.proxyHttpPort();
                // Warm-up: the first contexts of a fresh browser are slow.
                measure(2, 2, () -> reference(pool, proxy, URL));
                measure(2, 2, () -> turnpike(server.api(), key, proxyUrl, ends));

                System.out.printf(Locale.ROOT, "%n%d tasks per level, %d cores, load average %s, Chromium %d, Java %s%n%n",
                        tasksPerLevel, Runtime.getRuntime().availableProcessors(), loadAverage(),
                        pool.identity().major(), Runtime.version());
                System.out.println("| concurrency | reference p50 ms | reference p95 ms | Turnpike p50 ms | Turnpike p95 ms"
                        + " | overhead p50 ms [90%] | overhead p95 ms [90%] | ratio p50 | solver phases p50: context / challenge"
                        + " / solution | outside the solver, mean |");
                System.out.println("|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|");
                for (int concurrency : Boolean.getBoolean("paired.skip") ? new int[0] : levels) {
                    int tasks = Math.max(tasksPerLevel, concurrency);
                    List<Long> ref = Collections.synchronizedList(new ArrayList<>());
                    List<Long> tp = Collections.synchronizedList(new ArrayList<>());
                    // Paired and alternated, so a change in the machine's load falls on both series alike.
                    java.util.concurrent.atomic.AtomicInteger turn = new java.util.concurrent.atomic.AtomicInteger();
                    phaseLog.clear();
                    measure(concurrency, tasks, () -> {
                        boolean referenceFirst = turn.getAndIncrement() % 2 == 0;
                        if (referenceFirst) {
                            ref.add(reference(pool, proxy, URL));
                        }
                        tp.add(turnpike(server.api(), key, proxyUrl, ends));
                        if (!referenceFirst) {
                            ref.add(reference(pool, proxy, URL));
                        }
                        return 0;
                    });
                    long r50 = percentile(ref, 50);
                    long r95 = percentile(ref, 95);
                    long t50 = percentile(tp, 50);
                    long t95 = percentile(tp, 95);
                    double outside = tp.stream().mapToLong(Long::longValue).average().orElse(0)
                            - phaseLog.meanTotalMillis(SolvePhase.SOLUTION);
                    System.out.printf(Locale.ROOT, "| %d | %d | %d | %d | %d | %s | %s | %.2f | %s | %.0f |%n", concurrency,
                            r50, r95, t50, t95, PercentileGap.of(tp, ref, 50, 0.9, concurrency),
                            PercentileGap.of(tp, ref, 95, 0.9, concurrency), (double) t50 / r50,
                            phaseLog.medians(SolvePhase.CONTEXT, SolvePhase.CHALLENGE, SolvePhase.SOLUTION),
                            outside);
                }
                if (!Boolean.getBoolean("cpu.skip")) {
                    cpuPerSolve(lab, pool, server, ends, phaseLog, key, proxy, proxyUrl, tasksPerLevel, levels);
                }
                repeatedWithClearanceCache(pool, tasksPerLevel, proxyUrl);
                System.out.println("\nload average after: " + loadAverage());
            }
        } finally {
            scheduler.shutdownNow();
            try (Stream<Path> paths = Files.walk(profiles)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /**
     * The CPU a solve costs, each side alone at each level ({@code tasksPerLevel} solves of the reference, then as
     * many tasks through the API), with the DevTools commands and events the browser's connection carried. Each side
     * starts and ends with the pool at rest (no context leased or being made), so a side is charged for the contexts
     * its solves used up, and both sides of a level meet the same sequence of proof-of-work seeds
     * ({@link dev.turnpike.lab.LabAdmin#replayPowSeeds}). The JVM's figure holds the lab and the benchmark's client as
     * well.
     */
    private static void cpuPerSolve(Lab lab, BrowserPool pool, BenchServer server, SolveEnds ends, PhaseLog phaseLog, String key, ProxySpec proxy, String proxyUrl,
                                    int tasksPerLevel, int[] levels) throws Exception {
        CdpConnection connection;
        try (ContextLease lease = pool.acquireThrough(proxy)) {
            connection = lease.page().connection();
        }
        System.out.printf(Locale.ROOT, "%nCPU per solve in ms, each side alone (load average %s)%n%n", loadAverage());
        System.out.println("| concurrency | side | solves " + SolveCost.HEADER + " wall p50 ms | wall p95 ms |");
        System.out.println("|---:|---|---:" + SolveCost.RULE + "---:|---:|");
        List<String> phaseMedians = new ArrayList<>();
        for (int concurrency : levels) {
            int tasks = Math.max(tasksPerLevel, concurrency);
            awaitRest(pool);
            // Both sides meet the same widgets' proof-of-work seeds, so the same number of hashes (geometric per
            // seed: without this the reference's CPU per solve moved by up to a third between runs, with it by 2-4 %).
            lab.admin().replayPowSeeds((long) concurrency);
            SolveCost.Reading start = SolveCost.read(connection);
            List<Long> ref = measure(concurrency, tasks, () -> reference(pool, proxy, URL), true);
            awaitRest(pool);
            lab.admin().replayPowSeeds((long) concurrency);
            SolveCost.Reading between = SolveCost.read(connection);
            phaseLog.clear();
            List<Long> tp = measure(concurrency, tasks, () -> turnpike(server.api(), key, proxyUrl, ends), true);
            awaitRest(pool);
            SolveCost.Reading end = SolveCost.read(connection);
            System.out.printf(Locale.ROOT, "| %d | reference | %d %s %d | %d |%n", concurrency, tasks,
                    SolveCost.cells(start, between, tasks), percentile(ref, 50), percentile(ref, 95));
            System.out.printf(Locale.ROOT, "| %d | Turnpike | %d %s %d | %d |%n", concurrency, tasks,
                    SolveCost.cells(between, end, tasks), percentile(tp, 50), percentile(tp, 95));
            phaseMedians.add(String.format(Locale.ROOT, "Turnpike's solver phases at %d, p50: context / challenge /"
                    + " solution %s", concurrency, phaseLog.medians(SolvePhase.CONTEXT, SolvePhase.CHALLENGE,
                    SolvePhase.SOLUTION)));
            System.out.printf(Locale.ROOT, "| %d | ratio of totals: **%.2f**, steady: **%.2f** | | | | | | | | | | | | | | |%n",
                    concurrency, SolveCost.totalMillis(between, end, tasks) / SolveCost.totalMillis(start, between, tasks),
                    SolveCost.steadyMillis(between, end, tasks) / SolveCost.steadyMillis(start, between, tasks));
        }
        System.out.println();
        phaseMedians.forEach(System.out::println);
        lab.admin().replayPowSeeds(null);
    }

    /** Waits (at most 20 s) until no context of the pool is leased or being made: the work of the last side is done. */
    private static void awaitRest(BrowserPool pool) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            var stats = pool.stats();
            if (stats.busy() == 0 && stats.browsers().stream().mapToInt(b -> b.warming()).sum() == 0) {
                break;
            }
            Thread.sleep(50);
        }
        Thread.sleep(500); // disposals and relays closing
    }

    /**
     * The same task again and again at concurrency 1 on a server whose solver keeps clearances (the product's
     * default): after the first, each starts cleared and only loads the page.
     */
    private static void repeatedWithClearanceCache(BrowserPool pool, int tasks, String proxyUrl) throws Exception {
        SolveEnds ends = new SolveEnds(new ChallengeSolver(pool, ChallengeSolver.Settings.DEFAULTS, SolvePhases.none(),
                new ClearanceCache(Clock.systemUTC(), 100, Duration.ofMinutes(30)), ClearanceFlights.on(Clock.systemUTC())));
        try (BenchServer cached = BenchServer.start(Map.of("net.allowHosts", "*.lab.test",
                "net.allowNetworks", "127.0.0.0/8"), Clock.systemUTC(),
                ends)) {
            String key = cached.createKey(1_000_000_000L);
            long first = turnpike(cached.api(), key, proxyUrl, ends);
            List<Long> again = measure(1, tasks, () -> turnpike(cached.api(), key, proxyUrl, ends));
            System.out.printf(Locale.ROOT, "%nThe same task repeated with the clearance cache (concurrency 1): first %d ms,"
                    + " then p50 %d ms, p95 %d ms over %d tasks%n", first, percentile(again, 50), percentile(again, 95),
                    again.size());
        }
    }

    @FunctionalInterface
    private interface Timed {
        long millis() throws Exception;
    }

    /** Runs {@code tasks} timed tasks, {@code concurrency} at a time, and returns their times in ms. */
    private static List<Long> measure(int concurrency, int tasks, Timed task) throws Exception {
        return measure(concurrency, tasks, task, false);
    }

    /** The same; with {@code tolerant}, failed tasks are reported (stderr) and left out instead of failing the run. */
    private static List<Long> measure(int concurrency, int tasks, Timed task, boolean tolerant) throws Exception {
        List<Long> times = Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.atomic.AtomicInteger left = new java.util.concurrent.atomic.AtomicInteger(tasks);
        List<Thread> threads = new ArrayList<>();
        List<Exception> failures = Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < concurrency; i++) {
            threads.add(Thread.ofVirtual().start(() -> {
                while (left.getAndDecrement() > 0) {
                    try {
                        times.add(task.millis());
                    } catch (Exception e) {
                        failures.add(e);
                    }
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        if (!failures.isEmpty() && tolerant) {
            System.err.println(failures.size() + " of " + tasks + " task(s) failed, first: " + failures.getFirst());
        } else if (!failures.isEmpty()) {
            throw new IllegalStateException(failures.size() + " task(s) failed, first: " + failures.getFirst(),
                    failures.getFirst());
        }
        return times;
    }

    /**
     * The bare driver: navigation start → the protected page's load event, in a context taken from the pool the way
     * the solver takes its own (made ahead on a relay, or made now with {@code -Dwarm=0}), so neither side is handed
     * Chromium's spare renderer process that the other is denied.
     */
    static long reference(BrowserPool pool, ProxySpec proxy, String url) throws Exception {
        try (ContextLease lease = pool.acquireThrough(proxy)) {
            CdpSession page = lease.page();
            CompletableFuture<Void> done = new CompletableFuture<>();
            String frame = lease.mainFrameId();
            try (CdpSession.Subscription loads = page.on("Page.loadEventFired", p -> Thread.ofVirtual().start(() -> {
                try {
                    JsonNode title = ContextLease.evaluateIsolated(page, frame, "document.title", Duration.ofSeconds(10));
                    if ("Lab Protected Home".equals(title.asText())) {
                        done.complete(null);
                    }
                } catch (Exception e) {
                    // the document changed under us: the next load tells
                }
            }))) {
                long start = System.nanoTime();
                page.send("Page.navigate", page.params().put("url", url));
                done.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                return (System.nanoTime() - start) / 1_000_000;
            }
        }
    }

    /**
     * createTask → ready: {@code getTaskResult} is asked when this task's solve has ended (then every 5 ms while the
     * worker stores the answer), and every 500 ms besides; with {@code -Dpoll.blind=true} every 10 ms throughout, as
     * before 2026-12-07 ({@link SolveEnds} says what that cost). Each task names the page with a fragment of its own
     * (the solver navigates without it), so its client hears its own solve end.
     */
    private static long turnpike(BenchApi api, String key, String proxyUrl, SolveEnds ends) throws Exception {
        String url = URL + "#task-" + TASK_NUMBERS.incrementAndGet();
        long start = System.nanoTime();
        JsonNode created = api.call("createTask", Map.of("clientKey", key, "task", Map.of("type", "CloudFlare5STask",
                "websiteURL", url, "proxy", proxyUrl)));
        if (created.path("errorId").asInt() != 0) {
            throw new IllegalStateException("createTask failed: " + created);
        }
        long deadline = start + WAIT.toNanos();
        boolean ended = false;
        while (System.nanoTime() < deadline) {
            JsonNode result = api.call("getTaskResult", Map.of("clientKey", key, "taskId", created.path("taskId")));
            if (result.path("errorId").asInt() != 0) {
                throw new IllegalStateException("task failed: " + result);
            }
            if ("ready".equals(result.path("status").asText())) {
                return (System.nanoTime() - start) / 1_000_000;
            }
            if (BLIND_POLLING) {
                Thread.sleep(10);
            } else if (ended) {
                Thread.sleep(5);
            } else {
                ended = ends.awaitEndOf(url, Duration.ofMillis(500));
            }
        }
        throw new IllegalStateException("task not ready within " + WAIT);
    }

    private static long percentile(List<Long> values, int p) {
        List<Long> sorted = values.stream().sorted().toList();
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(index, sorted.size() - 1)));
    }

    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim().split(" ", 4)[0];
        } catch (Exception e) {
            return "?";
        }
    }
}
