package dev.turnpike.server.browser.pool;

import dev.turnpike.server.browser.cdp.CdpConnection;
import dev.turnpike.server.browser.chromium.ChromiumProcess;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/** One browser of the pool and its slot counts. The counts and state are guarded by the pool's lock. */
final class PooledBrowser {

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
    /** Contexts being prepared for the warm queue. */
    int warming;
    /** Ready idle contexts of the direct kind, each on an unbound relay. */
    final Deque<ContextLease> warm = new ArrayDeque<>();
    long served;
    /** Why it is draining, kept for the retirement record. */
    RetireReason drainReason;
    String drainDetail;

    PooledBrowser(long id, ChromiumProcess process, CdpConnection connection, Instant startedAt, Instant retireAt) {
        this.id = id;
        this.process = process;
        this.connection = connection;
        this.startedAt = startedAt;
        this.retireAt = retireAt;
    }

    int free(int capacity) {
        return capacity - busy - warming - warm.size();
    }

    /**
     * The newest warm context: the one Chromium's spare renderer process was most likely made for (it follows the
     * browser context used last), so its first navigation does not wait for a process to start. Null if none.
     */
    ContextLease takeWarm() {
        return warm.pollLast();
    }

    boolean idle() {
        return busy == 0 && warming == 0;
    }
}
