package dev.turnpike.server.task;

import java.time.Duration;

/** A small ring of the latest task durations, for {@code getQueueStats}'s speed. */
public final class RecentDurations {

    private final long[] millis;
    private int next;
    private int count;

    public RecentDurations(int size) {
        this.millis = new long[size];
    }

    public synchronized void add(Duration d) {
        millis[next] = d.toMillis();
        next = (next + 1) % millis.length;
        count = Math.min(count + 1, millis.length);
    }

    /** The mean of the durations kept, in seconds; 0 before any. */
    public synchronized double meanSeconds() {
        if (count == 0) {
            return 0;
        }
        long sum = 0;
        for (int i = 0; i < count; i++) {
            sum += millis[i];
        }
        return sum / 1000.0 / count;
    }
}
