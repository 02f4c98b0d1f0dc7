package dev.turnpike.server.testing;

import dev.turnpike.server.browser.pool.BrowserRetired;
import dev.turnpike.server.browser.pool.PoolStats;
import dev.turnpike.server.metrics.PoolView;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A browser pool as the operator's view sees one, whose state the test sets; it launches nothing. */
public final class PoolDouble implements PoolView {

    public volatile PoolStats stats = new PoolStats(List.of(), 0, 0);
    public final List<BrowserRetired> retirements = new CopyOnWriteArrayList<>();
    public volatile long pss;
    public int pssReads;
    private final int slotsPerBrowser;

    public PoolDouble(int slotsPerBrowser) {
        this.slotsPerBrowser = slotsPerBrowser;
    }

    @Override
    public PoolStats stats() {
        return stats;
    }

    @Override
    public int slotsPerBrowser() {
        return slotsPerBrowser;
    }

    @Override
    public List<BrowserRetired> retirements() {
        return List.copyOf(retirements);
    }

    @Override
    public synchronized long pssBytes() {
        pssReads++;
        return pss;
    }
}
