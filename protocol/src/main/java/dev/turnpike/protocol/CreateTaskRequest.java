package dev.turnpike.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * The body of {@code /createTask} and {@code /createSyncTask} as a client sends it. The task is a free-form
 * object because every service spells its fields differently (PROTOCOL.md §4).
 *
 * @param clientKey   the account's key
 * @param task        the task, with its {@code type} and that type's fields
 * @param callbackUrl where the service may post the result when ready; null for none
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CreateTaskRequest(String clientKey, Map<String, Object> task, String callbackUrl) {
}
