package dev.turnpike.server.role;

import static dev.turnpike.server.testing.ClusterFixture.awaitResult;
import static dev.turnpike.server.testing.ClusterFixture.turnstile;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.turnpike.server.account.AccountInfo;
import dev.turnpike.server.account.ClientKeys;
import dev.turnpike.server.store.Database;
import dev.turnpike.server.account.JdbcAccounts;
import dev.turnpike.server.account.LedgerEntry;
import dev.turnpike.server.config.Config;
import dev.turnpike.server.config.StoreSettings;
import dev.turnpike.server.task.Solution;
import dev.turnpike.server.task.TaskId;
import dev.turnpike.server.task.TaskState;
import dev.turnpike.server.testing.ApiClient;
import dev.turnpike.server.testing.FakeSolver;
import dev.turnpike.fixtures.PgTestDatabase;
import dev.turnpike.server.testing.TestServer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** API and solver nodes in one JVM over a real PostgreSQL, spoken to over HTTP as clients do. */
class ClusterNodesTest {

    private static PgTestDatabase pg;
    private static Database admin;
    private static JdbcAccounts accounts;
    private final List<AutoCloseable> running = new ArrayList<>();

    @BeforeAll
    static void createDatabase() {
        pg = PgTestDatabase.create();
        admin = Database.open(StoreSettings.options(Config.of(pg.settings())));
        accounts = new JdbcAccounts(admin.dataSource(), Clock.systemUTC(), ClientKeys.secure(), 0);
    }

    @AfterAll
    static void dropDatabase() {
        if (admin != null) {
            admin.close();
        }
        if (pg != null) {
            pg.close();
        }
    }

    @BeforeEach
    void emptyQueue() throws Exception {
        try (java.sql.Connection c = pg.connect(); java.sql.Statement st = c.createStatement()) {
            st.execute("DELETE FROM task"); // a task an earlier test left queued would be claimed first
        }
    }

    @AfterEach
    void stopNodes() throws Exception {
        for (AutoCloseable node : running.reversed()) {
            node.close();
        }
        running.clear();
    }

    private static Config config(Map<String, String> extra) {
        Map<String, String> settings = new HashMap<>(pg.settings());
        settings.put("http.host", "127.0.0.1");
        settings.put("http.port", "0");
        settings.put("solver.httpPort", "0");
        settings.put("admin.token", dev.turnpike.server.testing.ClusterFixture.ADMIN_TOKEN); // nothing in ~/.turnpike
        settings.put("cluster.poll", "500ms");
        settings.putAll(extra);
        return Config.of(settings);
    }

    private ApiNode api() throws Exception {
        return api(Map.of());
    }

    private ApiNode api(Map<String, String> settings) throws Exception {
        ApiNode node = ApiNode.start(config(settings), Clock.systemUTC(), TestServer.fakeResolver());
        running.add(node);
        return node;
    }

    private SolverNode solver(FakeSolver fake, int workers) throws Exception {
        SolverNode node = SolverNode.builder(config(Map.of("workers", Integer.toString(workers))))
                .resolver(TestServer.fakeResolver()).solver(fake).start();
        running.add(node);
        return node;
    }

    private static AccountInfo info(String key) {
        return accounts.list().stream().filter(a -> key.startsWith(a.keyPrefix())).findFirst().orElseThrow();
    }

    @Test
    void aTaskCreatedOnOneApiNodeIsSolvedOnASolverNodeAndReadOnAnother() throws Exception {
        ApiClient first = new ApiClient(api().address());
        ApiClient second = new ApiClient(api().address());
        solver(FakeSolver.forAllTypes(), 2);
        String key = accounts.createKey("cluster", 100).key();

        JsonNode created = first.call("createTask", turnstile(key));
        assertThat(created.path("errorId").asInt()).as(created.toString()).isZero();
        JsonNode result = awaitResult(second, key, created.path("taskId").asText());
        assertThat(result.path("status").asText()).isEqualTo("ready");
        assertThat(result.path("solution").path("token").asText()).isEqualTo(FakeSolver.TOKEN);
        assertThat(result.path("cost").asText()).isEqualTo("15");

        JsonNode sync = second.call("createSyncTask", turnstile(key));
        assertThat(sync.path("status").asText()).as(sync.toString()).isEqualTo("ready");
        assertThat(second.call("getBalance", Map.of("clientKey", key)).path("balance").asLong()).isEqualTo(70);
        AccountInfo info = info(key);
        List<LedgerEntry> ledger = accounts.ledger(info.id());
        assertThat(ledger.stream().mapToLong(LedgerEntry::balanceDelta).sum()).isEqualTo(info.balance()).isEqualTo(70);
        assertThat(ledger.stream().mapToLong(LedgerEntry::heldDelta).sum()).isZero();
    }

    @Test
    void anApiNodeAcceptsOnlyTypesALiveSolverNodeSolves() throws Exception {
        ApiClient client = new ApiClient(api().address());
        String key = accounts.createKey("cluster", 100).key();
        assertThat(client.call("createTask", turnstile(key)).path("errorCode").asText())
                .isEqualTo("ERROR_TASK_NOT_SUPPORTED");
        solver(new FakeSolver(java.util.EnumSet.of(dev.turnpike.server.task.TaskType.TURNSTILE_PROXYLESS)), 1);
        Thread.sleep(1_100); // the API node reads the node list at most once a second
        assertThat(client.call("createTask", turnstile(key)).path("errorId").asInt()).isZero();
    }

    @Test
    void anApiNodeServesFlareSolverrsRequestsThroughTheQueueAndRefusesSessions() throws Exception {
        ApiClient client = new ApiClient(api(Map.of("flaresolverr.enabled", "true", "flaresolverr.keyInPath", "true",
                "price.challenge", "20", "price.fetch", "5")).address());
        Solution.Page page = new Solution.Page("https://site.example/", 200, Map.of("content-type", "text/html"),
                "<html><body>cleared</body></html>", List.of(Map.of("name", "cf_clearance", "value", "c")),
                FakeSolver.USER_AGENT, true, null);
        FakeSolver fake = FakeSolver.forAllTypes().byDefault(new FakeSolver.Outcome.Succeed(page));
        solver(fake, 1);
        String key = accounts.createKey("flaresolverr", 100).key();

        JsonNode answer = client.send("POST", key + "/v1", "{\"cmd\":\"request.get\",\"url\":\"https://site.example/\","
                + "\"proxy\":{\"url\":\"http://203.0.113.5:3128\"}}", null).json();
        assertThat(answer.path("status").asText()).as(answer.toString()).isEqualTo("ok");
        assertThat(answer.path("message").asText()).isEqualTo("Challenge solved!");
        assertThat(answer.path("solution").path("response").asText()).contains("cleared");
        assertThat(fake.seen().get(0).type()).isEqualTo(dev.turnpike.server.task.TaskType.PAGE_REQUEST);
        assertThat(client.call("getBalance", Map.of("clientKey", key)).path("balance").asLong()).isEqualTo(80);

        JsonNode session = client.send("POST", key + "/v1", "{\"cmd\":\"sessions.create\"}", null).json();
        assertThat(session.path("status").asText()).isEqualTo("error");
        assertThat(session.path("message").asText()).startsWith("Error: Sessions are not available on this server");
        JsonNode inSession = client.send("POST", key + "/v1", "{\"cmd\":\"request.get\",\"url\":"
                + "\"https://site.example/\",\"session\":\"s1\"}", null).json();
        assertThat(inSession.path("message").asText()).startsWith("Error: Sessions are not available on this server");
        assertThat(fake.calls()).isEqualTo(1);
    }

    @Test
    void aDrainingSolverNodeFinishesWhatItHoldsAndClaimsNothingNew() throws Exception {
        ApiNode api = api();
        ApiClient client = new ApiClient(api.address());
        FakeSolver blocking = FakeSolver.forAllTypes().byDefault(FakeSolver.block());
        SolverNode draining = solver(blocking, 1);
        String key = accounts.createKey("cluster", 100).key();
        String held = client.call("createTask", turnstile(key)).path("taskId").asText();
        blocking.awaitStarted(1);
        String waiting = client.call("createTask", turnstile(key)).path("taskId").asText();

        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<Boolean> drained = pool.submit(() -> draining.drain(Duration.ofSeconds(5)));
            Thread.sleep(500);
            assertThat(drained.isDone()).isFalse();
            blocking.release(1);
            assertThat(drained.get(60, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(awaitResult(client, key, held).path("status").asText()).isEqualTo("ready");
        assertThat(api.tasks().find(TaskId.parse(waiting).orElseThrow()).state()).isInstanceOf(TaskState.Queued.class);
        assertThat(blocking.calls()).isEqualTo(1);

        solver(FakeSolver.forAllTypes(), 1); // another node takes over the queue
        assertThat(awaitResult(client, key, waiting).path("status").asText()).isEqualTo("ready");
    }
}
