package dev.turnpike.server.admin;

import dev.turnpike.server.task.Task;
import dev.turnpike.server.task.Tasks;
import dev.turnpike.server.task.TaskState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Tasks ended per time slice over the last minutes, with their mean and longest time to end: the throughput and
 * latency chart of the status page. A ring of slices indexed by time, so old slices are reused, never grown.
 */
public final class TaskTimeline implements Tasks.EndListener {

    /** One slice: tasks that ended in [start, start + slice). */
    public record Slice(Instant start, int ready, int failed, long meanReadyMs, long maxReadyMs) {
    }

    private final Clock clock;
    private final long sliceMillis;
    private final long[] sliceIndex;
    private final int[] ready;
    private final int[] failed;
    private final long[] readyMillisSum;
    private final long[] readyMillisMax;

    public TaskTimeline(Clock clock, Duration slice, int slices) {
        this.clock = clock;
        this.sliceMillis = slice.toMillis();
        this.sliceIndex = new long[slices];
        this.ready = new int[slices];
        this.failed = new int[slices];
        this.readyMillisSum = new long[slices];
        this.readyMillisMax = new long[slices];
        java.util.Arrays.fill(sliceIndex, -1);
    }

    @Override
    public synchronized void taskEnded(Task task) {
        TaskState state = task.state();
        long index = Math.floorDiv(state.endedAt().toEpochMilli(), sliceMillis);
        int at = slot(index);
        if (state instanceof TaskState.Ready) {
            long took = Duration.between(task.createdAt(), state.endedAt()).toMillis();
            ready[at]++;
            readyMillisSum[at] += took;
            readyMillisMax[at] = Math.max(readyMillisMax[at], took);
        } else {
            failed[at]++;
        }
    }

    private int slot(long index) {
        int at = (int) Math.floorMod(index, (long) sliceIndex.length);
        if (sliceIndex[at] != index) {
            sliceIndex[at] = index;
            ready[at] = 0;
            failed[at] = 0;
            readyMillisSum[at] = 0;
            readyMillisMax[at] = 0;
        }
        return at;
    }

    /** Every slice of the window ending now, oldest first; empty slices included. */
    public synchronized List<Slice> slices() {
        long last = Math.floorDiv(clock.millis(), sliceMillis);
        List<Slice> out = new ArrayList<>(sliceIndex.length);
        for (long index = last - sliceIndex.length + 1; index <= last; index++) {
            int at = (int) Math.floorMod(index, (long) sliceIndex.length);
            Instant start = Instant.ofEpochMilli(index * sliceMillis);
            if (sliceIndex[at] != index) {
                out.add(new Slice(start, 0, 0, 0, 0));
            } else {
                out.add(new Slice(start, ready[at], failed[at], ready[at] == 0 ? 0 : readyMillisSum[at] / ready[at],
                        readyMillisMax[at]));
            }
        }
        return out;
    }

    public long sliceMillis() {
        return sliceMillis;
    }
}
