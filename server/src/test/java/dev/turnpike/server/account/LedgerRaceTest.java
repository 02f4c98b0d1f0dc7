package dev.turnpike.server.account;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.turnpike.server.task.FailReason;
import dev.turnpike.server.task.TaskId;
import dev.turnpike.server.testing.ApiClient;
import dev.turnpike.server.testing.FakeSolver;
import dev.turnpike.server.testing.TestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** 200 createTask race for points that cover 50: exactly 50 win, and the ledger agrees with the balance. */
class LedgerRaceTest {

    @Test
    void concurrentCreateTasksNeverOverspendAndTheLedgerAgrees() throws Exception {
        // Every solve waits until all 200 answers are in, so no released point can be spent again during the race.
        FakeSolver solver = FakeSolver.forAllTypes().byDefault(FakeSolver.block());
        for (int i = 0; i < 20; i++) {
            solver.then(FakeSolver.block(FakeSolver.fail(FailReason.WIDGET_ERROR)));
        }
        try (TestServer server = TestServer.builder().solver(solver).start()) {
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
            int zeroBalance = 0;
            for (Future<JsonNode> f : answers) {
                JsonNode r = f.get();
                if (r.get("errorId").intValue() == 0) {
                    accepted.add(r.get("taskId").textValue());
                } else {
                    assertThat(r.get("errorCode").textValue()).isEqualTo("ERROR_ZERO_BALANCE");
                    zeroBalance++;
                }
            }
            assertThat(accepted).hasSize(50).doesNotHaveDuplicates();
            assertThat(zeroBalance).isEqualTo(150);
            assertThat(server.balance(key)).isZero();
            solver.release(50);

            int ready = 0;
            for (String id : accepted) {
                server.standalone().tasks().find(new TaskId(Long.parseLong(id))).ended().get(60, TimeUnit.SECONDS);
                JsonNode r = api.call("getTaskResult", Map.of("clientKey", key, "taskId", id));
                if (r.get("errorId").intValue() == 0) {
                    ready++;
                }
            }
            assertThat(ready).isEqualTo(30);

            Accounts accounts = server.standalone().accounts();
            AccountInfo info = accounts.list().stream().filter(a -> key.startsWith(a.keyPrefix())).findFirst().orElseThrow();
            assertThat(info.balance()).isEqualTo(50 * 15 - 30 * 15);
            assertThat(info.held()).isZero();
            assertThat(server.balance(key)).isEqualTo(20 * 15);
            List<LedgerEntry> ledger = accounts.ledger(info.id());
            assertThat(ledger.stream().mapToLong(LedgerEntry::balanceDelta).sum()).isEqualTo(info.balance());
            assertThat(ledger.stream().mapToLong(LedgerEntry::heldDelta).sum()).isZero();
            assertThat(ledger.stream().filter(e -> e.kind() == LedgerEntry.Kind.HOLD)).hasSize(50);
            assertThat(ledger.stream().filter(e -> e.kind() == LedgerEntry.Kind.CAPTURE)).hasSize(30);
            assertThat(ledger.stream().filter(e -> e.kind() == LedgerEntry.Kind.RELEASE)).hasSize(20);
            assertThat(ledger.stream().filter(e -> e.kind() == LedgerEntry.Kind.TOPUP)).hasSize(1);
        }
    }
}
