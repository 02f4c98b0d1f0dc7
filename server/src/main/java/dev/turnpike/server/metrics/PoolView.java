package dev.turnpike.server.metrics;

import dev.turnpike.server.browser.pool.BrowserPool;
import dev.turnpike.server.browser.pool.BrowserRetired;
import dev.turnpike.server.browser.pool.PoolStats;
import java.util.List;

/**
 * What the operator's view reads from the browser pool, and nothing more: so metrics, the status page and the
 * readiness check work with a pool, without one (a server with no browsers), and with a test double.
 */
public interface PoolView {

    /** A snapshot of browsers and slots. */
    PoolStats stats();

    /** Tasks one browser serves at the same time: busy + idle slots of a READY browser. */
    int slotsPerBrowser();

    /** The most recent retirements, oldest first (the pool keeps a bounded number). */
    List<BrowserRetired> retirements();

    /** Total PSS of every browser's process tree; reads /proc, so callers cache it. */
    long pssBytes();

    /** The view of a running pool. */
    static PoolView of(BrowserPool pool) {
        return new PoolView() {
            @Override
            public PoolStats stats() {
                return pool.stats();
            }

            @Override
            public int slotsPerBrowser() {
                return pool.settings().contextsPerBrowser();
            }

            @Override
            public List<BrowserRetired> retirements() {
                return pool.retirements();
            }

            @Override
            public long pssBytes() {
                return pool.pssBytes();
            }
        };
    }

    /** Browsers that take new tasks (not draining). */
    static int ready(PoolStats stats) {
        return (int) stats.browsers().stream().filter(b -> "READY".equals(b.state())).count();
    }

    /** Free slots of the browsers that take new tasks. */
    static int idleSlots(PoolStats stats, int slotsPerBrowser) {
        return stats.browsers().stream().filter(b -> "READY".equals(b.state()))
                .mapToInt(b -> Math.max(0, slotsPerBrowser - b.busy())).sum();
    }
}
