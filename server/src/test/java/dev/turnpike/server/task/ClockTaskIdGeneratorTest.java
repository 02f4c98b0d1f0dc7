package dev.turnpike.server.task;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.fixtures.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ClockTaskIdGeneratorTest {

    @Test
    void idsStayBelowTwoToThe53AndAreUniqueWithinAFrozenMillisecond() {
        TestClock clock = new TestClock(Instant.parse("2059-11-01T00:00:00Z"));
        ClockTaskIdGenerator ids = new ClockTaskIdGenerator(clock, 31);
        Set<Long> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            long id = ids.next().value();
            assertThat(id).isPositive().isLessThan(1L << 53);
            assertThat(seen.add(id)).isTrue();
        }
    }

    @Test
    void nodesNeverCollide() {
        TestClock clock = TestClock.atNow();
        ClockTaskIdGenerator a = new ClockTaskIdGenerator(clock, 1);
        ClockTaskIdGenerator b = new ClockTaskIdGenerator(clock, 2);
        Set<Long> seen = new HashSet<>();
        for (int i = 0; i < 2_000; i++) {
            assertThat(seen.add(a.next().value())).isTrue();
            assertThat(seen.add(b.next().value())).isTrue();
        }
    }

    @Test
    void aClockSteppingBackDoesNotRepeatIds() {
        TestClock clock = TestClock.atNow();
        ClockTaskIdGenerator ids = new ClockTaskIdGenerator(clock, 0);
        long before = ids.next().value();
        clock.advance(Duration.ofSeconds(-10));
        assertThat(ids.next().value()).isGreaterThan(before);
    }

    @Test
    void taskIdParsesOnlyItsOwnDigits() {
        assertThat(TaskId.parse("7304012290153")).contains(new TaskId(7304012290153L));
        assertThat(TaskId.parse("9007199254740992")).isEmpty();
        assertThat(TaskId.parse("-5")).isEmpty();
        assertThat(TaskId.parse("0")).isEmpty();
        assertThat(TaskId.parse("12a")).isEmpty();
        assertThat(TaskId.parse("")).isEmpty();
    }
}
