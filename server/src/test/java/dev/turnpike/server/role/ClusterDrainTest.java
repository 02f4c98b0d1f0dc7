package dev.turnpike.server.role;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.turnpike.server.account.AccountInfo;
import dev.turnpike.server.account.LedgerEntry;
import dev.turnpike.server.task.TaskId;
import dev.turnpike.server.task.TaskState;
import dev.turnpike.server.testing.ApiClient;
import dev.turnpike.server.testing.ClusterFixture;
import dev.turnpike.server.testing.FakeSolver;
import java.time.Duration;
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

/**
 * A node on PostgreSQL asked to stop (SIGTERM runs close()) finishes the tasks it holds, claims nothing new, and
 * leaves the queued ones to the other nodes; its wait is bounded by {@code drain.grace}.
 */
class ClusterDrainTest {

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

    @Test
    void aStoppingSolverNodeFinishesWhatItHoldsAndAnotherTakesTheRest() throws Exception {
        ApiNode api = cluster.api();
        FakeSolver blocking = FakeSolver.forAllTypes().byDefault(FakeSolver.block());
        SolverNode stopping = cluster.solver(blocking, 3); // one worker idle: it would claim, were it not draining
        stopsGracefully(api, blocking, 2, stopping);
    }

    @Test
    void aStoppingServeNodeOnPostgresFinishesWhatItHoldsAndAnotherTakesTheRest() throws Exception {
        ApiNode api = cluster.api();
        FakeSolver blocking = FakeSolver.forAllTypes().byDefault(FakeSolver.block());
        Standalone stopping = cluster.serve(blocking, 3, Map.of()); // one worker idle
        stopsGracefully(api, blocking, 2, stopping);
    }

    /**
     * {@code node} holds {@code workers} blocked tasks and has an idle worker; it is closed, then one more task is
     * queued.
     */
    private void stopsGracefully(ApiNode api, FakeSolver blocking, int workers, AutoCloseable node) throws Exception {
        ApiClient client = new ApiClient(api.address());
        String key = cluster.accounts().createKey("drain", 100).key();
        Thread.sleep(1_100); // the API node reads the node list at most once a second
        List<String> held = new java.util.ArrayList<>();
        for (int i = 0; i < workers; i++) {
            JsonNode created = client.call("createTask", ClusterFixture.turnstile(key));
            assertThat(created.path("errorId").asInt()).as(created.toString()).isZero();
            held.add(created.path("taskId").asText());
        }
        blocking.awaitStarted(workers);

        try (ExecutorService stopper = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<?> closed = stopper.submit(() -> {
                node.close();
                return null;
            });
            Thread.sleep(500); // the drain has begun: claims stopped
            String waiting = client.call("createTask", ClusterFixture.turnstile(key)).path("taskId").asText();
            Thread.sleep(1_500); // a claimer would have taken it by now (notification, or the 500 ms poll)
            assertThat(closed.isDone()).as("close() waits for the tasks held").isFalse();
            assertThat(api.tasks().find(TaskId.parse(waiting).orElseThrow()).state())
                    .as("the stopping node claims nothing new").isInstanceOf(TaskState.Queued.class);
            assertThat(blocking.calls()).isEqualTo(workers);

            blocking.release(workers);
            closed.get(30, TimeUnit.SECONDS);
            for (String id : held) {
                JsonNode result = ClusterFixture.awaitResult(client, key, id);
                assertThat(result.path("status").asText()).as(result.toString()).isEqualTo("ready");
            }
            assertThat(blocking.interruptions()).isZero();

            cluster.solver(FakeSolver.forAllTypes(), 1); // another node takes over the queue
            assertThat(ClusterFixture.awaitResult(client, key, waiting).path("status").asText()).isEqualTo("ready");
        }
        // Each task charged once: 15 points each, nothing held, the ledger agrees to the point.
        AccountInfo info = cluster.info(key);
        List<LedgerEntry> ledger = cluster.accounts().ledger(info.id());
        assertThat(info.balance()).isEqualTo(100 - 15L * (workers + 1));
        assertThat(info.held()).isZero();
        assertThat(ledger.stream().mapToLong(LedgerEntry::balanceDelta).sum()).isEqualTo(info.balance());
        assertThat(ledger.stream().mapToLong(LedgerEntry::heldDelta).sum()).isZero();
    }

    @Test
    void aDrainLastsAtMostTheGraceThenTheTaskLeftFailsWithItsPointsReleased() throws Exception {
        ApiNode api = cluster.api();
        FakeSolver never = FakeSolver.forAllTypes().byDefault(FakeSolver.block());
        SolverNode stopping = cluster.solver(never, 1, Map.of("drain.grace", "1s"), null);
        ApiClient client = new ApiClient(api.address());
        String key = cluster.accounts().createKey("grace", 100).key();
        Thread.sleep(1_100);
        String id = client.call("createTask", ClusterFixture.turnstile(key)).path("taskId").asText();
        never.awaitStarted(1);

        long start = System.nanoTime();
        stopping.close();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(900), Duration.ofSeconds(10));
        JsonNode result = ClusterFixture.awaitResult(client, key, id);
        assertThat(result.path("errorCode").asText()).as(result.toString()).isEqualTo("ERROR_SERVICE_UNAVALIABLE");
        assertThat(cluster.info(key).balance()).isEqualTo(100);
        assertThat(cluster.info(key).held()).isZero();
    }
}
