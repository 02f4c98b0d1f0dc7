package dev.turnpike.server.account;

import dev.turnpike.server.store.Database;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.turnpike.server.config.Config;
import dev.turnpike.server.config.StoreSettings;
import dev.turnpike.server.testing.ApiClient;
import dev.turnpike.server.testing.FakeSolver;
import dev.turnpike.fixtures.TestClock;
import dev.turnpike.server.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Keys and balances live in the store and survive; tasks live in memory and do not. */
class RestartTest {

    private static final Map<String, Object> TURNSTILE = Map.of("type", "TurnstileTaskProxyless",
            "websiteURL", "https://site.example", "websiteKey", "0x4AAAAAAAB");

    @Test
    void keysAndBalancesSurviveAndOldTasksAreInvalid() throws Exception {
        FakeSolver solver = FakeSolver.forAllTypes().byDefault(FakeSolver.block()).then(FakeSolver.succeed("t1"));
        TestServer first = TestServer.builder().solver(solver).start();
        String key = first.createKey(100);
        String revoked = first.createKey(50);
        first.standalone().accounts().revoke(revoked);
        ApiClient api = first.client();
        String done = api.call("createTask", Map.of("clientKey", key, "task", TURNSTILE)).get("taskId").textValue();
        solver.awaitStarted(1);
        String running = api.call("createTask", Map.of("clientKey", key, "task", TURNSTILE)).get("taskId").textValue();
        solver.awaitStarted(1);
        assertThat(first.balance(key)).isEqualTo(100 - 15 - 15);

        try (TestServer second = first.restart()) {
            ApiClient api2 = second.client();
            assertThat(second.balance(key)).as("the finished task charged, the running one released").isEqualTo(85);
            for (String id : new String[]{done, running}) {
                JsonNode r = api2.call("getTaskResult", Map.of("clientKey", key, "taskId", id));
                assertThat(r.get("errorCode").textValue()).isEqualTo("ERROR_TASKID_INVALID");
            }
            JsonNode r = api2.call("getBalance", Map.of("clientKey", revoked));
            assertThat(r.get("errorCode").textValue()).isEqualTo("ERROR_KEY_DOES_NOT_EXIST");
        }
    }

    @Test
    void pointsHeldByADeadProcessAreReleasedAtStart(@TempDir Path dir) throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        Config config = Config.of(Map.of("data.dir", data.toString(), "store.autoServer", "false"));
        String key;
        try (Database db = Database.open(StoreSettings.options(config))) {
            // What a killed process leaves: a hold whose task is gone with the process memory.
            JdbcAccounts accounts = new JdbcAccounts(db.dataSource(), TestClock.atNow(), ClientKeys.secure(), 0);
            CreatedKey created = accounts.createKey("k", 100);
            key = created.key();
            assertThat(accounts.hold(created.account().id(), 4242, 30)).isTrue();
            assertThat(accounts.available(created.account().id())).isEqualTo(70);
        }
        try (TestServer server = TestServer.builder().dataDir(data).start()) {
            assertThat(server.balance(key)).isEqualTo(100);
            AccountInfo info = server.standalone().accounts().list().getFirst();
            assertThat(info.held()).isZero();
            assertThat(server.standalone().accounts().ledger(info.id()).getLast().kind()).isEqualTo(LedgerEntry.Kind.RELEASE);
        }
    }
}
