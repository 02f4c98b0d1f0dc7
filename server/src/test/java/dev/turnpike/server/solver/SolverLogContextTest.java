package dev.turnpike.server.solver;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.turnpike.server.task.Solution;
import dev.turnpike.server.task.TaskSpec;
import dev.turnpike.server.task.TaskType;
import dev.turnpike.server.testing.TestServer;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/** What a solver logs names its task: the worker puts the task's id in the logging context for the whole solve. */
class SolverLogContextTest {

    /** Answers with the task id its logging context holds, as the token. */
    private static final class ContextReporter implements Solver {
        @Override
        public Set<TaskType> types() {
            return Set.of(TaskType.TURNSTILE_PROXYLESS);
        }

        @Override
        public Solution solve(TaskSpec spec, Instant deadline) {
            return new Solution.Turnstile(String.valueOf(MDC.get(SolverWorker.TASK_KEY)), "agent");
        }
    }

    @Test
    void everyLineASolverLogsCarriesItsTaskId() throws Exception {
        try (TestServer server = TestServer.builder().noSolver().alsoSolver(new ContextReporter()).start()) {
            String key = server.createKey(1_000);
            for (int i = 0; i < 3; i++) {
                JsonNode answer = server.client().call("createSyncTask", Map.of("clientKey", key, "task", Map.of(
                        "type", "TurnstileTaskProxyless", "websiteURL", "https://site.example/",
                        "websiteKey", "0x4AAAAAAAB")));
                assertThat(answer.path("solution").path("token").asText())
                        .isEqualTo(answer.path("taskId").asText()).isNotEqualTo("null");
            }
        }
    }
}
