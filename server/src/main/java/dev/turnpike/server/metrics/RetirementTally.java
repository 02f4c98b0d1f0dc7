package dev.turnpike.server.metrics;

import dev.turnpike.server.browser.pool.BrowserRetired;
import dev.turnpike.server.browser.pool.RetireReason;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Counts browser retirements by reason from the pool's list of recent ones, without a hook in the pool: each
 * look counts the retirements not seen at the previous look (a browser id retires once). Retirements that came
 * and went out of the pool's bounded list between two looks are missed; with looks every few seconds and a list
 * of 200 that does not happen.
 */
public final class RetirementTally {

    private final PoolView pool;
    private final Map<RetireReason, Long> counts = new EnumMap<>(RetireReason.class);
    private Set<Long> seen = Set.of();

    public RetirementTally(PoolView pool) {
        this.pool = pool;
        for (RetireReason reason : RetireReason.values()) {
            counts.put(reason, 0L);
        }
    }

    /** Retirements for this reason since start. */
    public synchronized long count(RetireReason reason) {
        refresh();
        return counts.get(reason);
    }

    /** Every reason's count since start. */
    public synchronized Map<RetireReason, Long> counts() {
        refresh();
        return Map.copyOf(counts);
    }

    private void refresh() {
        List<BrowserRetired> recent = pool.retirements();
        Set<Long> now = new HashSet<>();
        for (BrowserRetired retired : recent) {
            now.add(retired.browserId());
            if (!seen.contains(retired.browserId())) {
                counts.merge(retired.reason(), 1L, Long::sum);
            }
        }
        seen = now;
    }
}
