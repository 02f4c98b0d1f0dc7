package dev.turnpike.server.account;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.turnpike.server.task.FailReason;
import dev.turnpike.server.task.TaskId;
import dev.turnpike.server.testing.ApiClient;
import dev.turnpike.server.testing.FakeSolver;
import dev.turnpike.fixtures.PgTestDatabase;
import dev.turnpike.server.testing.TestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The accounts and the ledger on PostgreSQL, through a whole server on it ({@code serve --store postgresql://…}):
 * 200 createTask race for points that cover 50; exactly 50 win, and the ledger agrees with the balance.
 */
class PostgresLedgerRaceTest {

    @Test
    void concurrentCreateTasksNeverOverspendOnPostgresAndTheLedgerAgrees() throws Exception {
        FakeSolver solver = FakeSolver.forAllTypes().byDefault(FakeSolver.block());
        for (int i = 0; i < 20; i++) {
            solver.then(FakeSolver.block(FakeSolver.fail(FailReason.WIDGET_ERROR)));
        }
        try (PgTestDatabase pg = PgTestDatabase.create()) {
            TestServer.Builder builder = TestServer.builder().solver(solver).setting("store.poolSize", "20");
            pg.settings().forEach(builder::setting);
            try (TestServer server = builder.start()) {
                assertThat(server.standalone().storeDescription()).startsWith("jdbc:postgresql:");
                String key = server.createKey(50 * 15);
                ApiClient api = server.client();
                Map<String, Object> body = Map.of("clientKey", key, "task", Map.of("type", "TurnstileTaskProxyless",
                        "websiteURL", "https://site.example", "websiteKey", "0x4AAAAAAAB"));
                CountDownLatch go = new CountDownLatch(1);
                List<Future<JsonNode>> answers = new ArrayList<>();
                try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                    for (int i = 0; i < 200; i++) {
                        answers.add(pool.submit(() -> {
                            go.await();
                            return api.call("createTask", body);
                        }));
                    }
                    go.countDown();
                }
                List<String> accepted = new ArrayList<>();
                for (Future<JsonNode> f : answers) {
                    JsonNode r = f.get();
                    if (r.get("errorId").intValue() == 0) {
                        accepted.add(r.get("taskId").textValue());
                    } else {
                        assertThat(r.get("errorCode").textValue()).isEqualTo("ERROR_ZERO_BALANCE");
                    }
                }
                assertThat(accepted).hasSize(50).doesNotHaveDuplicates();
                assertThat(server.balance(key)).isZero();
                solver.release(50);

                int ready = 0;
                for (String id : accepted) {
                    var task = server.standalone().tasks().find(new TaskId(Long.parseLong(id)));
                    assertThat(server.standalone().tasks().awaitEnd(task, Duration.ofSeconds(60)).state().ended()).isTrue();
                    if (api.call("getTaskResult", Map.of("clientKey", key, "taskId", id)).get("errorId").intValue() == 0) {
                        ready++;
                    }
                }
                assertThat(ready).isEqualTo(30);
                Accounts accounts = server.standalone().accounts();
                AccountInfo info = accounts.list().stream().filter(a -> key.startsWith(a.keyPrefix())).findFirst()
                        .orElseThrow();
                assertThat(info.balance()).isEqualTo(20 * 15);
                assertThat(info.held()).isZero();
                List<LedgerEntry> ledger = accounts.ledger(info.id());
                assertThat(ledger.stream().mapToLong(LedgerEntry::balanceDelta).sum()).isEqualTo(info.balance());
                assertThat(ledger.stream().mapToLong(LedgerEntry::heldDelta).sum()).isZero();
            }
        }
    }
}
