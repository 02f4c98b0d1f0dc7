package dev.turnpike.server.browser.pool;

import dev.turnpike.server.browser.cdp.CdpConnection;
import dev.turnpike.server.browser.chromium.ChromiumProcess;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.function.Predicate;

/** One browser of the pool and its slot counts. The counts and state are guarded by the pool's lock. */
final class PooledBrowser implements SlotCounts {

    enum State { READY, DRAINING, RETIRED }

    final long id;
    final ChromiumProcess process;
    final CdpConnection connection;
    final Instant startedAt;
    /** Start + maximum age + this browser's jitter. */
    final Instant retireAt;

    State state = State.READY;
    /** Leased contexts, counted from the moment the slot is reserved. */
    int busy;
    /** Contexts being prepared for the warm queue, by kind. */
    private final EnumMap<ContextKind, Integer> warming = new EnumMap<>(ContextKind.class);
    /** Ready idle contexts, each on an unbound relay, oldest first. */
    final Deque<ContextLease> warm = new ArrayDeque<>();
    /**
     * The kind its next warm contexts are made of: that of the last task given a slot here, so the warm queue follows
     * the work (a proxyless context lets Cloudflare bypass its relay, which a task with a proxy must not have).
     */
    ContextKind warmKind = ContextKind.DIRECT;
    long served;
    /** When its last task ended (its start until then): an idle browser beyond the pool's minimum retires. */
    Instant lastTaskEnded;
    /** Why it is draining, kept for the retirement record. */
    RetireReason drainReason;
    String drainDetail;

    PooledBrowser(long id, ChromiumProcess process, CdpConnection connection, Instant startedAt, Instant retireAt) {
        this.id = id;
        this.process = process;
        this.connection = connection;
        this.startedAt = startedAt;
        this.retireAt = retireAt;
        this.lastTaskEnded = startedAt;
    }

    @Override
    public int busy() {
        return busy;
    }

    @Override
    public int warmTotal() {
        return warm.size();
    }

    @Override
    public int warmingTotal() {
        return warming();
    }

    @Override
    public ContextKind warmKind() {
        return warmKind;
    }

    int warming() {
        return warming.values().stream().mapToInt(Integer::intValue).sum();
    }

    @Override
    public int warming(ContextKind kind) {
        return warming.getOrDefault(kind, 0);
    }

    void countWarming(ContextKind kind, int delta) {
        warming.merge(kind, delta, Integer::sum);
    }

    boolean hasWarm(ContextKind kind) {
        return warmOf(kind) > 0;
    }

    @Override
    public int warmOf(ContextKind kind) {
        return (int) warm.stream().filter(lease -> lease.kind() == kind).count();
    }

    /** The oldest warm context of another kind, taken out of the queue; null if none. */
    ContextLease takeOldestWarmNot(ContextKind kind) {
        return takeFirst(warm.iterator(), lease -> lease.kind() != kind);
    }

    /**
     * The newest warm context of that kind: the one Chromium's spare renderer process was most likely made for (it
     * follows the browser context used last), so its first navigation does not wait for a process to start. Null if
     * none.
     */
    ContextLease takeWarm(ContextKind kind) {
        return takeFirst(warm.descendingIterator(), lease -> lease.kind() == kind);
    }

    private static ContextLease takeFirst(Iterator<ContextLease> leases, Predicate<ContextLease> wanted) {
        while (leases.hasNext()) {
            ContextLease lease = leases.next();
            if (wanted.test(lease)) {
                leases.remove();
                return lease;
            }
        }
        return null;
    }

    boolean idle() {
        return busy == 0 && warming() == 0;
    }
}
