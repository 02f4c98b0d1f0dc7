package dev.turnpike.protocol;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The answer of {@code /getQueueStats} (Anti-Captcha, PROTOCOL.md §3.4). No envelope: Anti-Captcha sends none.
 *
 * @param waiting tasks waiting for a solver
 * @param load    percent of solving capacity in use, 0..100
 * @param bid     always 0 (no bidding)
 * @param speed   average seconds from creation to end of the recent tasks
 * @param total   solving capacity (workers)
 */
@JsonPropertyOrder({"waiting", "load", "bid", "speed", "total"})
public record QueueStatsResponse(int waiting, double load, int bid, double speed, int total) {
}
