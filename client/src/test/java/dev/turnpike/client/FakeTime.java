package dev.turnpike.client;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A clock that moves only when the client sleeps on it: polling is tested without waiting. Test code only. */
final class FakeTime extends Clock implements Sleeper {

    private volatile Instant now = Instant.EPOCH;
    private final List<Duration> sleeps = new CopyOnWriteArrayList<>();

    @Override
    public synchronized void sleep(Duration duration) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        sleeps.add(duration);
        now = now.plus(duration);
    }

    /** Every wait the client asked for, in order. */
    List<Duration> sleeps() {
        return List.copyOf(sleeps);
    }

    /** Time since the start. */
    Duration elapsed() {
        return Duration.between(Instant.EPOCH, now);
    }

    @Override
    public Instant instant() {
        return now;
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
