package dev.turnpike.bench;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The difference of a percentile between two series of times (Turnpike − reference), with a bootstrap interval: how
 * far the difference could move on another run of the same size. A p95 of 30 samples is the second-largest sample;
 * on a saturated machine two runs of it can differ by seconds, and the interval says so instead of one number.
 *
 * @param gap  the percentile of Turnpike's times minus the reference's, in ms
 * @param low  the low end of the interval
 * @param high the high end
 */
record PercentileGap(long gap, long low, long high) {

    private static final int RESAMPLES = 2000;

    /**
     * @param level the interval's coverage, e.g. 0.9 for the 5th to the 95th percentile of the resampled gaps
     * @param seed  for the resampling, so a run's figures can be recomputed
     */
    static PercentileGap of(List<Long> turnpike, List<Long> reference, int percentile, double level, long seed) {
        long[] t = sorted(turnpike);
        long[] r = sorted(reference);
        SplittableRandom random = new SplittableRandom(seed);
        long[] gaps = new long[RESAMPLES];
        long[] ts = new long[t.length];
        long[] rs = new long[r.length];
        for (int i = 0; i < RESAMPLES; i++) {
            for (int j = 0; j < ts.length; j++) {
                ts[j] = t[random.nextInt(t.length)];
            }
            for (int j = 0; j < rs.length; j++) {
                rs[j] = r[random.nextInt(r.length)];
            }
            Arrays.sort(ts);
            Arrays.sort(rs);
            gaps[i] = at(ts, percentile) - at(rs, percentile);
        }
        Arrays.sort(gaps);
        double tail = (1 - level) / 2;
        return new PercentileGap(at(t, percentile) - at(r, percentile),
                gaps[(int) Math.floor(tail * (RESAMPLES - 1))], gaps[(int) Math.ceil((1 - tail) * (RESAMPLES - 1))]);
    }

    /** {@code 120 ms [−40…310]}. */
    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%d ms [%d…%d]", gap, low, high);
    }

    private static long[] sorted(List<Long> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("no times");
        }
        long[] out = values.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(out);
        return out;
    }

    /** The nearest-rank percentile of sorted values, as the benchmarks report it. */
    private static long at(long[] sorted, int percentile) {
        return sorted[Math.max(0, Math.min(sorted.length - 1, (int) Math.ceil(percentile / 100.0 * sorted.length) - 1))];
    }
}
