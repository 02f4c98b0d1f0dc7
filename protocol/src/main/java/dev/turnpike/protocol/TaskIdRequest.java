package dev.turnpike.protocol;

/**
 * The body of {@code /getTaskResult} and the {@code /report…} methods.
 *
 * @param clientKey the account's key
 * @param taskId    the task's id, as {@code createTask} answered it
 */
public record TaskIdRequest(String clientKey, String taskId) {
}
