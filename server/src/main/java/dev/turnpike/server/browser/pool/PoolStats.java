package dev.turnpike.server.browser.pool;

import java.util.List;

/**
 * A snapshot of the pool.
 *
 * @param browsers      per live browser
 * @param waiting       tasks waiting for a slot
 * @param retired       browsers retired since start
 * @param launching     browsers being started
 * @param startable     browsers the pool may still start when tasks need them (an elastic pool below its maximum);
 *                      0 when it is closed or its last launch failed
 */
public record PoolStats(List<BrowserStats> browsers, int waiting, long retired, int launching, int startable) {

    /** A fixed pool's snapshot: nothing being started, nothing more to start. */
    public PoolStats(List<BrowserStats> browsers, int waiting, long retired) {
        this(browsers, waiting, retired, 0, 0);
    }

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
