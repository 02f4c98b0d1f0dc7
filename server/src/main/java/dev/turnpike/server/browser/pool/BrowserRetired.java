package dev.turnpike.server.browser.pool;

import java.time.Duration;

/**
 * A browser left the pool.
 *
 * @param browserId the pool's number for it
 * @param reason    why
 * @param tasks     how many tasks it served
 * @param age       how long it lived
 * @param detail    e.g. the exit code of a crash, the memory that passed the cap
 */
public record BrowserRetired(long browserId, RetireReason reason, long tasks, Duration age, String detail) {
}
