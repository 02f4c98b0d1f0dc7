package dev.turnpike.server.solver.turnstile;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** When full mode's fallback (or its failure) is due, on a page that may render its widget late. */
class PageClockTest {

    static final Instant COMMIT = Instant.parse("2026-12-06T12:00:00Z");

    static Instant at(double seconds) {
        return COMMIT.plus(Duration.ofMillis(Math.round(seconds * 1000)));
    }

    /** A page loaded at {@code loadSeconds} after its commit, its clock read once at the load. */
    static PageClock loadedAt(double loadSeconds) {
        PageClock clock = new PageClock(COMMIT, CompletableFuture.completedFuture(null));
        assertThat(clock.due(at(loadSeconds))).isEqualTo(PageClock.Due.NOTHING);
        return clock;
    }

    @Test
    void aPageWithoutTurnstileGetsTheFallbackFourSecondsAfterItsLoad() {
        PageClock clock = loadedAt(1);
        assertThat(clock.due(at(2.5))).isEqualTo(PageClock.Due.EXECUTE);
        assertThat(clock.due(at(4.9))).isEqualTo(PageClock.Due.NOTHING);
        assertThat(clock.due(at(5))).isEqualTo(PageClock.Due.FALLBACK);
        assertThat(clock.due(at(6))).isEqualTo(PageClock.Due.NOTHING);
    }

    @Test
    void aPageLoadingTurnstileHasTenSecondsAfterItsLoadButNotPastTenAfterItsCommit() {
        PageClock early = loadedAt(0.5);
        early.due(at(1.5));
        assertThat(early.due(at(4.5))).isEqualTo(PageClock.Due.FALLBACK);
        assertThat(early.postponeFallback(at(4.5))).isTrue();
        assertThat(early.due(at(9.9))).isEqualTo(PageClock.Due.NOTHING);
        assertThat(early.due(at(10))).as("commit + 10 s comes before load + 10 s").isEqualTo(PageClock.Due.FALLBACK);
        assertThat(early.postponeFallback(at(10))).as("put off once only").isFalse();
    }

    @Test
    void aPageThatLoadedLateIsNotPutOffPastItsPlainFallback() {
        PageClock late = loadedAt(7);
        late.due(at(8));
        assertThat(late.due(at(11))).isEqualTo(PageClock.Due.FALLBACK);
        assertThat(late.postponeFallback(at(11))).as("commit + 10 s has passed").isFalse();
    }

    @Test
    void aWidgetThatStartedEndsThePatience() {
        PageClock clock = loadedAt(1);
        clock.widgetStarted();
        assertThat(clock.due(at(30))).isEqualTo(PageClock.Due.NOTHING);
    }
}
