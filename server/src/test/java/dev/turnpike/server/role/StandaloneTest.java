package dev.turnpike.server.role;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.turnpike.server.solver.Solver;
import dev.turnpike.server.task.Solution;
import dev.turnpike.server.task.TaskSpec;
import dev.turnpike.server.task.TaskType;
import dev.turnpike.server.testing.TestServer;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class StandaloneTest {

    /** A solver for one type that owns a resource, as a browser solver owns its Chromium processes. */
    private static final class OwningSolver implements Solver, AutoCloseable {
        final AtomicBoolean closed = new AtomicBoolean();

        @Override
        public Set<TaskType> types() {
            return Set.of(TaskType.TURNSTILE_PROXYLESS_M1);
        }

        @Override
        public Solution solve(TaskSpec spec, Instant deadline) {
            return new Solution.Turnstile("m1-token", "UA");
        }

        @Override
        public void close() {
            closed.set(true);
        }
    }

    @Test
    void anInstalledSolverServesOnlyItsTypesAndIsClosedWithTheServer() throws Exception {
        OwningSolver solver = new OwningSolver();
        TestServer server = TestServer.builder().noSolver().alsoSolver(solver).start();
        try {
            String key = server.createKey(100);
            Map<String, Object> task = Map.of("websiteURL", "https://site.example", "websiteKey", "0x4AAAAAAAB");
            JsonNode m1 = server.client().call("createTask", Map.of("clientKey", key, "task",
                    merge(task, "TurnstileTaskProxylessM1")));
            assertThat(m1.get("errorId").intValue()).as("%s", m1).isZero();
            JsonNode fast = server.client().call("createTask", Map.of("clientKey", key, "task",
                    merge(task, "TurnstileTaskProxyless")));
            assertThat(fast.get("errorCode").textValue()).isEqualTo("ERROR_TASK_NOT_SUPPORTED");
            assertThat(solver.closed).isFalse();
        } finally {
            server.close();
        }
        assertThat(solver.closed).isTrue();
    }

    private static Map<String, Object> merge(Map<String, Object> task, String type) {
        var m = new java.util.HashMap<>(task);
        m.put("type", type);
        return m;
    }
}
