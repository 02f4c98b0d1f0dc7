package dev.turnpike.server.testing;

import dev.turnpike.fixtures.PgTestDatabase;
import com.fasterxml.jackson.databind.JsonNode;
import dev.turnpike.server.account.AccountInfo;
import dev.turnpike.server.account.ClientKeys;
import dev.turnpike.server.store.Database;
import dev.turnpike.server.account.JdbcAccounts;
import dev.turnpike.server.config.Config;
import dev.turnpike.server.config.StoreSettings;
import dev.turnpike.server.metrics.PoolView;
import dev.turnpike.server.role.ApiNode;
import dev.turnpike.server.role.SolverNode;
import dev.turnpike.server.role.Standalone;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Nodes of a cluster in this JVM over a throwaway database of the real PostgreSQL, for one test class: every node
 * on loopback with ephemeral ports and a known admin token, stopped again by {@link #stopNodes}.
 */
public final class ClusterFixture implements AutoCloseable {

    public static final String ADMIN_TOKEN = "cluster-fixture-admin-token";

    private final PgTestDatabase pg;
    private final Database admin;
    private final JdbcAccounts accounts;
    private final Path dataDir;
    private final List<AutoCloseable> running = new ArrayList<>();

    private ClusterFixture() {
        this.pg = PgTestDatabase.create();
        this.admin = Database.open(StoreSettings.options(Config.of(pg.settings())));
        this.accounts = new JdbcAccounts(admin.dataSource(), Clock.systemUTC(), ClientKeys.secure(), 0);
        try {
            this.dataDir = Files.createTempDirectory("turnpike-cluster-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static ClusterFixture create() {
        return new ClusterFixture();
    }

    /** The store's accounts, seen from outside every node. */
    public JdbcAccounts accounts() {
        return accounts;
    }

    /** A node's settings: this database, loopback, ephemeral ports, the fixture's admin token, then {@code extra}. */
    public Config config(Map<String, String> extra) {
        Map<String, String> settings = new HashMap<>(pg.settings());
        settings.put("http.host", "127.0.0.1");
        settings.put("http.port", "0");
        settings.put("solver.httpPort", "0");
        settings.put("cluster.poll", "500ms");
        settings.put("admin.token", ADMIN_TOKEN);
        settings.put("data.dir", dataDir.toString());
        settings.putAll(extra);
        return Config.of(settings);
    }

    public ApiNode api() throws Exception {
        return started(ApiNode.start(config(Map.of()), Clock.systemUTC(), TestServer.fakeResolver()));
    }

    public SolverNode solver(FakeSolver fake, int workers) throws Exception {
        return solver(fake, workers, Map.of(), null);
    }

    /** @param pool the browser pool its metrics and readiness show, or null for none */
    public SolverNode solver(FakeSolver fake, int workers, Map<String, String> extra, PoolView pool) throws Exception {
        Map<String, String> settings = new HashMap<>(extra);
        settings.put("workers", Integer.toString(workers));
        SolverNode.Builder b = SolverNode.builder(config(settings)).resolver(TestServer.fakeResolver()).solver(fake);
        if (pool != null) {
            b.poolView(pool);
        }
        return started(b.start());
    }

    /** A whole server ({@code turnpike serve}) on this PostgreSQL, with the fake solver. */
    public Standalone serve(FakeSolver fake, int workers, Map<String, String> extra) throws Exception {
        Map<String, String> settings = new HashMap<>(extra);
        settings.put("workers", Integer.toString(workers));
        return started(Standalone.builder(config(settings)).resolver(TestServer.fakeResolver()).solver(fake).start());
    }

    private <T extends AutoCloseable> T started(T node) {
        running.add(node);
        return node;
    }

    /** Deletes every task: one an earlier test left queued would be claimed first. */
    public void emptyQueue() throws Exception {
        try (Connection c = pg.connect(); Statement st = c.createStatement()) {
            st.execute("DELETE FROM task");
        }
    }

    /** Stops every node started here, the latest first (closing one twice is harmless). */
    public void stopNodes() throws Exception {
        for (AutoCloseable node : running.reversed()) {
            node.close();
        }
        running.clear();
    }

    public static Map<String, Object> turnstile(String key) {
        return Map.of("clientKey", key, "task", Map.of("type", "TurnstileTaskProxyless",
                "websiteURL", "https://site.example", "websiteKey", "0x4AAAAAAAB"));
    }

    /** Polls getTaskResult until the task is no longer processing (60 s at most). */
    public static JsonNode awaitResult(ApiClient api, String key, String taskId) throws InterruptedException {
        for (int i = 0; i < 600; i++) {
            JsonNode r = api.call("getTaskResult", Map.of("clientKey", key, "taskId", taskId));
            if (!"processing".equals(r.path("status").asText())) {
                return r;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("task " + taskId + " still processing after 60 s");
    }

    public AccountInfo info(String key) {
        return accounts.list().stream().filter(a -> key.startsWith(a.keyPrefix())).findFirst().orElseThrow();
    }

    @Override
    public void close() throws Exception {
        try {
            stopNodes();
        } finally {
            admin.close();
            pg.close();
            Files.deleteIfExists(dataDir); // empty: the admin token is a setting, and the store is PostgreSQL
        }
    }
}
