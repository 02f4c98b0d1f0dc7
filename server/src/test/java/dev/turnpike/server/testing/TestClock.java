package dev.turnpike.server.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock that moves only when told: deadlines and retention are tested without sleeping. A {@link #ticking()} one
 * also follows the wall clock, for end-to-end tests whose real solvers take real time.
 */
public final class TestClock extends Clock {

    private final AtomicReference<Instant> now;
    private final Clock base;
    private final Instant baseStart;

    public TestClock(Instant start) {
        this(start, null);
    }

    private TestClock(Instant start, Clock base) {
        this.now = new AtomicReference<>(start);
        this.base = base;
        this.baseStart = base == null ? null : base.instant();
    }

    /** Follows the wall clock (plus whatever {@link #advance} adds): real deadlines for real solvers. */
    public static TestClock ticking() {
        return new TestClock(Instant.now(), Clock.systemUTC());
    }

    /** Starts at the current wall time (task ids count milliseconds from 2025). */
    public static TestClock atNow() {
        return new TestClock(Instant.now());
    }

    public void advance(Duration d) {
        now.updateAndGet(t -> t.plus(d));
    }

    @Override
    public Instant instant() {
        return base == null ? now.get() : now.get().plus(Duration.between(baseStart, base.instant()));
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
