package dev.turnpike.server.api;

import dev.turnpike.protocol.ErrorCode;
import dev.turnpike.protocol.ErrorResponse;
import dev.turnpike.protocol.TaskResultResponse;
import dev.turnpike.server.task.Solution;
import dev.turnpike.server.task.Task;
import dev.turnpike.server.task.TaskState;
import java.util.LinkedHashMap;
import java.util.Map;

/** A task's state as the {@code getTaskResult} answer (PROTOCOL.md §3.2); also the body of its callback. */
public final class TaskResults {

    private TaskResults() {
    }

    public static Object answer(Task task) {
        return switch (task.state()) {
            case TaskState.Queued q -> TaskResultResponse.processing();
            case TaskState.Solving s -> TaskResultResponse.processing();
            case TaskState.Ready r -> TaskResultResponse.ready(solution(r.solution()), task.id().toString(),
                    task.charge(r.solution()), task.createdAt().getEpochSecond(), r.endedAt().getEpochSecond());
            case TaskState.Failed f -> ErrorResponse.of(f.reason().errorCode(), f.description(), task.id().toString());
        };
    }

    /** For {@code createSyncTask}: like {@link #answer}, always with the task id. */
    public static Object answerWithId(Task task) {
        Object answer = answer(task);
        if (answer instanceof TaskResultResponse r && r.taskId() == null) {
            return new TaskResultResponse(r.errorId(), r.errorCode(), r.errorDescription(), r.status(), r.solution(),
                    task.id().toString(), r.cost(), r.createTime(), r.endTime());
        }
        return answer;
    }

    /** The wire {@code solution} object. */
    static Map<String, Object> solution(Solution solution) {
        Map<String, Object> out = new LinkedHashMap<>();
        switch (solution) {
            case Solution.Turnstile t -> {
                out.put("token", t.token());
                out.put("gRecaptchaResponse", t.token());
                out.put("userAgent", t.userAgent());
                if (t.mode() != null) {
                    out.put("mode", t.mode());
                }
                identity(out, t.identity());
            }
            case Solution.Challenge c -> {
                out.put("cookies", c.cookies());
                out.put("cf_clearance", c.cfClearance());
                out.put("userAgent", c.userAgent());
                out.put("header", c.headers());
                out.put("tlsVersion", c.tlsVersion());
                out.put("status", c.status());
                out.put("url", c.url());
                out.put("body", c.body());
                out.put("sToken", null);
                out.put("token", null);
                identity(out, c.identity());
            }
            case Solution.Page p -> { // FlareSolverr's solution object (PROTOCOL.md §10)
                out.put("url", p.url());
                out.put("status", p.status());
                out.put("headers", p.headers());
                out.put("response", p.body());
                out.put("cookies", p.cookies());
                out.put("userAgent", p.userAgent());
                if (p.screenshot() != null) {
                    out.put("screenshot", p.screenshot());
                }
                out.put("turnstile_token", p.turnstileToken());
            }
        }
        return out;
    }

    /** {@code identity: {ip?, country?, timeZone, languages, source, fallback?}}, when the solver said. */
    private static void identity(Map<String, Object> out, Solution.Identity identity) {
        if (identity == null) {
            return;
        }
        Map<String, Object> wire = new LinkedHashMap<>();
        if (identity.ip() != null) {
            wire.put("ip", identity.ip());
        }
        if (identity.country() != null) {
            wire.put("country", identity.country());
        }
        wire.put("timeZone", identity.timeZone());
        wire.put("languages", identity.languages());
        wire.put("source", identity.source());
        if (identity.fallback() != null) {
            wire.put("fallback", identity.fallback());
        }
        out.put("identity", wire);
    }

    static ApiException unknownTask(ErrorCode code) {
        return new ApiException(code, "Task ID does not exist or has expired");
    }
}
