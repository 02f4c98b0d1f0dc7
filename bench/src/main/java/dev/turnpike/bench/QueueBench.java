package dev.turnpike.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.turnpike.server.account.Account;
import dev.turnpike.server.account.ClientKeys;
import dev.turnpike.server.store.Database;
import dev.turnpike.server.account.JdbcAccounts;
import dev.turnpike.server.config.Config;
import dev.turnpike.server.config.StoreSettings;
import dev.turnpike.server.task.Tasks;
import dev.turnpike.server.task.pg.PgTasks;
import dev.turnpike.server.role.ApiNode;
import dev.turnpike.server.role.SolverNode;
import dev.turnpike.server.task.Solution;
import dev.turnpike.server.task.Task;
import dev.turnpike.server.task.TaskSpec;
import dev.turnpike.server.task.TaskType;
import dev.turnpike.fixtures.PgTestDatabase;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code bench/run queue}: the PostgreSQL task queue of cluster mode, on a throwaway database of the PostgreSQL in
 * {@code TURNPIKE_TEST_PG_URL} (or 127.0.0.1:5432).
 * <ol>
 *   <li>Latency: {@code createTask} (hold + insert + NOTIFY, on an "API node") → claimed by an idle "solver node"
 *       woken by LISTEN; tasks sent one at a time, so every claimer is idle when its task arrives.</li>
 *   <li>Throughput: tasks per second through hold, claim, an instant bench-only solver, and capture, with a solver
 *       node's 16 workers, while 8 threads submit.</li>
 *   <li>Overhead: {@code createSyncTask} over HTTP with the instant solver, embedded mode beside cluster mode
 *       (an API node and a solver node in this JVM).</li>
 * </ol>
 */
final class QueueBench {

    private static final TaskSpec SPEC = new TaskSpec.Turnstile(TaskType.TURNSTILE_PROXYLESS,
            URI.create("https://site.example/"), "0x4AAAAAAAB", null, null, null, null, null);

    /** Answers at once: the queue's own cost, no solving. Bench-only; never in the product. */
    private QueueBench() {
    }

    static void run(int seconds) throws Exception {
        try (PgTestDatabase pg = PgTestDatabase.create()) {
            Map<String, String> settings = new HashMap<>(pg.settings());
            settings.put("store.poolSize", "24");
            settings.put("queue.capacity", "1000000");
            settings.put("solver.httpPort", "0"); // the solver nodes' metrics listener: any free port
            Config config = Config.of(settings);
            try (Database db = Database.open(StoreSettings.options(config))) {
                latency(db, 300);
                throughput(settings, db, seconds);
            }
            overhead(settings, 300);
        }
    }

    private static PgTasks node(Database db, JdbcAccounts accounts, String name, Set<TaskType> types) {
        return new PgTasks(db.dataSource(), accounts, Clock.systemUTC(), new Tasks.Timing(
                Duration.ofSeconds(120), Duration.ofMinutes(5), Duration.ofSeconds(60)),
                new PgTasks.Options(name, types, 1_000_000, Duration.ofSeconds(20), Duration.ofSeconds(2),
                        Duration.ofSeconds(1))).start();
    }

    private static void latency(Database db, int tasks) throws Exception {
        JdbcAccounts accounts = new JdbcAccounts(db.dataSource(), Clock.systemUTC(), ClientKeys.secure(), 0);
        Account account = accounts.createKey("bench", 1_000_000_000L).account();
        PgTasks api = node(db, accounts, "bench-api", Set.of());
        PgTasks solver = node(db, accounts, "bench-solver", EnumSet.allOf(TaskType.class));
        Map<Long, Long> submittedAt = new ConcurrentHashMap<>();
        long[] latencies = new long[tasks];
        CountDownLatch claimed = new CountDownLatch(tasks);
        AtomicLong index = new AtomicLong();
        try (ExecutorService claimers = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 4; i++) {
                claimers.submit(() -> {
                    while (claimed.getCount() > 0) {
                        Task t = solver.take();
                        long at = System.nanoTime();
                        Long sent = submittedAt.get(t.id().value());
                        while (sent == null) { // the submit returned after the claim: wait for its timestamp
                            Thread.onSpinWait();
                            sent = submittedAt.get(t.id().value());
                        }
                        latencies[(int) index.getAndIncrement()] = at - sent;
                        solver.startSolving(t);
                        solver.complete(t, new Solution.Turnstile("0.bench", "bench"));
                        solver.stopSolving(t);
                        claimed.countDown();
                    }
                    return null;
                });
            }
            Thread.sleep(500);
            for (int i = 0; i < tasks; i++) {
                long sent = System.nanoTime();
                Task t = ((Tasks.Submission.Accepted) api.submit(account, SPEC, 1, null)).task();
                submittedAt.put(t.id().value(), sent);
                Thread.sleep(20); // one at a time: the claimers are idle, woken by the notification
            }
            claimed.await();
            claimers.shutdownNow();
        }
        api.close();
        solver.close();
        Arrays.sort(latencies);
        System.out.printf(Locale.ROOT, "%n## createTask → claimed on another node (%d tasks, one at a time, 4 idle claimers)%n", tasks);
        System.out.printf(Locale.ROOT, "submit→claim p50 %.2f ms, p99 %.2f ms, max %.2f ms%n",
                ms(latencies[tasks / 2]), ms(latencies[(int) (tasks * 0.99)]), ms(latencies[tasks - 1]));
    }

    private static void throughput(Map<String, String> settings, Database db, int seconds) throws Exception {
        JdbcAccounts accounts = new JdbcAccounts(db.dataSource(), Clock.systemUTC(), ClientKeys.secure(), 0);
        Account account = accounts.createKey("bench", 1_000_000_000_000L).account();
        PgTasks api = node(db, accounts, "bench-api-2", Set.of());
        Map<String, String> solverSettings = new HashMap<>(settings);
        solverSettings.put("workers", "16");
        solverSettings.put("node.name", "bench-solver-2");
        try (SolverNode solver = SolverNode.builder(Config.of(solverSettings)).solver(new InstantSolver()).start()) {
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong submitted = new AtomicLong();
            try (ExecutorService submitters = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i = 0; i < 8; i++) {
                    submitters.submit(() -> {
                        while (!stop.get()) {
                            if (api.waiting() < 200) { // keep the queue fed, not flooded
                                api.submit(account, SPEC, 1, null);
                                submitted.incrementAndGet();
                            } else {
                                Thread.sleep(5);
                            }
                        }
                        return null;
                    });
                }
                Thread.sleep(3_000); // warm-up
                long before = ended(db);
                long t0 = System.nanoTime();
                Thread.sleep(seconds * 1000L);
                long after = ended(db);
                double secs = (System.nanoTime() - t0) / 1e9;
                stop.set(true);
                System.out.printf(Locale.ROOT, "%n## Queue throughput (instant solver, 16 workers on one solver node, 8 submitters)%n");
                System.out.printf(Locale.ROOT, "%.0f tasks/s (hold + insert + notify, claim, solve, capture), %d tasks in %.1f s%n",
                        (after - before) / secs, after - before, secs);
            }
            solver.drain(Duration.ofSeconds(5));
        }
        api.close();
    }

    private static long ended(Database db) throws Exception {
        try (var c = db.dataSource().getConnection();
             var st = c.prepareStatement("SELECT count(*) FROM task WHERE state = 'READY'");
             var rs = st.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void overhead(Map<String, String> pgSettings, int calls) throws Exception {
        String body = "{\"type\":\"TurnstileTaskProxyless\",\"websiteURL\":\"https://site.example/\",\"websiteKey\":\"0x4AAAAAAAB\"}";
        double[] embedded;
        try (BenchServer server = BenchServer.start(Map.of(), Clock.systemUTC(), new InstantSolver())) {
            embedded = syncCalls(server.api(), server.createKey(1_000_000), body, calls);
        }
        Map<String, String> settings = new HashMap<>(pgSettings);
        settings.put("http.port", "0");
        settings.put("net.allowHosts", "site.example");
        double[] cluster;
        try (SolverNode solver = SolverNode.builder(Config.of(settings)).solver(new InstantSolver()).start();
             ApiNode api = ApiNode.start(Config.of(settings))) {
            Thread.sleep(1_200); // the API node sees the solver node
            try (Database db = Database.open(StoreSettings.options(Config.of(settings)))) {
                String key = new JdbcAccounts(db.dataSource(), Clock.systemUTC(), ClientKeys.secure(), 0)
                        .createKey("bench", 1_000_000).key();
                cluster = syncCalls(new BenchApi(api.address()), key, body, calls);
            }
            solver.drain(Duration.ofSeconds(5));
        }
        System.out.printf(Locale.ROOT, "%n## createSyncTask round trip over HTTP, instant solver (%d sequential calls)%n", calls);
        System.out.printf(Locale.ROOT, "embedded (H2, in-memory queue): p50 %.2f ms, p99 %.2f ms%n", embedded[0], embedded[1]);
        System.out.printf(Locale.ROOT, "cluster (PostgreSQL, api node + solver node): p50 %.2f ms, p99 %.2f ms%n", cluster[0], cluster[1]);
    }

    private static double[] syncCalls(BenchApi client, String key, String task, int calls) {
        String body = "{\"clientKey\":\"" + key + "\",\"task\":" + task + "}";
        for (int i = 0; i < 20; i++) {
            client.call("createSyncTask", body);
        }
        long[] took = new long[calls];
        for (int i = 0; i < calls; i++) {
            long t0 = System.nanoTime();
            JsonNode answer = client.call("createSyncTask", body);
            took[i] = System.nanoTime() - t0;
            if (!"ready".equals(answer.path("status").asText())) {
                throw new IllegalStateException("createSyncTask did not answer ready: " + answer);
            }
        }
        Arrays.sort(took);
        return new double[]{ms(took[calls / 2]), ms(took[(int) (calls * 0.99)])};
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }
}
