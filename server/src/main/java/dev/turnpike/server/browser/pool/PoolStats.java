package dev.turnpike.server.browser.pool;

import java.util.List;

/**
 * A snapshot of the pool.
 *
 * @param browsers      per live browser
 * @param waiting       tasks waiting for a slot
 * @param retired       browsers retired since start
 */
public record PoolStats(List<BrowserStats> browsers, int waiting, long retired) {

    /**
     * @param id      the pool's number for it
     * @param pgid    its process group
     * @param state   READY or DRAINING
     * @param busy    leased contexts (including ones being created)
     * @param warm        ready idle contexts
     * @param warming     contexts being prepared
     * @param served      tasks served so far
     */
    public record BrowserStats(long id, long pgid, String state, int busy, int warm, int warming,
                               long served) {
    }

    public int busy() {
        return browsers.stream().mapToInt(BrowserStats::busy).sum();
    }

    public int warm() {
        return browsers.stream().mapToInt(BrowserStats::warm).sum();
    }
}
