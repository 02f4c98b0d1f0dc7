package dev.turnpike.server.account;

/** A task whose hold a stopped node left behind, released at the next start. */
public record AbandonedTask(long taskId, long accountId) {
}
