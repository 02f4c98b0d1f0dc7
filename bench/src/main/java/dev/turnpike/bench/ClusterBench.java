package dev.turnpike.bench;

import dev.turnpike.lab.Lab;
import dev.turnpike.lab.LabOptions;
import dev.turnpike.lab.core.Sitekey;
import dev.turnpike.server.account.ClientKeys;
import dev.turnpike.server.store.Database;
import dev.turnpike.server.account.JdbcAccounts;
import dev.turnpike.server.browser.BrowserSettings;
import dev.turnpike.server.browser.pool.BrowserPool;
import dev.turnpike.server.config.Config;
import dev.turnpike.server.config.StoreSettings;
import dev.turnpike.server.role.ApiNode;
import dev.turnpike.server.role.SolverNode;
import dev.turnpike.server.solver.SolvePhases;
import dev.turnpike.server.solver.turnstile.TurnstileSolver;
import dev.turnpike.fixtures.PgTestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code bench/run cluster [rounds per level] [levels]}: the end-to-end cost of cluster mode for the same lab widgets.
 * One browser pool and one {@link TurnstileSolver} serve both an embedded server (H2, in-memory queue) and a
 * cluster (an API node and a solver node on PostgreSQL, in this JVM, talking only through the store). Each round
 * runs three solves of the same widget — the bare-driver reference, {@code createSyncTask} on the embedded server,
 * {@code createSyncTask} on the API node — in a rotating order, so a change of load falls on all three alike.
 */
final class ClusterBench {

    private ClusterBench() {
    }

    static void run(int rounds, int[] levels) throws Exception {
        Path profiles = Files.createTempDirectory("turnpike-bench-cluster-");
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        try (Lab lab = Lab.start(LabOptions.defaults().withSeed(3));
             PgTestDatabase pg = PgTestDatabase.create()) {
            Sitekey key = TurnstileBench.referenceWidget(lab, "cluster", Sitekey.DEFAULT_POW_BITS);
            List<String> flags = TurnstileBench.labFlags(lab);
            BrowserSettings browsers = BrowserSettings.defaults().withSize(2, 8, 2).withProfileRoot(profiles)
                    .withExtraArgs(flags);
            Map<String, String> settings = new HashMap<>(pg.settings());
            settings.put("http.port", "0");
            settings.put("solver.httpPort", "0");
            settings.put("workers", "16");
            settings.put("net.allowHosts", "*.lab.test");
            try (BrowserPool pool = BenchPools.start(lab, browsers, scheduler, 3)) {
                TurnstileSolver solver = new TurnstileSolver(pool, Clock.systemUTC(), new Random(4),
                        SolvePhases.none());
                try (BenchServer embedded = TurnstileBench.apiServer(solver);
                     SolverNode solverNode = SolverNode.builder(Config.of(settings)).solver(solver).start();
                     ApiNode apiNode = ApiNode.start(Config.of(settings))) {
                    Thread.sleep(1_500); // the API node sees the solver node
                    String embeddedKey = embedded.createKey(1_000_000);
                    String clusterKey;
                    try (Database db = Database.open(StoreSettings.options(Config.of(settings)))) {
                        clusterKey = new JdbcAccounts(db.dataSource(), Clock.systemUTC(), ClientKeys.secure(), 0)
                                .createKey("bench", 1_000_000).key();
                    }
                    BenchApi embeddedApi = embedded.api();
                    BenchApi clusterApi = new BenchApi(apiNode.address());
                    TurnstileBench.apiTask(embeddedApi, embeddedKey, key, "warmup");
                    TurnstileBench.apiTask(clusterApi, clusterKey, key, "warmup");
                    System.out.printf(Locale.ROOT, "%n%d rounds per level, Chromium %s, 2 browsers x 8 contexts, %d cores,"
                            + " PostgreSQL at %s%n%n", rounds, pool.installation().version(),
                            Runtime.getRuntime().availableProcessors(), "127.0.0.1");
                    System.out.println("| concurrency | reference p50 | reference p95 | embedded p50 | embedded p95 "
                            + "| cluster p50 | cluster p95 | cluster − embedded p50 | cluster − embedded p95 | cluster / embedded p50 |");
                    System.out.println("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
                    for (int concurrency : levels) {
                        List<Long> reference = new CopyOnWriteArrayList<>();
                        List<Long> local = new CopyOnWriteArrayList<>();
                        List<Long> cluster = new CopyOnWriteArrayList<>();
                        AtomicInteger turn = new AtomicInteger();
                        TurnstileBench.run(rounds, concurrency, () -> {
                            int first = turn.getAndIncrement() % 3;
                            for (int i = 0; i < 3; i++) {
                                switch ((first + i) % 3) {
                                    case 0 -> reference.add(TurnstileBench.reference(pool));
                                    case 1 -> local.add(TurnstileBench.apiTask(embeddedApi, embeddedKey, key, "e" + concurrency));
                                    default -> cluster.add(TurnstileBench.apiTask(clusterApi, clusterKey, key, "k" + concurrency));
                                }
                            }
                            return 0L;
                        });
                        long e50 = TurnstileBench.pct(local, 50), e95 = TurnstileBench.pct(local, 95);
                        long c50 = TurnstileBench.pct(cluster, 50), c95 = TurnstileBench.pct(cluster, 95);
                        System.out.printf(Locale.ROOT, "| %d | %d ms | %d ms | %d ms | %d ms | %d ms | %d ms | %d ms | %d ms | %.2f |%n",
                                concurrency, TurnstileBench.pct(reference, 50), TurnstileBench.pct(reference, 95), e50, e95,
                                c50, c95, c50 - e50, c95 - e95, (double) c50 / e50);
                    }
                    solverNode.drain(Duration.ofSeconds(10));
                }
            }
        } finally {
            scheduler.shutdownNow();
            BenchPools.reportLeftoverProfiles(profiles);
        }
    }
}
