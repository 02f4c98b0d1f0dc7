package dev.turnpike.server.task.pg;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.turnpike.server.task.Solution;
import dev.turnpike.server.task.TaskSpec;
import dev.turnpike.server.task.TaskType;

/**
 * A task's spec and solution as the JSON kept in the {@code task} table, so a solver node can run a task an API
 * node accepted. The spec keeps the proxy password (the solver needs it); it is never logged.
 */
final class TaskJson {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private TaskJson() {
    }

    static String spec(TaskSpec spec) {
        return write(spec);
    }

    static TaskSpec spec(TaskType type, String json) {
        Class<? extends TaskSpec> kind = switch (type) { // no default: a new type must say how it is stored
            case TURNSTILE_PROXYLESS, TURNSTILE_PROXYLESS_M1 -> TaskSpec.Turnstile.class;
            case CLOUDFLARE_CHALLENGE -> TaskSpec.Challenge.class;
            case PAGE_REQUEST -> TaskSpec.PageRequest.class;
        };
        return read(json, kind);
    }

    static String solution(Solution solution) {
        return write(solution);
    }

    /** The solution of a task of this type. */
    static Solution solution(TaskType type, String json) {
        Class<? extends Solution> kind = switch (type) {
            case TURNSTILE_PROXYLESS, TURNSTILE_PROXYLESS_M1 -> Solution.Turnstile.class;
            case CLOUDFLARE_CHALLENGE -> Solution.Challenge.class;
            case PAGE_REQUEST -> Solution.Page.class;
        };
        return read(json, kind);
    }

    private static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    private static <T> T read(String json, Class<T> kind) {
        try {
            return MAPPER.readValue(json, kind);
        } catch (JsonProcessingException e) {
            // No message from the parser: it may quote the stored JSON, proxy password included.
            throw new IllegalStateException("stored " + kind.getSimpleName() + " is not readable");
        }
    }
}
