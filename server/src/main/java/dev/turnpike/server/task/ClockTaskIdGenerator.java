package dev.turnpike.server.task;

import java.time.Clock;
import java.time.Instant;

/**
 * Task ids from the clock and the node number: {@code millis since 2025-01-01 (40 bits) | node (5 bits) |
 * sequence (8 bits)}, 53 bits in all, so always below 2^53 (until 2059). Unique per node as long as node
 * numbers differ: within one millisecond up to 256 ids, beyond that the generator borrows the next millisecond
 * (monotonic, never repeating, even if the wall clock steps back).
 */
public final class ClockTaskIdGenerator implements TaskIdGenerator {

    static final long EPOCH_MILLIS = Instant.parse("2025-01-01T00:00:00Z").toEpochMilli();
    static final int NODE_BITS = 5;
    static final int SEQUENCE_BITS = 8;
    private static final long MAX_MILLIS = (1L << 40) - 1;

    private final Clock clock;
    private final long node;
    private long lastMillis = -1;
    private long sequence;

    public ClockTaskIdGenerator(Clock clock, int nodeId) {
        if (nodeId < 0 || nodeId >= 1 << NODE_BITS) {
            throw new IllegalArgumentException("node id must be 0.." + ((1 << NODE_BITS) - 1));
        }
        this.clock = clock;
        this.node = nodeId;
    }

    @Override
    public synchronized TaskId next() {
        long millis = Math.max(1, clock.millis() - EPOCH_MILLIS);
        if (millis > lastMillis) {
            lastMillis = millis;
            sequence = 0;
        } else if (++sequence >= 1 << SEQUENCE_BITS) {
            lastMillis++;
            sequence = 0;
        }
        if (lastMillis > MAX_MILLIS) {
            throw new IllegalStateException("task id space exhausted");
        }
        return new TaskId(lastMillis << (NODE_BITS + SEQUENCE_BITS) | node << SEQUENCE_BITS | sequence);
    }
}
