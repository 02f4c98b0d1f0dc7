package dev.turnpike.protocol;

/** The body of {@code /getTaskResult} and the {@code /report…} methods. */
public record TaskIdRequest(String clientKey, String taskId) {
}
