package dev.turnpike.server.api;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.turnpike.server.task.TaskType;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A task type without a price stops the server at start, not each createTask with ERROR_INTERNAL_SERVER_ERROR. */
class CreateTaskPricesTest {

    @Test
    void createTaskRefusesToBeBuiltWhenATaskTypeHasNoPrice() {
        Map<TaskType, Long> prices = new EnumMap<>(TaskType.class);
        for (TaskType type : TaskType.values()) {
            prices.put(type, 10L);
        }
        prices.remove(TaskType.TURNSTILE_PROXYLESS_M1);

        assertThatThrownBy(() -> new CreateTask(null, new TaskParser(type -> true), null, null, prices))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("TurnstileTaskProxylessM1");
    }
}
