package dev.turnpike.server.role;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.turnpike.lab.Lab;
import dev.turnpike.lab.LabOptions;
import dev.turnpike.server.account.AccountInfo;
import dev.turnpike.server.account.ClientKeys;
import dev.turnpike.server.account.CreatedKey;
import dev.turnpike.server.store.Database;
import dev.turnpike.server.account.JdbcAccounts;
import dev.turnpike.server.account.LedgerEntry;
import dev.turnpike.server.browser.Eventually;
import dev.turnpike.server.config.Config;
import dev.turnpike.server.config.StoreSettings;
import dev.turnpike.server.testing.ApiClient;
import dev.turnpike.fixtures.PgTestDatabase;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A cluster of separate processes over a real PostgreSQL: two {@code turnpike api} processes (the product's
 * command line) and two solver node processes. 100 tasks created through both API nodes; one solver node is
 * killed with SIGKILL mid-run; every task still ends, each solved and charged exactly once, the ledger agrees to
 * the point, the other solver drains on SIGTERM, and no process any node started is left.
 */
class ClusterProcessesTest {

    private static final int TASKS = 100;
    private static final long PRICE = 15;
    private static final Pattern LISTENING = Pattern.compile("listening on (http://[^\\s;]+)");

    /** Kept after the run: each node's output, for a look when the test fails. */
    private final Path logs = Path.of("target", "cluster-processes", Long.toString(System.currentTimeMillis()));

    private final List<Process> started = new ArrayList<>();
    private final List<ProcessHandle> descendants = new ArrayList<>();

    @AfterEach
    void killWhatIsLeft() {
        started.forEach(p -> p.descendants().forEach(ProcessHandle::destroyForcibly));
        started.forEach(Process::destroyForcibly);
    }

    @Test
    void aSolverKilledMidRunLosesNoTaskAndNoPoint() throws Exception {
        Files.createDirectories(logs);
        try (PgTestDatabase pg = PgTestDatabase.create();
             Database db = Database.open(StoreSettings.options(Config.of(pg.settings())))) {
            JdbcAccounts accounts = new JdbcAccounts(db.dataSource(), Clock.systemUTC(), ClientKeys.secure(), 0);
            CreatedKey key = accounts.createKey("cluster", TASKS * PRICE + 7);

            Process solver1 = startSolver(pg, "solver-1");
            Process solver2 = startSolver(pg, "solver-2");
            awaitOutput(solver1, "running", Duration.ofSeconds(60));
            awaitOutput(solver2, "running", Duration.ofSeconds(60));
            List<ApiClient> apis = List.of(new ApiClient(startApi(pg, "api-1")), new ApiClient(startApi(pg, "api-2")));
            Thread.sleep(1_100); // the API nodes see the solver nodes in the node list (read at most once a second)

            List<String> ids = createTasks(apis, key.key());
            assertThat(ids).hasSize(TASKS).doesNotHaveDuplicates();

            awaitOutputCount(solver1, "solved ", 5, Duration.ofSeconds(60));
            descendants.addAll(solver1.descendants().toList());
            solver1.destroyForcibly(); // SIGKILL: no drain, no clean-up, its claims simply stop being renewed
            solver1.waitFor(30, TimeUnit.SECONDS);

            Map<String, JsonNode> results = awaitAll(apis, key.key(), ids, Duration.ofSeconds(240));
            Map<String, Long> byStatus = results.values().stream().collect(Collectors.groupingBy(
                    r -> r.path("errorId").asInt() == 0 ? r.path("status").asText() : r.path("errorCode").asText(),
                    Collectors.counting()));
            assertThat(byStatus).containsExactly(Map.entry("ready", (long) TASKS));
            results.forEach((id, r) -> assertThat(r.path("solution").path("token").asText())
                    .isEqualTo("0.cluster-t" + ids.indexOf(id)));

            // The surviving node solved no task twice; every task was solved somewhere.
            Map<String, Long> solvedBy2 = solvedActions(solver2);
            assertThat(solvedBy2.values()).allMatch(n -> n == 1);
            Map<String, Long> solvedBy1 = solvedActions(solver1);
            for (int i = 0; i < TASKS; i++) {
                assertThat(solvedBy1.containsKey("t" + i) || solvedBy2.containsKey("t" + i)).as("t" + i).isTrue();
            }

            // Charged exactly once each, and the ledger agrees with the account to the point.
            AccountInfo info = accounts.list().stream().filter(a -> a.id() == key.account().id()).findFirst().orElseThrow();
            assertThat(info.balance()).isEqualTo(7);
            assertThat(info.held()).isZero();
            List<LedgerEntry> ledger = accounts.ledger(info.id());
            assertThat(ledger.stream().mapToLong(LedgerEntry::balanceDelta).sum()).isEqualTo(info.balance());
            assertThat(ledger.stream().mapToLong(LedgerEntry::heldDelta).sum()).isZero();
            Map<Long, List<LedgerEntry.Kind>> perTask = ledger.stream().filter(e -> e.taskId() != null)
                    .collect(Collectors.groupingBy(LedgerEntry::taskId,
                            Collectors.mapping(LedgerEntry::kind, Collectors.toList())));
            assertThat(perTask).hasSize(TASKS);
            assertThat(perTask.values()).allSatisfy(kinds -> assertThat(kinds)
                    .containsExactly(LedgerEntry.Kind.HOLD, LedgerEntry.Kind.CAPTURE));

            // The other solver drains on SIGTERM and exits; nothing any node started is left running.
            solver2.destroy();
            assertThat(solver2.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(output(solver2)).contains("stopped");
            for (Process p : started) {
                descendants.addAll(p.descendants().toList());
                p.destroy();
                p.waitFor(30, TimeUnit.SECONDS);
            }
            assertThat(descendants).noneMatch(ProcessHandle::isAlive);
        }
    }

    /**
     * Issue 19, item 4: {@code turnpike api --lab URL} reads the lab as the solver nodes do: the lab's names are
     * allowed targets, and on 127.0.0.1 only the lab's own ports (not its admin API, nor this API node's own port,
     * nor the database's).
     */
    @Test
    void anApiNodeGivenTheLabAllowsItsHostsAndOnlyItsPortsOnLoopback() throws Exception {
        Files.createDirectories(logs);
        try (PgTestDatabase pg = PgTestDatabase.create(); Database db = Database.open(StoreSettings.options(Config.of(pg.settings())));
             Lab lab = Lab.start(LabOptions.defaults())) {
            JdbcAccounts accounts = new JdbcAccounts(db.dataSource(), Clock.systemUTC(), ClientKeys.secure(), 0);
            CreatedKey key = accounts.createKey("lab-api", 1000);
            Process solver = startSolver(pg, "lab-api-solver");
            awaitOutput(solver, "running", Duration.ofSeconds(60));
            URI api = startApi(pg, "lab-api", List.of("--lab", "http://127.0.0.1:" + lab.adminPort()));
            ApiClient client = new ApiClient(api);
            String demo = "https://demo.lab.test/";
            Eventually.await("the API node sees the solver node", Duration.ofSeconds(30),
                    () -> !"ERROR_TASK_NOT_SUPPORTED".equals(createTask(client, key.key(), demo).path("errorCode").asText()));

            for (String allowed : List.of(demo, "https://127.0.0.1:" + lab.httpsPort() + "/")) {
                JsonNode r = createTask(client, key.key(), allowed);
                assertThat(r.path("errorId").asInt()).as("%s: %s", allowed, r).isZero();
            }
            for (int port : List.of(lab.adminPort(), api.getPort(), 5432)) {
                JsonNode r = createTask(client, key.key(), "http://127.0.0.1:" + port + "/");
                assertThat(r.path("errorCode").asText()).as("port %d: %s", port, r).isEqualTo("ERROR_BAD_REQUEST");
                assertThat(r.path("errorDescription").asText()).isEqualTo(
                        "websiteURL is not allowed: its address 127.0.0.1 is loopback");
            }
        }
    }

    private static JsonNode createTask(ApiClient client, String key, String url) {
        return client.call("createTask", Map.of("clientKey", key, "task", Map.of("type", "TurnstileTaskProxyless",
                "websiteURL", url, "websiteKey", "0x4AAAAAAAlabDemoSitekey")));
    }

    /**
     * The same with the product's own solver nodes ({@code turnpike solver}: real Chromium, the Turnstile solver)
     * against the lab in its own process: tasks end ready or failed with a reason, each charged once and only
     * when ready, and no Chromium of the killed node outlives it.
     */
    @Test
    void realSolverNodesSolveLabWidgetsAndAKilledOneLeavesNoChromium() throws Exception {
        Files.createDirectories(logs);
        try (PgTestDatabase pg = PgTestDatabase.create();
             Database db = Database.open(StoreSettings.options(Config.of(pg.settings())))) {
            JdbcAccounts accounts = new JdbcAccounts(db.dataSource(), Clock.systemUTC(), ClientKeys.secure(), 0);
            CreatedKey key = accounts.createKey("cluster", TASKS * PRICE + 7);
            Process lab = start("lab", List.of("dev.turnpike.server.Main", "lab"), Map.of());
            Matcher admin = Pattern.compile("admin API on (http://[0-9.:]+)").matcher(
                    awaitOutput(lab, "admin API on", Duration.ofSeconds(60)));
            assertThat(admin.find()).isTrue();
            Process solver1 = startBrowserSolver(pg, "browser-solver-1", admin.group(1));
            Process solver2 = startBrowserSolver(pg, "browser-solver-2", admin.group(1));
            awaitOutput(solver1, "is running", Duration.ofSeconds(120));
            awaitOutput(solver2, "is running", Duration.ofSeconds(120));
            List<ApiClient> apis = List.of(new ApiClient(startApi(pg, "lab-api-1", "*.lab.test")),
                    new ApiClient(startApi(pg, "lab-api-2", "*.lab.test")));
            Thread.sleep(1_100);

            List<String> ids = createTasks(apis, key.key(), "https://demo.lab.test/", "0x4AAAAAAAlabDemoSitekey");
            awaitReady(apis, key.key(), ids, 5, Duration.ofSeconds(120));
            List<ProcessHandle> killedTree = solver1.descendants().toList();
            assertThat(killedTree).isNotEmpty(); // its Chromium
            solver1.destroyForcibly();
            solver1.waitFor(30, TimeUnit.SECONDS);

            Map<String, JsonNode> results = awaitAll(apis, key.key(), ids, Duration.ofSeconds(300));
            long ready = results.values().stream().filter(r -> "ready".equals(r.path("status").asText())).count();
            results.values().stream().filter(r -> r.path("errorId").asInt() != 0)
                    .forEach(r -> assertThat(r.path("errorCode").asText()).isNotEmpty());
            assertThat(ready).isGreaterThan(0);

            AccountInfo info = accounts.list().stream().filter(a -> a.id() == key.account().id()).findFirst().orElseThrow();
            assertThat(info.balance()).isEqualTo(TASKS * PRICE + 7 - ready * PRICE);
            assertThat(info.held()).isZero();
            List<LedgerEntry> ledger = accounts.ledger(info.id());
            assertThat(ledger.stream().mapToLong(LedgerEntry::balanceDelta).sum()).isEqualTo(info.balance());
            assertThat(ledger.stream().mapToLong(LedgerEntry::heldDelta).sum()).isZero();
            assertThat(ledger.stream().filter(e -> e.kind() == LedgerEntry.Kind.CAPTURE).count()).isEqualTo(ready);
            assertThat(ledger.stream().filter(e -> e.taskId() != null).map(LedgerEntry::taskId).distinct().count())
                    .isEqualTo(TASKS);

            Thread.sleep(3_000);
            assertThat(killedTree).noneMatch(ProcessHandle::isAlive);
            List<ProcessHandle> rest = new ArrayList<>();
            for (Process p : started) {
                rest.addAll(p.descendants().toList());
                p.destroy();
                p.waitFor(60, TimeUnit.SECONDS);
            }
            Thread.sleep(3_000);
            assertThat(rest).noneMatch(ProcessHandle::isAlive);
        }
    }

    private static void awaitReady(List<ApiClient> apis, String key, List<String> ids, int count, Duration max)
            throws InterruptedException {
        Instant until = Instant.now().plus(max);
        while (Instant.now().isBefore(until)) {
            long ready = ids.stream().filter(id -> "ready".equals(apis.getFirst().call("getTaskResult",
                    Map.of("clientKey", key, "taskId", id)).path("status").asText())).count();
            if (ready >= count) {
                return;
            }
            Thread.sleep(500);
        }
        throw new AssertionError(count + " tasks not ready within " + max);
    }

    private Process startBrowserSolver(PgTestDatabase pg, String name, String labAdmin) throws IOException {
        return start(name, List.of("dev.turnpike.server.Main", "solver", "--store", pg.url(),
                "--store-user", pg.user(), "--store-password", pg.password(), "--node-name", name, "--lab", labAdmin,
                "--browser-count", "1", "--browser-contexts-per-browser", "2", "--workers", "2", "--solver-http-port", "0",
                "--cluster-lease", "3s", "--data-dir", logs.resolve(name + "-data").toString()), Map.of());
    }

    private List<String> createTasks(List<ApiClient> apis, String key) throws Exception {
        return createTasks(apis, key, "https://site.example", "0x4AAAAAAAB");
    }

    private List<String> createTasks(List<ApiClient> apis, String key, String url, String sitekey) throws Exception {
        List<Future<JsonNode>> answers = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            for (int i = 0; i < TASKS; i++) {
                ApiClient api = apis.get(i % apis.size());
                Map<String, Object> body = Map.of("clientKey", key, "task", Map.of("type", "TurnstileTaskProxyless",
                        "websiteURL", url, "websiteKey", sitekey, "action", "t" + i));
                answers.add(pool.submit(() -> api.call("createTask", body)));
            }
        }
        List<String> ids = new ArrayList<>();
        for (Future<JsonNode> f : answers) {
            JsonNode r = f.get();
            assertThat(r.path("errorId").asInt()).as(r.toString()).isZero();
            ids.add(r.path("taskId").asText());
        }
        return ids;
    }

    private static Map<String, JsonNode> awaitAll(List<ApiClient> apis, String key, List<String> ids, Duration max)
            throws InterruptedException {
        Map<String, JsonNode> done = new HashMap<>();
        Instant until = Instant.now().plus(max);
        int round = 0;
        while (done.size() < ids.size()) {
            if (Instant.now().isAfter(until)) {
                throw new AssertionError((ids.size() - done.size()) + " task(s) still processing after " + max);
            }
            for (String id : ids) {
                if (!done.containsKey(id)) {
                    JsonNode r = apis.get(round++ % apis.size()).call("getTaskResult",
                            Map.of("clientKey", key, "taskId", id));
                    if (!"processing".equals(r.path("status").asText())) {
                        done.put(id, r);
                    }
                }
            }
            Thread.sleep(200);
        }
        return done;
    }

    private Map<String, Long> solvedActions(Process p) throws IOException {
        return output(p).lines().filter(l -> l.startsWith("solved "))
                .collect(Collectors.groupingBy(l -> l.substring(7), Collectors.counting()));
    }

    // --- processes ---------------------------------------------------------------------------------------------

    private URI startApi(PgTestDatabase pg, String name) throws Exception {
        return startApi(pg, name, "site.example");
    }

    private URI startApi(PgTestDatabase pg, String name, String allowHosts) throws Exception {
        return startApi(pg, name, List.of("--net-allow-hosts", allowHosts));
    }

    private URI startApi(PgTestDatabase pg, String name, List<String> options) throws Exception {
        List<String> command = new ArrayList<>(List.of("dev.turnpike.server.Main", "api", "--store", pg.url(),
                "--store-user", pg.user(), "--store-password", pg.password(), "--http-port", "0",
                "--node-name", name, "--cluster-lease", "3s", "--data-dir", logs.resolve(name + "-data").toString()));
        command.addAll(options);
        Process p = start(name, command, Map.of());
        String line = awaitOutput(p, "listening on", Duration.ofSeconds(120)); // a busy machine: JVM, store, lab
        Matcher m = LISTENING.matcher(line);
        assertThat(m.find()).as(line).isTrue();
        return URI.create(m.group(1));
    }

    private Process startSolver(PgTestDatabase pg, String name) throws IOException {
        Map<String, String> env = new HashMap<>();
        env.put("TURNPIKE_STORE_URL", pg.url());
        env.put("TURNPIKE_STORE_USER", pg.user());
        env.put("TURNPIKE_STORE_PASSWORD", pg.password());
        env.put("TURNPIKE_NODE_NAME", name);
        env.put("TURNPIKE_WORKERS", "3");
        env.put("TURNPIKE_SOLVER_HTTP_PORT", "0"); // two solver nodes on one host
        env.put("TURNPIKE_CLUSTER_LEASE", "3s");
        env.put("TURNPIKE_CLUSTER_POLL", "2s");
        env.put("TURNPIKE_DATA_DIR", logs.resolve(name + "-data").toString());
        return start(name, List.of(ClusterSolverMain.class.getName(), "300"), env);
    }

    private Process start(String name, List<String> mainAndArgs, Map<String, String> env) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(java, "-Xmx192m", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-cp", classpath));
        command.addAll(mainAndArgs);
        ProcessBuilder pb = new ProcessBuilder(command)
                .redirectOutput(logs.resolve(name + ".out").toFile())
                .redirectError(logs.resolve(name + ".err").toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("TURNPIKE_"));
        pb.environment().putAll(env);
        Process p = pb.start();
        started.add(p);
        names.put(p, name);
        return p;
    }

    private final Map<Process, String> names = new HashMap<>();

    private String output(Process p) throws IOException {
        return Files.readString(logs.resolve(names.get(p) + ".out"));
    }

    private String awaitOutput(Process p, String text, Duration max) throws Exception {
        return awaitLines(p, text, 1, max).getFirst();
    }

    private void awaitOutputCount(Process p, String text, int count, Duration max) throws Exception {
        awaitLines(p, text, count, max);
    }

    private List<String> awaitLines(Process p, String text, int count, Duration max) throws Exception {
        Instant until = Instant.now().plus(max);
        while (Instant.now().isBefore(until)) {
            List<String> lines = output(p).lines().filter(l -> l.contains(text)).toList();
            if (lines.size() >= count) {
                return lines;
            }
            if (!p.isAlive()) {
                throw new AssertionError(names.get(p) + " exited (" + p.exitValue() + "): "
                        + Files.readString(logs.resolve(names.get(p) + ".err")));
            }
            Thread.sleep(100);
        }
        throw new AssertionError(names.get(p) + " did not print '" + text + "' " + count + " time(s) within " + max
                + "; stderr: " + Files.readString(logs.resolve(names.get(p) + ".err")));
    }
}
