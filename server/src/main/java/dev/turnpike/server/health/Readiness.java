package dev.turnpike.server.health;

import dev.turnpike.server.browser.pool.PoolStats;
import dev.turnpike.server.metrics.PoolView;
import java.time.Duration;
import java.util.Optional;

/**
 * {@code GET /health/ready}: whether this server can take and solve tasks. The store must answer a trivial query
 * within {@link #STORE_TIMEOUT}; when a browser pool exists, at least one browser must take tasks, or the pool must
 * be able to start one (an elastic pool holds none when idle). Launches nothing and calls no other host; the browsers
 * are counted from the pool's stats.
 */
public final class Readiness {

    public static final Duration STORE_TIMEOUT = Duration.ofSeconds(2);

    /**
     * @param browsers null when the server has no browser pool
     */
    public record Report(boolean ready, boolean storeUp, Browsers browsers) {
    }

    /**
     * @param available browsers taking tasks
     * @param idleSlots their free slots
     * @param startable browsers the pool would start for tasks (elastic, below its maximum, its last launch fine)
     */
    public record Browsers(int available, int idleSlots, int startable) {
    }

    private final StoreCheck store;
    private final Optional<PoolView> pool;

    public Readiness(StoreCheck store, Optional<PoolView> pool) {
        this.store = store;
        this.pool = pool;
    }

    public Report check() throws InterruptedException {
        boolean storeUp = store.answers(STORE_TIMEOUT);
        Browsers browsers = pool.map(p -> {
            PoolStats stats = p.stats();
            return new Browsers(PoolView.ready(stats), PoolView.idleSlots(stats, p.slotsPerBrowser()),
                    stats.startable() + stats.launching());
        }).orElse(null);
        boolean ready = storeUp && (browsers == null || browsers.available() > 0 || browsers.startable() > 0);
        return new Report(ready, storeUp, browsers);
    }
}
