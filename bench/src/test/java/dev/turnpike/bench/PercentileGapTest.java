package dev.turnpike.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** The percentile gap between two series and its bootstrap interval. */
class PercentileGapTest {

    private static List<Long> times(long seed, int n, long shift) {
        SplittableRandom random = new SplittableRandom(seed);
        return LongStream.range(0, n).map(i -> 1000 + shift + (long) (random.nextDouble() * random.nextDouble() * 4000))
                .boxed().toList();
    }

    @Test
    void theGapIsTheDifferenceOfTheTwoPercentilesByNearestRank() {
        List<Long> reference = LongStream.rangeClosed(1, 20).map(i -> i * 100).boxed().toList();
        List<Long> turnpike = LongStream.rangeClosed(1, 20).map(i -> i * 100 + 50).boxed().toList();

        PercentileGap p95 = PercentileGap.of(turnpike, reference, 95, 0.9, 1);

        assertThat(p95.gap()).isEqualTo(1950 - 1900);
        assertThat(p95.low()).isLessThanOrEqualTo(p95.gap());
        assertThat(p95.high()).isGreaterThanOrEqualTo(p95.gap());
    }

    @Test
    void twoSeriesFromOneDistributionGetAnIntervalAroundZero() {
        PercentileGap p95 = PercentileGap.of(times(1, 200, 0), times(2, 200, 0), 95, 0.9, 7);

        assertThat(p95.low()).isNegative();
        assertThat(p95.high()).isPositive();
    }

    @Test
    void aShiftedSeriesGetsAnIntervalAroundTheShiftThatNarrowsWithMoreSamples() {
        PercentileGap few = PercentileGap.of(times(3, 30, 500), times(4, 30, 0), 95, 0.9, 7);
        PercentileGap many = PercentileGap.of(times(5, 3000, 500), times(6, 3000, 0), 95, 0.9, 7);

        assertThat(many.low()).isBetween(200L, 500L);
        assertThat(many.high()).isBetween(500L, 800L);
        assertThat(many.high() - many.low()).isLessThan(few.high() - few.low());
    }
}
