package dev.turnpike.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.turnpike.lab.Lab;
import dev.turnpike.lab.LabOptions;
import dev.turnpike.lab.core.HostKind;
import dev.turnpike.lab.core.LabHost;
import dev.turnpike.lab.proxy.ProxyAccount;
import dev.turnpike.lab.proxy.ProxyFault;
import dev.turnpike.server.browser.BrowserSettings;
import dev.turnpike.server.browser.pool.BrowserPool;
import dev.turnpike.server.net.ProxySpec;
import dev.turnpike.server.solver.SolvePhases;
import dev.turnpike.server.solver.challenge.ChallengeSolver;
import dev.turnpike.server.solver.challenge.ClearanceCache;
import dev.turnpike.server.solver.challenge.ClearanceFlights;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code bench/run burst [rounds] [sizes]}: a burst of identical {@code CloudFlare5STask}s (same site, same proxy
 * account, sent at once, default 8 and 32) on a site not cleared yet, on two servers sharing one browser pool: one
 * whose identical tasks each solve (shared solves off: the code before issue #27, the clearance cache on as the
 * product has it) and one where they wait for one solve (on, the default). Both run in the same rounds, alternating
 * which goes first, each burst on a fresh lab host. For each: wall time from the first createTask to the last ready,
 * the CPU of this process and every browser process in that time (the lab runs in this JVM: its share is in
 * both), and the challenge pages the lab served. Beside them, the lab's intrinsic time: one bare driver through
 * the same proxy, navigation start to the protected page, alone.
 */
final class BurstBench {

    private BurstBench() {
    }

    /** One burst: its wall time and CPU, the challenge pages the lab served, and the tasks that failed (by code). */
    private record Burst(double wallSeconds, double cpuSeconds, int challenges, List<String> failures) {
    }

    static void run(int rounds, int[] sizes) throws Exception {
        Path profiles = Files.createTempDirectory("turnpike-bench-burst-");
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        try (Lab lab = Lab.start(LabOptions.defaults().withSeed(27))) {
            lab.admin().registerProxyAccount(new ProxyAccount("burst", "burst-pass", "203.0.113.27", ProxyFault.NONE));
            List<String> args = List.of("--host-resolver-rules=" + lab.hostResolverRules(),
                    "--ignore-certificate-errors-spki-list=" + lab.spkiPin());
            BrowserSettings settings = BrowserSettings.defaults().withSize(1, 8, 1).withProfileRoot(profiles)
                    .withExtraArgs(args).withRecycling(100_000, Duration.ofHours(2), Duration.ZERO, 0);
            String proxyUrl = "http://burst:burst-pass@127.0.0.1:" + lab.proxyHttpPort();
            ProxySpec proxy = new ProxySpec(ProxySpec.Scheme.HTTP, "127.0.0.1", lab.proxyHttpPort(), "burst", "burst-pass");
            Clock clock = Clock.systemUTC();
            try (BrowserPool pool = BenchPools.start(lab, settings, scheduler, 27);
                 BenchServer before = server(pool, clock, ClearanceFlights.off());
                 BenchServer after = server(pool, clock, ClearanceFlights.on(clock))) {
                String beforeKey = before.createKey(1_000_000_000L);
                String afterKey = after.createKey(1_000_000_000L);
                Hosts hosts = new Hosts(lab);
                // Warm-up: the first contexts of a fresh browser are slow.
                burst(lab, before.api(), beforeKey, proxyUrl, hosts.next(), 2);
                burst(lab, after.api(), afterKey, proxyUrl, hosts.next(), 2);
                String referenceHost = hosts.next();
                long reference = ChallengeBench.reference(pool, proxy, "https://" + referenceHost + "/");

                System.out.printf(Locale.ROOT, "%n%d rounds, %d cores, load average %s, Chromium %d, Java %s;"
                                + " one browser x 8 contexts, 8 workers%n", rounds, Runtime.getRuntime().availableProcessors(),
                        ChallengeBench.loadAverage(), pool.identity().major(), Runtime.version());
                System.out.printf(Locale.ROOT, "lab's intrinsic time, one bare driver alone: %.2f s%n%n", reference / 1000.0);
                System.out.println("| tasks at once | shared solves | wall s (each round) | wall s median | CPU s median"
                        + " | challenges served (each round) | tasks failed |");
                System.out.println("|---:|---|---|---:|---:|---|---|");
                for (int size : sizes) {
                    List<Burst> off = new ArrayList<>();
                    List<Burst> on = new ArrayList<>();
                    for (int round = 0; round < rounds; round++) {
                        boolean offFirst = round % 2 == 0;
                        if (offFirst) {
                            off.add(burst(lab, before.api(), beforeKey, proxyUrl, hosts.next(), size));
                        }
                        on.add(burst(lab, after.api(), afterKey, proxyUrl, hosts.next(), size));
                        if (!offFirst) {
                            off.add(burst(lab, before.api(), beforeKey, proxyUrl, hosts.next(), size));
                        }
                    }
                    print(size, "off (before)", off);
                    print(size, "on (after)", on);
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

    /** A server whose tasks' deadlines and waits read one clock that follows the wall clock, as in the product. */
    private static BenchServer server(BrowserPool pool, Clock clock, ClearanceFlights flights) throws Exception {
        return BenchServer.start(Map.of("net.allowHosts", "*.lab.test", "net.allowNetworks", "127.0.0.0/8",
                "workers", "8"), clock, new ChallengeSolver(pool, ChallengeSolver.Settings.DEFAULTS, SolvePhases.none(),
                new ClearanceCache(Clock.systemUTC(), 10_000, Duration.ofMinutes(30)), flights));
    }

    /** A fresh protected lab host for each burst, so no clearance is kept for it yet. */
    private static final class Hosts {
        private final Lab lab;
        private int next;

        Hosts(Lab lab) {
            this.lab = lab;
        }

        String next() {
            String host = "burst-" + next++ + ".lab.test";
            lab.admin().registerHost(LabHost.of(host, HostKind.PROTECTED));
            return host;
        }
    }

    /** {@code size} identical tasks sent at once; returns when every one is ready. */
    private static Burst burst(Lab lab, BenchApi api, String key, String proxyUrl, String host, int size)
            throws Exception {
        Map<String, Object> task = Map.of("clientKey", key, "task", Map.of("type", "CloudFlare5STask",
                "websiteURL", "https://" + host + "/", "proxy", proxyUrl));
        double cpuBefore = cpuSeconds();
        long start = System.nanoTime();
        List<String> failures = new ArrayList<>();
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<JsonNode>> sent = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                sent.add(clients.submit(() -> endOf(api, api.call("createTask", task), key)));
            }
            for (Future<JsonNode> one : sent) {
                JsonNode end = one.get(150, TimeUnit.SECONDS);
                if (end.path("errorId").asInt() != 0) {
                    failures.add(end.path("errorCode").asText());
                    System.err.println("a task failed: " + end);
                }
            }
        }
        double wall = (System.nanoTime() - start) / 1e9;
        double cpu = cpuSeconds() - cpuBefore;
        int challenges = (int) lab.admin().events().stream().filter(e -> e.type().equals("challengePage.served"))
                .filter(e -> host.equals(e.field("host"))).count();
        return new Burst(wall, cpu, challenges, failures);
    }

    /** getTaskResult every 50 ms until the task ends: its last answer (ready, or the failure). */
    private static JsonNode endOf(BenchApi api, JsonNode created, String key) throws InterruptedException {
        if (created.path("errorId").asInt() != 0) {
            return created;
        }
        while (true) {
            JsonNode result = api.call("getTaskResult", Map.of("clientKey", key, "taskId", created.path("taskId")));
            if (result.path("errorId").asInt() != 0 || "ready".equals(result.path("status").asText())) {
                return result;
            }
            Thread.sleep(50);
        }
    }

    /**
     * CPU seconds of this process and of every live descendant (Chromium's processes), each with its reaped
     * children's: a renderer that ended between two readings is counted in its parent's.
     */
    private static double cpuSeconds() {
        double seconds = ProcessTree.cpuSeconds(ProcessHandle.current().pid(), false);
        for (ProcessHandle child : ProcessHandle.current().descendants().toList()) {
            seconds += ProcessTree.cpuSeconds(child.pid(), false) + ProcessTree.cpuSeconds(child.pid(), true);
        }
        return seconds;
    }

    private static void print(int size, String mode, List<Burst> bursts) {
        List<String> failed = bursts.stream().flatMap(b -> b.failures().stream()).toList();
        System.out.printf(Locale.ROOT, "| %d | %s | %s | %.1f | %.1f | %s | %s |%n", size, mode,
                String.join(", ", bursts.stream().map(b -> String.format(Locale.ROOT, "%.1f", b.wallSeconds())).toList()),
                Median.of(bursts.stream().map(Burst::wallSeconds).toList()),
                Median.of(bursts.stream().map(Burst::cpuSeconds).toList()),
                String.join(", ", bursts.stream().map(b -> Integer.toString(b.challenges())).toList()),
                failed.isEmpty() ? "none" : failed.size() + " " + failed);
    }

}
