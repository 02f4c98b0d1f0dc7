package dev.turnpike.server.solver.challenge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.turnpike.server.net.ProxySpec;
import dev.turnpike.server.solver.SolveException;
import dev.turnpike.server.task.FailReason;
import dev.turnpike.fixtures.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Who solves and who waits among identical challenge tasks at once, on an injected clock: waiters start with the
 * leader's clearance, a failed leader hands the lead on, a waiter's deadline and interruption end its wait.
 */
class ClearanceFlightsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant START = Instant.parse("2026-12-06T12:00:00Z");
    private static final ProxySpec PROXY = new ProxySpec(ProxySpec.Scheme.HTTP, "10.0.0.1", 8080, "a", "secret-a");
    private static final ClearanceCache.Key KEY = new ClearanceCache.Key("site.test", PROXY, null);
    private static final Instant LATE = START.plus(Duration.ofMinutes(2));

    private final TestClock clock = new TestClock(START);
    private final ClearanceFlights flights = ClearanceFlights.on(clock);
    /** The waiting tasks' threads. */
    private final ExecutorService tasks = Executors.newVirtualThreadPerTaskExecutor();

    @AfterEach
    void stopTasks() {
        tasks.shutdownNow();
    }

    private static ObjectNode clearance(String value) {
        return JSON.createObjectNode().put("name", "cf_clearance").put("value", value).put("domain", ".site.test");
    }

    private Future<ClearanceFlights.Seat> board(ClearanceCache.Key key, Instant deadline) {
        return tasks.submit(() -> flights.board(key, deadline));
    }

    /** Until {@code n} tasks wait (bounded, so a broken flight fails the test instead of hanging it). */
    private void awaitWaiting(int n) {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (flights.waiting() != n) {
            assertThat(System.nanoTime()).as("%d tasks waiting, not %d", flights.waiting(), n).isLessThan(until);
            Thread.onSpinWait();
        }
    }

    /** One waiter on KEY per deadline, each waiting before the next boards (so their order is known). */
    private List<Future<ClearanceFlights.Seat>> waiters(Instant... deadlines) {
        List<Future<ClearanceFlights.Seat>> boarded = new java.util.ArrayList<>();
        for (Instant deadline : deadlines) {
            boarded.add(board(KEY, deadline));
            awaitWaiting(boarded.size());
        }
        return boarded;
    }

    private static ClearanceFlights.Seat seat(Future<ClearanceFlights.Seat> boarding) throws Exception {
        return boarding.get(10, TimeUnit.SECONDS);
    }

    @Test
    void identicalTasksWaitForTheLeaderAndStartWithItsClearance() throws Exception {
        ClearanceFlights.Seat leader = flights.board(KEY, LATE);
        List<Future<ClearanceFlights.Seat>> waiters = waiters(LATE, LATE);
        Future<ClearanceFlights.Seat> first = waiters.get(0);
        Future<ClearanceFlights.Seat> second = waiters.get(1);
        assertThat(first).isNotDone();

        leader.cleared(clearance("c1"));

        for (ClearanceFlights.Seat passenger : List.of(seat(first), seat(second))) {
            assertThat(passenger.leads()).isFalse();
            assertThat(passenger.waited()).isTrue();
            assertThat(passenger.clearance()).get().satisfies(c -> assertThat(c.path("value").asText()).isEqualTo("c1"));
        }
        assertThat(leader.leads()).isTrue();
        assertThat(leader.waited()).isFalse();
        assertThat(flights.waiting()).isZero();
        assertThat(flights.shared()).isEqualTo(2);
    }

    @Test
    void aFailedLeaderHandsTheLeadToTheFirstWaiterAndTheOthersWaitOnIt() throws Exception {
        ClearanceFlights.Seat leader = flights.board(KEY, LATE);
        List<Future<ClearanceFlights.Seat>> waiters = waiters(LATE, LATE);
        Future<ClearanceFlights.Seat> first = waiters.get(0);
        Future<ClearanceFlights.Seat> second = waiters.get(1);

        leader.close(); // failed without landing

        ClearanceFlights.Seat next = seat(first);
        assertThat(next.leads()).isTrue();
        assertThat(next.waited()).isTrue();
        assertThat(second).isNotDone();
        assertThat(flights.waiting()).isEqualTo(1);

        next.cleared(clearance("c2"));

        assertThat(seat(second).clearance()).get().satisfies(c -> assertThat(c.path("value").asText()).isEqualTo("c2"));
        assertThat(flights.shared()).isEqualTo(1);
    }

    @Test
    void aWaiterWhoseDeadlinePassedStopsWaitingAndTheLeadGoesToTheNext() throws Exception {
        ClearanceFlights.Seat leader = flights.board(KEY, LATE);
        List<Future<ClearanceFlights.Seat>> waiters = waiters(START.plusSeconds(10), LATE);
        Future<ClearanceFlights.Seat> soon = waiters.get(0);
        Future<ClearanceFlights.Seat> later = waiters.get(1);
        clock.advance(Duration.ofSeconds(20));

        leader.close();

        assertThatThrownBy(() -> soon.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(SolveException.class)
                .satisfies(e -> assertThat(((SolveException) e).reason()).isEqualTo(FailReason.DEADLINE));
        assertThat(seat(later).leads()).as("the waiter still in time leads").isTrue();
        assertThatThrownBy(() -> flights.board(KEY, START.plusSeconds(10))).as("a task already late waits for nothing")
                .isInstanceOf(SolveException.class);
        assertThat(flights.waiting()).isZero();
    }

    @Test
    void anInterruptedWaiterLeavesAndTheOthersStillGetTheClearance() throws Exception {
        ClearanceFlights.Seat leader = flights.board(KEY, LATE);
        List<Future<ClearanceFlights.Seat>> waiters = waiters(LATE, LATE);
        Future<ClearanceFlights.Seat> stopped = waiters.get(0);
        Future<ClearanceFlights.Seat> kept = waiters.get(1);

        stopped.cancel(true); // the worker interrupts a task whose deadline passed

        awaitWaiting(1);
        leader.cleared(clearance("c3"));
        assertThat(seat(kept).clearance()).isPresent();
        assertThat(flights.shared()).isEqualTo(1);
    }

    @Test
    void aLeaderWhosePagePassedWithoutAChallengeLetsTheWaitersGoAheadWithoutAClearance() throws Exception {
        ClearanceFlights.Seat leader = flights.board(KEY, LATE);
        Future<ClearanceFlights.Seat> waiter = waiters(LATE).getFirst();

        leader.notChallenged();

        ClearanceFlights.Seat seat = seat(waiter);
        assertThat(seat.leads()).isFalse();
        assertThat(seat.clearance()).isEmpty();
    }

    @Test
    void tasksForAnotherSiteProxyOrUserAgentDoNotWait() throws Exception {
        flights.board(KEY, LATE);

        ProxySpec otherCredentials = new ProxySpec(ProxySpec.Scheme.HTTP, "10.0.0.1", 8080, "a", "secret-b");
        for (ClearanceCache.Key other : List.of(new ClearanceCache.Key("other.test", PROXY, null),
                new ClearanceCache.Key("site.test", otherCredentials, null),
                new ClearanceCache.Key("site.test", PROXY, "Mozilla/5.0 wanted"))) {
            ClearanceFlights.Seat seat = flights.board(other, LATE);
            assertThat(seat.leads()).as("%s", other).isTrue();
            assertThat(seat.waited()).isFalse();
        }
    }

    @Test
    void aLeaderThatLandedIsNotReplacedWhenItsSeatCloses() throws Exception {
        try (ClearanceFlights.Seat leader = flights.board(KEY, LATE)) {
            leader.cleared(clearance("c4"));
        }
        Future<ClearanceFlights.Seat> after = board(KEY, LATE);
        assertThat(seat(after).leads()).as("no flight left in the air: the next task leads its own").isTrue();
    }

    @Test
    void offLetsEveryTaskSolveAlone() throws Exception {
        ClearanceFlights off = ClearanceFlights.off();
        ClearanceFlights.Seat one = off.board(KEY, LATE);
        ClearanceFlights.Seat two = off.board(KEY, LATE);

        assertThat(one.waited()).isFalse();
        assertThat(two.waited()).isFalse();
        assertThat(off.waiting()).isZero();
    }
}
