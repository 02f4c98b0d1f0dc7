package dev.turnpike.server.role;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.turnpike.server.admin.AdminHttp;
import dev.turnpike.server.browser.pool.PoolStats;
import dev.turnpike.server.testing.PoolDouble;
import dev.turnpike.server.metrics.Scrape;
import dev.turnpike.server.testing.ApiClient;
import dev.turnpike.server.testing.ClusterFixture;
import dev.turnpike.server.testing.FakeSolver;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What an operator sees of api and solver nodes over a real PostgreSQL: metrics, admin API, health, capacity. */
class ClusterOperatorViewTest {

    private static final String TOKEN = ClusterFixture.ADMIN_TOKEN;
    private static final String TURNSTILE = "TurnstileTaskProxyless";
    private static ClusterFixture cluster;


    @BeforeAll
    static void createCluster() {
        cluster = ClusterFixture.create();
    }

    @AfterAll
    static void dropCluster() throws Exception {
        cluster.close();
    }

    @BeforeEach
    void emptyQueue() throws Exception {
        cluster.emptyQueue();
    }

    @AfterEach
    void stopNodes() throws Exception {
        cluster.stopNodes();
    }

    private static Scrape metrics(AdminHttp http) {
        AdminHttp.Answer answer = http.get("/metrics", TOKEN);
        assertThat(answer.status()).as(answer.text()).isEqualTo(200);
        return new Scrape(answer.text());
    }

    private static double ready(Scrape scrape) {
        return scrape.value("turnpike_tasks_total", "type=" + TURNSTILE, "outcome=ready", "reason=none");
    }

    @Test
    void anApiNodeServesTheFullOperatorViewOverTheSharedStore() throws Exception {
        ApiNode api = cluster.api();
        SolverNode solver = cluster.solver(FakeSolver.forAllTypes(), 2);
        AdminHttp admin = new AdminHttp(api.address());
        ApiClient client = new ApiClient(api.address());

        assertThat(admin.get("/admin/api/keys", null).status()).isEqualTo(401);
        assertThat(admin.get("/metrics", null).status()).isEqualTo(401);
        AdminHttp.Answer created = admin.post("/admin/api/keys/create", Map.of("name", "op", "points", 100), TOKEN);
        assertThat(created.status()).as(created.text()).isEqualTo(200);
        String key = created.json().path("key").asText();
        assertThat(cluster.info(key).balance()).as("the key is in the shared store").isEqualTo(100);

        Thread.sleep(1_100); // the API node reads the node list at most once a second
        String taskId = client.call("createTask", ClusterFixture.turnstile(key)).path("taskId").asText();
        assertThat(ClusterFixture.awaitResult(client, key, taskId).path("status").asText()).isEqualTo("ready");

        AdminHttp.Answer stats = admin.get("/admin/api/stats", TOKEN);
        assertThat(stats.status()).as(stats.text()).isEqualTo(200);
        JsonNode queue = stats.json().path("queue");
        assertThat(queue.path("workers").asInt()).as("the cluster's workers, not the api node's 0").isEqualTo(2);
        assertThat(queue.path("waiting").asInt()).isZero();
        assertThat(stats.json().path("keys").findValuesAsText("keyPrefix")).contains(cluster.info(key).keyPrefix());
        assertThat(admin.get("/admin", null).status()).isEqualTo(200);

        AdminHttp.Answer health = admin.get("/health/ready", null);
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().path("store").asText()).isEqualTo("up");
        assertThat(admin.get("/health/live", null).status()).isEqualTo(200);

        // A task ended counts where it ended: on the solver node, not on the api node that accepted it.
        Scrape onApi = metrics(admin);
        Scrape onSolver = metrics(new AdminHttp(solver.operatorAddress()));
        assertThat(ready(onApi)).isZero();
        assertThat(ready(onSolver)).isEqualTo(1);
        assertThat(onSolver.value("turnpike_points_charged_total")).isEqualTo(15);
        // Gauges read from the shared store are the cluster's, the same on every node.
        assertThat(onApi.value("turnpike_queue_depth")).isZero();
        assertThat(onApi.value("turnpike_points_held")).isZero();
        assertThat(onSolver.value("turnpike_points_held")).isZero();
    }

    @Test
    void aSolverNodeServesMetricsAndHealthBehindTheAdminTokenAndNothingElse() throws Exception {
        PoolDouble pool = new PoolDouble(2);
        SolverNode solver = cluster.solver(FakeSolver.forAllTypes(), 2, Map.of(), pool);
        AdminHttp http = new AdminHttp(solver.operatorAddress());
        assertThat(solver.operatorAddress().getHost()).isEqualTo("127.0.0.1");

        assertThat(http.get("/health/live", null).status()).isEqualTo(200);
        AdminHttp.Answer noBrowser = http.get("/health/ready", null);
        assertThat(noBrowser.status()).as("no READY browser").isEqualTo(503);
        assertThat(noBrowser.json().path("store").asText()).isEqualTo("up");
        pool.stats = new PoolStats(List.of(new PoolStats.BrowserStats(1, 10, "READY", 1, 1, 0, 0)), 0, 1);
        AdminHttp.Answer ready = http.get("/health/ready", null);
        assertThat(ready.status()).isEqualTo(200);
        assertThat(ready.json().path("browsers").path("available").asInt()).isEqualTo(1);

        assertThat(http.get("/metrics", null).status()).isEqualTo(401);
        assertThat(http.get("/metrics", "a-wrong-token-of-enough-length").status()).isEqualTo(401);
        Scrape scrape = metrics(http);
        assertThat(scrape.value("turnpike_pool_slots", "state=busy")).isEqualTo(1);
        assertThat(scrape.has("turnpike_browsers")).isTrue();
        assertThat(ready(scrape)).isZero();

        // No admin API, no status page, no protocol: keys are managed where the API is.
        assertThat(http.get("/admin", null).status()).isEqualTo(404);
        assertThat(http.get("/admin/api/keys", TOKEN).status()).isEqualTo(404);
        assertThat(http.post("/createTask", Map.of(), null).status()).isEqualTo(404);
    }

    @Test
    void getQueueStatsOnAnApiNodeReportsTheLiveSolverNodesWorkers() throws Exception {
        ApiNode api = cluster.api();
        ApiClient client = new ApiClient(api.address());
        String key = cluster.accounts().createKey("stats", 100).key();
        JsonNode alone = client.call("getQueueStats", Map.of("clientKey", key, "queueId", 1));
        assertThat(alone.path("total").asInt()).as(alone.toString()).isZero();
        assertThat(alone.path("load").asDouble()).as("no capacity is full load").isEqualTo(100.0);

        cluster.solver(FakeSolver.forAllTypes(), 3);
        SolverNode second = cluster.solver(FakeSolver.forAllTypes(), 2);
        Thread.sleep(1_100); // the node list is read at most once a second
        JsonNode both = client.call("getQueueStats", Map.of("clientKey", key, "queueId", 1));
        assertThat(both.path("total").asInt()).as(both.toString()).isEqualTo(5);
        assertThat(both.path("load").asDouble()).isZero();

        second.close(); // a node that left no longer counts
        Thread.sleep(1_100);
        assertThat(client.call("getQueueStats", Map.of("clientKey", key, "queueId", 1)).path("total").asInt())
                .isEqualTo(3);
    }
}
