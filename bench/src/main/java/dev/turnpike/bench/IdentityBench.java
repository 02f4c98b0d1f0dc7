package dev.turnpike.bench;

import dev.turnpike.lab.Lab;
import dev.turnpike.lab.LabOptions;
import dev.turnpike.lab.core.Sitekey;
import dev.turnpike.lab.core.SitekeyMode;
import dev.turnpike.lab.proxy.ProxyAccount;
import dev.turnpike.lab.proxy.ProxyFault;
import dev.turnpike.server.browser.BrowserSettings;
import dev.turnpike.server.browser.chromium.ChromiumFlags;
import dev.turnpike.server.browser.pool.BrowserPool;
import dev.turnpike.server.browser.proxy.DirectRoute;
import dev.turnpike.server.browser.proxy.ProxyRelays;
import dev.turnpike.server.net.AddressPolicy;
import dev.turnpike.server.net.HostResolver;
import dev.turnpike.server.role.LabLink;
import dev.turnpike.server.net.ProxySpec;
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
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * {@code bench/run identity [tasks per level] [levels]}: what following the proxy's country costs a task (issue 24
 * item 3). Fast-mode Turnstile tasks (the shortest solve, so the cost shows most) through the lab's HTTP proxy, in two
 * series run paired at each concurrency:
 * <ul>
 *   <li><b>new proxy</b> — every task through a proxy account no task used before: its exit is traced
 *       ({@code /cdn-cgi/trace} through it) before the page loads;</li>
 *   <li><b>known proxy</b> — every task through an account traced already: its exit comes from memory.</li>
 * </ul>
 * Reported: the solver's {@code identity} phase (trace and presentation) and the whole solve, medians of each series;
 * the added time per task is the new proxy's identity phase (the known proxy's should be ~0).
 */
final class IdentityBench {

    private static final String SITE = "https://shop.lab.test/form";
    private static final List<String> COUNTRIES = List.of("DE", "JP", "BR", "US");

    private IdentityBench() {
    }

    static void run(int tasksPerLevel, int[] levels) throws Exception {
        Path profiles = Files.createTempDirectory("turnpike-bench-identity-");
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        AtomicInteger accounts = new AtomicInteger();
        try (Lab lab = Lab.start(LabOptions.defaults().withSeed(24))) {
            Sitekey key = lab.admin().registerSitekey(new Sitekey("0x4AAAAAAAbenchIdentity", "0x4AAAAAAAbenchIdentitySecret",
                    List.of("lab.test"), SitekeyMode.MANAGED, 8, 0, null));
            List<String> args = new ArrayList<>(lab.chromiumArgs());
            args.add(ChromiumFlags.LAB_ON_LOOPBACK);
            int slots = java.util.Arrays.stream(levels).max().orElse(8);
            BrowserSettings settings = BrowserSettings.defaults().withSize(1, slots, Math.min(2, slots))
                    .withProfileRoot(profiles).withExtraArgs(args).withRecycling(100_000, Duration.ofHours(2),
                            Duration.ZERO, 0);
            PhaseLog fresh = new PhaseLog();
            PhaseLog known = new PhaseLog();
            // As --lab does: the lab's names and its ports on loopback (its forward proxy among them) are allowed.
            AddressPolicy policy = LabLink.of(lab).policy(HostResolver.system());
            try (BrowserPool pool = BrowserPool.start(settings, new ProxyRelays(ProxyRelays.Settings.DEFAULTS,
                    DirectRoute.forBrowsers(policy, settings.extraArgs())), scheduler, Clock.systemUTC(),
                    new Random(24))) {
                SolvePhases freshPhases = new SolvePhases(System::nanoTime);
                freshPhases.addListener(fresh);
                SolvePhases knownPhases = new SolvePhases(System::nanoTime);
                knownPhases.addListener(known);
                TurnstileSolver overNewProxies = new TurnstileSolver(pool, Clock.systemUTC(), new Random(24), freshPhases);
                TurnstileSolver overKnownProxies = new TurnstileSolver(pool, Clock.systemUTC(), new Random(25), knownPhases);
                List<ProxySpec> traced = new ArrayList<>();
                for (int i = 0; i < slots; i++) {
                    traced.add(newAccount(lab, accounts));
                }
                // Warm-up: the first contexts of a fresh browser are slow; it also traces the known proxies.
                for (ProxySpec proxy : traced) {
                    solve(overKnownProxies, key, proxy);
                }
                System.out.printf(Locale.ROOT, "%n%d tasks per series and level, %d cores, load average %s, Chromium %d%n%n",
                        tasksPerLevel, Runtime.getRuntime().availableProcessors(), ChallengeBench.loadAverage(),
                        pool.identity().major());
                System.out.println("| concurrency | identity phase p50, new proxy ms | identity phase p50, known proxy ms"
                        + " | identity phase p95, new / known ms | solve p50, new proxy ms | solve p50, known proxy ms |");
                System.out.println("|---:|---:|---:|---|---:|---:|");
                for (int concurrency : levels) {
                    fresh.clear();
                    known.clear();
                    List<Long> newTimes = Collections.synchronizedList(new ArrayList<>());
                    List<Long> knownTimes = Collections.synchronizedList(new ArrayList<>());
                    AtomicInteger turn = new AtomicInteger();
                    int tasks = Math.max(tasksPerLevel, concurrency);
                    List<Thread> threads = new ArrayList<>();
                    AtomicInteger left = new AtomicInteger(tasks);
                    List<Exception> failures = Collections.synchronizedList(new ArrayList<>());
                    for (int w = 0; w < concurrency; w++) {
                        threads.add(Thread.ofVirtual().start(() -> {
                            while (left.getAndDecrement() > 0) {
                                int n = turn.getAndIncrement();
                                try {
                                    ProxySpec unused = newAccount(lab, accounts);
                                    ProxySpec knownProxy = traced.get(n % traced.size());
                                    // Paired and alternated, so a change in the machine's load falls on both alike.
                                    if (n % 2 == 0) {
                                        newTimes.add(solve(overNewProxies, key, unused));
                                        knownTimes.add(solve(overKnownProxies, key, knownProxy));
                                    } else {
                                        knownTimes.add(solve(overKnownProxies, key, knownProxy));
                                        newTimes.add(solve(overNewProxies, key, unused));
                                    }
                                } catch (Exception e) {
                                    failures.add(e);
                                }
                            }
                        }));
                    }
                    for (Thread thread : threads) {
                        thread.join();
                    }
                    if (!failures.isEmpty()) {
                        throw new IllegalStateException(failures.size() + " task(s) failed", failures.getFirst());
                    }
                    System.out.printf(Locale.ROOT, "| %d | %s | %s | %s / %s | %d | %d |%n", concurrency,
                            fresh.medians(SolvePhase.IDENTITY), known.medians(SolvePhase.IDENTITY),
                            fresh.percentiles(95, SolvePhase.IDENTITY), known.percentiles(95, SolvePhase.IDENTITY),
                            median(newTimes), median(knownTimes));
                }
                System.out.println("\nload average after: " + ChallengeBench.loadAverage());
            }
        } finally {
            scheduler.shutdownNow();
            try (Stream<Path> paths = Files.walk(profiles)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** A proxy account no task used yet, exiting in one of a few countries in turn. */
    private static ProxySpec newAccount(Lab lab, AtomicInteger accounts) {
        int n = accounts.getAndIncrement();
        String user = "identity-" + n;
        lab.admin().registerProxyAccount(new ProxyAccount(user, user + "-pass", "198.51.100." + (n % 250 + 1),
                ProxyFault.NONE, COUNTRIES.get(n % COUNTRIES.size())));
        return new ProxySpec(ProxySpec.Scheme.HTTP, "127.0.0.1", lab.proxyHttpPort(), user, user + "-pass");
    }

    private static long solve(TurnstileSolver solver, Sitekey key, ProxySpec proxy) throws Exception {
        long start = System.nanoTime();
        Solution.Turnstile solution = (Solution.Turnstile) solver.solve(new TaskSpec.Turnstile(TaskType.TURNSTILE_PROXYLESS,
                URI.create(SITE), key.sitekey(), "bench", null, null, null, proxy), Instant.now().plusSeconds(90));
        if (solution.identity() == null || !"proxy".equals(solution.identity().source())) {
            throw new IllegalStateException("the task did not present its proxy's country: " + solution.identity());
        }
        return (System.nanoTime() - start) / 1_000_000;
    }

    private static long median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.isEmpty() ? 0 : sorted.get((sorted.size() - 1) / 2);
    }
}
