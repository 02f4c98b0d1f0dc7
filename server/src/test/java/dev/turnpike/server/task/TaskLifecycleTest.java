package dev.turnpike.server.task;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.turnpike.server.testing.ApiClient;
import dev.turnpike.server.testing.FakeSolver;
import dev.turnpike.server.testing.TestServer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Deadlines, retention, the bounded queue and shutdown, driven by a test clock: nothing here sleeps. */
class TaskLifecycleTest {

    private static final Map<String, Object> TURNSTILE = Map.of("type", "TurnstileTaskProxyless",
            "websiteURL", "https://site.example", "websiteKey", "0x4AAAAAAAB");

    private static String create(ApiClient api, String key) {
        JsonNode r = api.call("createTask", Map.of("clientKey", key, "task", TURNSTILE));
        assertThat(r.get("errorId").intValue()).as("%s", r).isZero();
        return r.get("taskId").textValue();
    }

    private static JsonNode result(ApiClient api, String key, String id) {
        return api.call("getTaskResult", Map.of("clientKey", key, "taskId", id));
    }

    private static void awaitEnd(TestServer server, String id) throws Exception {
        server.standalone().tasks().find(new TaskId(Long.parseLong(id))).ended().get(30, TimeUnit.SECONDS);
    }

    @Test
    void aTaskNotSolvedWithin120SecondsTimesOutAndItsSolverIsInterrupted() throws Exception {
        try (TestServer server = TestServer.builder().solver(FakeSolver.forAllTypes().byDefault(FakeSolver.block())).start()) {
            ApiClient api = server.client();
            String key = server.createKey(100);
            String id = create(api, key);
            server.solver().awaitStarted(1);
            server.advance(Duration.ofSeconds(119));
            assertThat(result(api, key, id).get("status").textValue()).isEqualTo("processing");
            server.advance(Duration.ofSeconds(1));
            JsonNode r = result(api, key, id);
            assertThat(r.get("errorCode").textValue()).isEqualTo("ERROR_TASK_TIMEOUT");
            assertThat(r.get("taskId").textValue()).isEqualTo(id);
            assertThat(r.has("status")).isFalse();
            server.solver().awaitInterrupted(1);
            assertThat(server.balance(key)).isEqualTo(100);
        }
    }

    @Test
    void aQueuedTaskPastItsDeadlineFailsWithoutBeingSolved() throws Exception {
        try (TestServer server = TestServer.builder().setting("workers", "1")
                .solver(FakeSolver.forAllTypes().byDefault(FakeSolver.block())).start()) {
            ApiClient api = server.client();
            String key = server.createKey(100);
            String first = create(api, key);
            server.solver().awaitStarted(1);
            String queued = create(api, key);
            server.advance(Duration.ofSeconds(120));
            // The freed worker may take the queued task and end it itself, publishing a moment after advance returns.
            awaitEnd(server, first);
            awaitEnd(server, queued);
            assertThat(result(api, key, first).get("errorCode").textValue()).isEqualTo("ERROR_TASK_TIMEOUT");
            assertThat(result(api, key, queued).get("errorCode").textValue()).isEqualTo("ERROR_TASK_TIMEOUT");
            server.solver().awaitInterrupted(1);
            assertThat(server.standalone().tasks().waiting()).isZero();
            assertThat(server.solver().calls()).isEqualTo(1);
            assertThat(server.balance(key)).isEqualTo(100);
        }
    }

    @Test
    void aTaskIsKeptFiveMinutesAfterCreationThenExpires() throws Exception {
        try (TestServer server = TestServer.builder().start()) {
            ApiClient api = server.client();
            String key = server.createKey(100);
            String id = create(api, key);
            awaitEnd(server, id);
            server.advance(Duration.ofSeconds(299));
            assertThat(result(api, key, id).get("status").textValue()).isEqualTo("ready");
            server.advance(Duration.ofSeconds(1));
            JsonNode r = result(api, key, id);
            assertThat(r.get("errorCode").textValue()).isEqualTo("ERROR_TASKID_INVALID");
            assertThat(r.has("taskId")).isFalse();
        }
    }

    @Test
    void aTaskIsKeptSixtySecondsAfterItEnded() throws Exception {
        try (TestServer server = TestServer.builder().setting("task.deadline", "290s")
                .solver(FakeSolver.forAllTypes().byDefault(FakeSolver.block())).start()) {
            ApiClient api = server.client();
            String key = server.createKey(100);
            String id = create(api, key);
            server.solver().awaitStarted(1);
            server.advance(Duration.ofSeconds(280));
            server.solver().release(1);
            awaitEnd(server, id);
            server.advance(Duration.ofSeconds(59));
            assertThat(result(api, key, id).get("status").textValue()).isEqualTo("ready");
            server.advance(Duration.ofSeconds(1));
            assertThat(result(api, key, id).get("errorCode").textValue()).isEqualTo("ERROR_TASKID_INVALID");
        }
    }

    @Test
    void theInvalidTaskCodeIsConfigurable() throws Exception {
        try (TestServer server = TestServer.builder().setting("api.taskIdInvalidCode", "ERROR_NO_SUCH_CAPCHA_ID").start()) {
            String key = server.createKey(0);
            assertThat(result(server.client(), key, "12345").get("errorCode").textValue()).isEqualTo("ERROR_NO_SUCH_CAPCHA_ID");
        }
    }

    @Test
    void aFullQueueAnswersNoSlotAndHoldsNothing() throws Exception {
        try (TestServer server = TestServer.builder().setting("workers", "1").setting("queue.capacity", "1")
                .solver(FakeSolver.forAllTypes().byDefault(FakeSolver.block())).start()) {
            ApiClient api = server.client();
            String key = server.createKey(100);
            create(api, key);
            server.solver().awaitStarted(1);
            create(api, key);
            JsonNode r = api.call("createTask", Map.of("clientKey", key, "task", TURNSTILE));
            assertThat(r.get("errorCode").textValue()).isEqualTo("ERROR_NO_SLOT_AVAILABLE");
            assertThat(server.balance(key)).isEqualTo(100 - 2 * 15);
            server.solver().release(2);
        }
    }

    @Test
    void shutdownFailsRunningTasksAndRefusesNewOnes() throws Exception {
        try (TestServer server = TestServer.builder().solver(FakeSolver.forAllTypes().byDefault(FakeSolver.block())).start()) {
            ApiClient api = server.client();
            String key = server.createKey(100);
            String id = create(api, key);
            server.solver().awaitStarted(1);
            server.standalone().tasks().shutdown();
            assertThat(result(api, key, id).get("errorCode").textValue()).isEqualTo("ERROR_SERVICE_UNAVALIABLE");
            server.solver().awaitInterrupted(1);
            JsonNode r = api.call("createTask", Map.of("clientKey", key, "task", TURNSTILE));
            assertThat(r.get("errorCode").textValue()).isEqualTo("ERROR_SERVICE_UNAVALIABLE");
            assertThat(server.balance(key)).isEqualTo(100);
        }
    }

    @Test
    void withoutASolverEveryTypeIsNotSupported() throws Exception {
        try (TestServer server = TestServer.builder().noSolver().start()) {
            String key = server.createKey(100);
            for (String type : new String[]{"TurnstileTaskProxyless", "TurnstileTaskProxylessM1", "CloudFlare5STask"}) {
                JsonNode r = server.client().call("createTask", Map.of("clientKey", key, "task",
                        Map.of("type", type, "websiteURL", "https://site.example", "websiteKey", "0x4AAAAAAAB",
                                "proxy", "http://u:p@203.0.113.5:8080")));
                assertThat(r.get("errorCode").textValue()).isEqualTo("ERROR_TASK_NOT_SUPPORTED");
            }
            assertThat(server.balance(key)).isEqualTo(100);
        }
    }
}
