package dev.turnpike.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.turnpike.lab.Lab;
import dev.turnpike.lab.LabOptions;
import dev.turnpike.lab.core.Sitekey;
import dev.turnpike.lab.core.SitekeyMode;
import dev.turnpike.server.browser.BrowserSettings;
import dev.turnpike.server.browser.chromium.ChromiumFlags;
import dev.turnpike.server.browser.cdp.CdpSession;
import dev.turnpike.server.browser.pool.BrowserPool;
import dev.turnpike.server.browser.pool.ContextLease;
import dev.turnpike.server.solver.SolvePhase;
import dev.turnpike.server.solver.SolvePhases;
import dev.turnpike.server.solver.turnstile.TurnstileSolver;
import dev.turnpike.server.task.Solution;
import dev.turnpike.server.task.TaskSpec;
import dev.turnpike.server.task.TaskType;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;

/**
 * Turnstile solve times against the lab, at several concurrency levels, beside a reference: the same widget
 * solved by a bare driver in an already-open context (navigation start → token in the page), so the
 * difference is what Turnpike adds. Also PSS per busy slot, and a soak whose process count and memory must
 * level off.
 *
 * <p>Usage: {@code TurnstileBench [pairsPerLevel] [soakTasks]}. Turnpike's figure is BROWSER.md's: the solver behind
 * a Turnpike server, {@code createSyncTask} over HTTP from the call to the ready answer; the solver's own phases
 * (SolvePhase) say where its part of the time goes.
 */
public final class TurnstileBench {

    static final String HOST = "bench.lab.test";

    public static void main(String[] args) throws Exception {
        int perLevel = args.length > 0 ? Integer.parseInt(args[0]) : 24;
        int soak = args.length > 1 ? Integer.parseInt(args[1]) : 0;
        int[] levels = Main.levels(args, "1,4,8,16");
        Path profiles = Files.createTempDirectory("turnpike-bench-");
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        try (Lab lab = Lab.start(LabOptions.defaults().withSeed(1))) {
            // -Dpow=BITS: the widget's proof of work (the lab's default, 16 bits, keeps two cores saturated at 8 solves)
            Sitekey key = referenceWidget(lab, "bench", Integer.getInteger("pow", Sitekey.DEFAULT_POW_BITS));
            List<String> flags = labFlags(lab);
            Sitekey soakKey = lab.admin().registerSitekey(new Sitekey("0x4AAAAAAAsoakKey", "0x4AAAAAAAsoakSecret",
                    List.of("lab.test"), SitekeyMode.MANAGED, 12, 0, null));
            // A soak alone recycles every 100 tasks, so it shows recycling too.
            int maxTasks = perLevel == 0 ? 100 : BrowserSettings.DEFAULT_MAX_TASKS_PER_BROWSER;
            // -Dwarm.contexts=N: warm contexts per browser (the product's default otherwise)
            BrowserSettings settings = BrowserSettings.defaults().withSize(2, 8, Integer.getInteger("warm.contexts",
                            BrowserSettings.DEFAULT_WARM_CONTEXTS)).withProfileRoot(profiles)
                    .withExtraArgs(flags).withRecycling(maxTasks,
                            BrowserSettings.DEFAULT_MAX_BROWSER_AGE, BrowserSettings.DEFAULT_AGE_JITTER, 0)
                    .withNice(Integer.getInteger("nice", BrowserSettings.DEFAULT_NICE));
            try (BrowserPool pool = BenchPools.start(lab, settings, scheduler, 1)) {
                PhaseLog phases = new PhaseLog();
                SolvePhases reported = new SolvePhases(System::nanoTime);
                reported.addListener(phases);
                TurnstileSolver solver = new TurnstileSolver(pool, Clock.systemUTC(), new Random(2),
                        reported);
                System.out.printf(Locale.ROOT, "Chromium %s, 2 browsers x 8 contexts, %d warm each, PoW %d bits, %d cores, "
                                + "Turnpike's series %s, load average %s%n",
                        pool.installation().version(), settings.warmContexts(), key.powBits(),
                        Runtime.getRuntime().availableProcessors(), M1 ? "M1 on the reference's page" : "fast",
                        ChallengeBench.loadAverage());
                runTask(solver, key, "warmup");
                if (perLevel > 0) {
                    levels(pool, solver, phases, key, perLevel, levels);
                }
                if (soak > 0) {
                    System.out.println();
                    System.out.println("| tasks done | Chromium processes | PSS of all browsers | browsers retired | open files of this JVM |");
                    System.out.println("|---|---|---|---|---|");
                    int step = Math.max(1, soak / 10);
                    for (int done = 0; done < soak; done += step) {
                        run(step, 8, () -> runTask(solver, soakKey, "soak"));
                        int processes = pool.processGroups().stream()
                                .mapToInt(g -> dev.turnpike.server.browser.chromium.ProcessGroup.members(g).size()).sum();
                        // Open files include every relay's listener and connections: a relay that outlived its
                        // context would show here.
                        long files;
                        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
                            files = fds.count();
                        }
                        System.out.printf(Locale.ROOT, "| %d | %d | %d MiB | %d | %d |%n", done + step, processes,
                                pool.pssBytes() >> 20, pool.stats().retired(), files);
                    }
                }
            }
        } finally {
            scheduler.shutdownNow();
            BenchPools.reportLeftoverProfiles(profiles);
        }
    }

    /**
     * Registers the benchmark's widget ({@code 0x4AAAAAAA<name>Key}, managed) and the lab page a bare driver solves it
     * on, {@code https://HOST/reference}.
     */
    static Sitekey referenceWidget(Lab lab, String name, int powBits) {
        Sitekey key = lab.admin().registerSitekey(new Sitekey("0x4AAAAAAA" + name + "Key", "0x4AAAAAAA" + name + "Secret",
                List.of("lab.test"), SitekeyMode.MANAGED, powBits, 0, null));
        lab.admin().registerPage(HOST, "/reference", """
                <!doctype html><html><head><script src="https://challenges.cloudflare.com/turnstile/v0/api.js" async defer></script></head>
                <body><div class="cf-turnstile" data-sitekey="%s" data-action="bench" data-cdata="ref"></div></body></html>
                """.formatted(key.sitekey()));
        return key;
    }

    /** The lab's Chromium flags, with the lab reached on loopback. */
    static List<String> labFlags(Lab lab) {
        List<String> flags = new ArrayList<>(lab.chromiumArgs());
        flags.add(ChromiumFlags.LAB_ON_LOOPBACK);
        return flags;
    }

    /**
     * The levels: at each concurrency, that many workers each run pairs — one reference solve and one Turnpike task
     * through the HTTP API — alternating which goes first, so a change of load falls on both series alike.
     */
    static void levels(BrowserPool pool, TurnstileSolver solver, PhaseLog phases, Sitekey key, int perLevel,
                       int[] levels) throws Exception {
        try (BenchServer server = apiServer(solver)) {
            String clientKey = server.createKey(1_000_000);
            BenchApi api = server.api();
            apiTask(api, clientKey, key, "warmup");
            reference(pool);
            System.out.println("| concurrency | pairs | reference p50 | reference p95 | Turnpike p50 | Turnpike p95 "
                    + "| overhead p50 [90%] | overhead p95 [90%] | ratio p50 | solver phases p50: context / prepare / navigate / widget "
                    + "| outside the solver, mean | PSS per busy slot |");
            System.out.println("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|");
            List<String> costs = new ArrayList<>();
            for (int concurrency : levels) {
                List<Long> reference = new java.util.concurrent.CopyOnWriteArrayList<>();
                List<Long> turnpike = new java.util.concurrent.CopyOnWriteArrayList<>();
                long[] peakPss = {0};
                phases.clear();
                java.util.concurrent.atomic.AtomicInteger pairs = new java.util.concurrent.atomic.AtomicInteger();
                run(perLevel, concurrency, () -> {
                    boolean referenceFirst = pairs.getAndIncrement() % 2 == 0;
                    if (referenceFirst) {
                        reference.add(reference(pool));
                    }
                    try {
                        turnpike.add(apiTask(api, clientKey, key, "c" + concurrency));
                    } catch (IllegalStateException e) { // a loaded machine's deadline: said, not fatal
                        System.out.println("  (a Turnpike task failed at " + concurrency + ": " + e.getMessage() + ")");
                    }
                    if (!referenceFirst) {
                        reference.add(reference(pool));
                    }
                    if (concurrency >= 8) {
                        peakPss[0] = Math.max(peakPss[0], pool.pssBytes());
                    }
                    return 0L;
                });
                long r50 = pct(reference, 50), r95 = pct(reference, 95), t50 = pct(turnpike, 50), t95 = pct(turnpike, 95);
                String pss = peakPss[0] == 0 ? "–" : (peakPss[0] / concurrency >> 20) + " MiB (total " + (peakPss[0] >> 20) + " MiB)";
                double outside = turnpike.stream().mapToLong(Long::longValue).average().orElse(0) - phases.meanTotalMillis(SolvePhase.WIDGET);
                System.out.printf(Locale.ROOT, "| %d | %d | %d ms | %d ms | %d ms | %d ms | %s | %s | %.2f | %s | %.0f ms | %s |%n",
                        concurrency, perLevel, r50, r95, t50, t95, PercentileGap.of(turnpike, reference, 50, 0.9, concurrency),
                        PercentileGap.of(turnpike, reference, 95, 0.9, concurrency), (double) t50 / r50,
                        phases.medians(SolvePhase.CONTEXT, SolvePhase.PREPARE, SolvePhase.NAVIGATE, SolvePhase.WIDGET),
                        outside, pss);
                System.out.println("  (solver phases p95 at " + concurrency + ": " + phases.percentiles(95, SolvePhase.CONTEXT,
                        SolvePhase.PREPARE, SolvePhase.NAVIGATE, SolvePhase.WIDGET) + ")");
                int solves = Integer.getInteger("cpu.solves", Math.max(16, 2 * concurrency));
                if (solves > 0) {
                    costs.add(cost(pool, "reference", concurrency, solves, () -> reference(pool)));
                    costs.add(cost(pool, "Turnpike " + (M1 ? "M1" : "fast"), concurrency, solves,
                            () -> apiTask(api, clientKey, key, "cpu")));
                }
            }
            if (!costs.isEmpty()) {
                System.out.println();
                System.out.println("CPU per solve, each series alone in a block of its own (this JVM holds the lab and "
                        + "the bench's driver too):");
                System.out.println("| series | concurrency | solves " + SolveCost.HEADER);
                System.out.println("|---|---:|---:" + SolveCost.RULE);
                costs.forEach(System.out::println);
            }
            System.out.println("\nload average after: " + ChallengeBench.loadAverage());
        }
    }

    /** A block of {@code solves} of one series alone at {@code concurrency}: its row of {@link SolveCost}. */
    static String cost(BrowserPool pool, String series, int concurrency, int solves, Timed job) throws Exception {
        java.util.concurrent.atomic.AtomicInteger failed = new java.util.concurrent.atomic.AtomicInteger();
        Timed counted = () -> {
            try {
                return job.run();
            } catch (Exception e) { // a loaded machine's deadline: counted, and its CPU stays in the block's
                failed.incrementAndGet();
                return -1L;
            }
        };
        run(concurrency, concurrency, counted); // the level's pace reached before counting
        failed.set(0);
        SolveCost.Reading before = SolveCost.read(pool);
        run(solves, concurrency, counted);
        int solved = solves - failed.get();
        String row = "| " + series + " | " + concurrency + " | " + solved + " "
                + SolveCost.cells(before, SolveCost.read(pool), Math.max(1, solved))
                + (failed.get() > 0 ? " (" + failed.get() + " failed, their CPU included)" : "");
        System.out.println("  (CPU per solve: " + row + ")"); // at once too: a run stopped later keeps it
        return row;
    }

    interface Timed {
        long run() throws Exception;
    }

    /** Runs {@code total} timed jobs, {@code concurrency} at a time; returns their times in ms. */
    static List<Long> run(int total, int concurrency, Timed job) throws Exception {
        Semaphore slots = new Semaphore(concurrency);
        List<CompletableFuture<Long>> all = new ArrayList<>();
        for (int i = 0; i < total; i++) {
            slots.acquire();
            CompletableFuture<Long> f = new CompletableFuture<>();
            Thread.ofVirtual().start(() -> {
                try {
                    f.complete(job.run());
                } catch (Throwable e) {
                    f.completeExceptionally(e);
                } finally {
                    slots.release();
                }
            });
            all.add(f);
        }
        List<Long> times = new ArrayList<>();
        for (CompletableFuture<Long> f : all) {
            times.add(f.join());
        }
        return times;
    }

    static long runTask(TurnstileSolver solver, Sitekey key, String cData) throws Exception {
        long start = System.nanoTime();
        Solution.Turnstile s = (Solution.Turnstile) solver.solve(new TaskSpec.Turnstile(TaskType.TURNSTILE_PROXYLESS,
                URI.create("https://" + HOST + "/login"), key.sitekey(), "bench", cData, null, null, null),
                Instant.now().plusSeconds(120));
        if (s.token().isEmpty()) {
            throw new IllegalStateException("empty token");
        }
        return (System.nanoTime() - start) / 1_000_000;
    }

    /**
     * A Turnpike server (embedded store, HTTP API on loopback) whose only solver is this one; enough workers that
     * the API never queues below the browsers' 16 slots.
     */
    static BenchServer apiServer(TurnstileSolver solver) throws Exception {
        return BenchServer.start(Map.of("net.allowHosts", "*.lab.test", "workers", "16"), Clock.systemUTC(), solver);
    }

    /**
     * {@code -Dm1=true}: Turnpike's series is {@code TurnstileTaskProxylessM1} on the reference's own page (the real
     * page loaded, its own widget solved), so both series load the same page and solve the same widget.
     */
    static final boolean M1 = Boolean.getBoolean("m1");

    /** {@code createSyncTask} over HTTP: the request sent → the ready answer read, in ms. */
    static long apiTask(BenchApi api, String clientKey, Sitekey key, String cData) {
        long start = System.nanoTime();
        JsonNode answer = api.call("createSyncTask", Map.of("clientKey", clientKey, "task", M1
                ? Map.of("type", "TurnstileTaskProxylessM1", "websiteURL", "https://" + HOST + "/reference",
                        "websiteKey", key.sitekey())
                : Map.of("type", "TurnstileTaskProxyless", "websiteURL", "https://" + HOST + "/login",
                        "websiteKey", key.sitekey(), "action", "bench", "cData", cData)));
        if (!"ready".equals(answer.path("status").asText()) || answer.path("solution").path("token").asText().isEmpty()) {
            throw new IllegalStateException("the API task did not end ready: " + answer);
        }
        return (System.nanoTime() - start) / 1_000_000;
    }

    /**
     * A bare driver: navigation start to the token in the page's response field. It asks once per document, in an
     * isolated world, for a promise that resolves when the field is filled (the page checks every 5 ms), so the driver
     * adds almost nothing to the page's own work.
     *
     * <p>It holds a pool slot, as a task does (the same number of pages share the machine), and drives a plain warm
     * context of its own in that browser ({@link PlainContexts}): no relay, no address policy, no paused children,
     * as a bare driver has none. With {@code -Dreference.relayed=true} it drives the pool's context instead (through
     * its relay, bound direct, with the pool's auto-attach): the difference between the two runs is what the pool's
     * context costs a page.
     */
    static long reference(BrowserPool pool) throws Exception {
        try (ContextLease lease = pool.acquireDirect()) {
            if (Boolean.getBoolean("reference.relayed")) {
                return referenceIn(lease.page(), lease.mainFrameId());
            }
            PlainContexts.Plain plain = PLAIN.take(lease.page().connection());
            try {
                return referenceIn(plain.page(), plain.frame());
            } finally {
                PLAIN.replace(plain);
            }
        }
    }

    private static final PlainContexts PLAIN = new PlainContexts();

    static long referenceIn(CdpSession page, String frame) throws Exception {
        long start = System.nanoTime();
        page.call("Page.navigate", page.params().put("url", "https://" + HOST + "/reference"));
        while (true) {
            String token;
            try {
                token = ContextLease.evaluateIsolated(page, frame, TOKEN_FILLED, Duration.ofSeconds(60)).asText();
            } catch (RuntimeException e) {
                token = ""; // asked in the document being replaced: ask the new one
            }
            if (!token.isEmpty() && !token.equals("about:blank")) {
                return (System.nanoTime() - start) / 1_000_000;
            }
            Thread.sleep(5);
        }
    }

    /** Resolves with the token once the response field has one; with "about:blank" if asked in the old document. */
    private static final String TOKEN_FILLED = """
            location.href === 'about:blank' ? 'about:blank' : new Promise((resolve) => {
              const look = () => {
                const field = document.querySelector('input[name=cf-turnstile-response]');
                if (field && field.value) { resolve(field.value); } else { setTimeout(look, 5); }
              };
              look();
            })""";

    static long pct(List<Long> values, int p) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }
}
