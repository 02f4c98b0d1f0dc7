package dev.turnpike.server.solver.challenge;

import com.fasterxml.jackson.databind.JsonNode;
import dev.turnpike.server.testing.ApiClient;
import java.util.Map;

/** createTask, then getTaskResult every 100 ms until the task ends (the answer: the solution or the error). */
final class Tasks {

    private Tasks() {
    }

    /** The final getTaskResult answer of a task. */
    static JsonNode run(ApiClient api, String key, Map<String, Object> task) throws InterruptedException {
        JsonNode created = api.call("createTask", Map.of("clientKey", key, "task", task));
        if (created.path("errorId").asInt() != 0) {
            return created;
        }
        long deadline = System.nanoTime() + 150_000_000_000L;
        while (System.nanoTime() < deadline) {
            JsonNode result = api.call("getTaskResult", Map.of("clientKey", key, "taskId", created.path("taskId")));
            if (result.path("errorId").asInt() != 0 || "ready".equals(result.path("status").asText())) {
                return result;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the task did not end within 150 s");
    }

    /** The solution of a task that must succeed. */
    static JsonNode solve(ApiClient api, String key, Map<String, Object> task) throws InterruptedException {
        JsonNode result = run(api, key, task);
        if (result.path("errorId").asInt() != 0) {
            throw new AssertionError("the task failed: " + result);
        }
        return result.path("solution");
    }
}
