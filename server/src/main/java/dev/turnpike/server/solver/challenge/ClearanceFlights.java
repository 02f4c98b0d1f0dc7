package dev.turnpike.server.solver.challenge;

import com.fasterxml.jackson.databind.JsonNode;
import dev.turnpike.server.solver.SolveException;
import dev.turnpike.server.task.FailReason;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One challenge solve at a time per clearance ({@link ClearanceCache.Key}: site, proxy, wanted user agent), so a
 * burst of identical tasks costs one proof of work instead of one each. The first task with no clearance kept
 * leads: it solves. Tasks for the same key that come while it does wait for it to land, then start with its
 * clearance, each in its own context (its own page, its own rqData POST). A leader that lands without a clearance
 * (it failed) hands the lead to the first waiter instead of failing them all. A waiter's deadline still counts:
 * past it (on the injected clock) it stops waiting, as it does when the worker interrupts it. In memory, per
 * solving node; the cluster's nodes each lead their own flight (docs/DEPLOY.md).
 */
public final class ClearanceFlights {

    /** How a leader's solve ended, for those waiting on it. */
    enum Landing {
        /** A clearance: waiters start with it. */
        CLEARED,
        /** The page passed without a clearance cookie (no challenge): waiters go ahead as they are. */
        NOT_CHALLENGED,
        /** No clearance (the solve failed): the next waiter leads. */
        FAILED
    }

    /** A task waiting on a flight. */
    private static final class Waiter {
    }

    /**
     * One key's solve in progress, led by one task at a time; the lock guards its fields. A failed leader's flight
     * stays up under the first waiter (FIFO), so no waiter can miss a landing and solve again beside it.
     */
    private static final class Flight {
        private final Deque<Waiter> waiters = new ArrayDeque<>();
        private Waiter heir;
        private Landing landing;
        private JsonNode clearance;
    }

    private static final ClearanceFlights OFF = new ClearanceFlights(Clock.systemUTC(), false);

    private final Clock clock;
    private final boolean on;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition landed = lock.newCondition();
    private final Map<ClearanceCache.Key, Flight> inFlight = new HashMap<>();
    private int waiting;
    private final AtomicLong shared = new AtomicLong();

    private ClearanceFlights(Clock clock, boolean on) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.on = on;
    }

    /** Flights on, waiters' deadlines read on {@code clock}. */
    public static ClearanceFlights on(Clock clock) {
        return new ClearanceFlights(clock, true);
    }

    /** Every task solves on its own (the setting {@code challenge.shareSolves=false}). */
    public static ClearanceFlights off() {
        return OFF;
    }

    /**
     * A seat for a task about to solve for {@code key}: the lead when no identical solve is in flight, else a
     * passenger's once that solve landed (waiting here until then, or until the lead falls to this task).
     *
     * @throws SolveException       the deadline passed while the task waited (reason DEADLINE)
     * @throws InterruptedException the worker stopped the task while it waited
     */
    public Seat board(ClearanceCache.Key key, Instant deadline) throws SolveException, InterruptedException {
        if (!on) {
            return Seat.ALONE;
        }
        lock.lockInterruptibly();
        try {
            Flight flight = inFlight.get(key);
            if (flight == null) {
                flight = new Flight();
                inFlight.put(key, flight);
                return new Seat(this, key, flight, Optional.empty(), false);
            }
            return await(key, flight, deadline);
        } finally {
            lock.unlock();
        }
    }

    /** Waits (the lock held) until the flight lands or its lead falls to this task. */
    private Seat await(ClearanceCache.Key key, Flight flight, Instant deadline)
            throws SolveException, InterruptedException {
        Waiter me = new Waiter();
        flight.waiters.addLast(me);
        waiting++;
        try {
            while (true) {
                long left = Duration.between(clock.instant(), deadline).toNanos();
                if (left <= 0) {
                    throw new SolveException(FailReason.DEADLINE, "the deadline passed while the task waited for"
                            + " an identical task's challenge solve");
                }
                if (flight.heir == me) {
                    flight.heir = null;
                    return new Seat(this, key, flight, Optional.empty(), true);
                }
                if (flight.landing != null) {
                    shared.incrementAndGet();
                    return new Seat(null, key, null, Optional.ofNullable(flight.clearance), true);
                }
                landed.awaitNanos(left);
            }
        } finally {
            waiting--;
            flight.waiters.remove(me);
            if (flight.heir == me) { // the lead fell to a task that stopped waiting: it goes to the next one
                handOver(key, flight);
            }
        }
    }

    private void land(ClearanceCache.Key key, Flight flight, Landing landing, JsonNode clearance) {
        lock.lock();
        try {
            if (flight.landing != null || inFlight.get(key) != flight) {
                return;
            }
            if (landing == Landing.FAILED) {
                handOver(key, flight);
                return;
            }
            flight.landing = landing;
            flight.clearance = clearance == null ? null : clearance.deepCopy();
            inFlight.remove(key, flight);
            landed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The lead goes to the first waiter; with none, the flight ends and the next task for the key leads anew. */
    private void handOver(ClearanceCache.Key key, Flight flight) {
        flight.heir = flight.waiters.pollFirst();
        if (flight.heir == null) {
            flight.landing = Landing.FAILED;
            inFlight.remove(key, flight);
        }
        landed.signalAll();
    }

    /** Tasks waiting now for an identical task's solve. */
    public int waiting() {
        lock.lock();
        try {
            return waiting;
        } finally {
            lock.unlock();
        }
    }

    /** Tasks since start that waited for an identical task's solve and started from its outcome. */
    public long shared() {
        return shared.get();
    }

    /**
     * A task's place: the leader's lands with its outcome (closing it unlanded counts as a failure); a
     * passenger's carries the clearance it starts with.
     */
    public static final class Seat implements AutoCloseable {
        /** The seat of a task that neither leads nor waits (flights off, or a clearance was kept). */
        public static final Seat ALONE = new Seat(null, null, null, Optional.empty(), false);

        private final ClearanceFlights flights;
        private final ClearanceCache.Key key;
        private final Flight flight;
        private final Optional<JsonNode> clearance;
        private final boolean waited;
        /** A seat lands once; it is used by its task's thread only. */
        private boolean landed;

        private Seat(ClearanceFlights flights, ClearanceCache.Key key, Flight flight, Optional<JsonNode> clearance,
                     boolean waited) {
            this.flights = flights;
            this.key = key;
            this.flight = flight;
            this.clearance = clearance;
            this.waited = waited;
        }

        /** Whether this task solves for the tasks waiting on it. */
        public boolean leads() {
            return flight != null;
        }

        /** The clearance the leader landed with, for a passenger. */
        public Optional<JsonNode> clearance() {
            return clearance;
        }

        /** Whether the task waited for another's solve (then its time is the CLEARANCE_WAIT phase). */
        public boolean waited() {
            return waited;
        }

        /** The leader cleared the page with this clearance cookie; the waiters start with it. */
        public void cleared(JsonNode clearanceCookie) {
            land(Landing.CLEARED, Objects.requireNonNull(clearanceCookie, "clearanceCookie"));
        }

        /** The leader's page passed without a clearance cookie; the waiters go ahead as they are. */
        public void notChallenged() {
            land(Landing.NOT_CHALLENGED, null);
        }

        private void land(Landing landing, JsonNode cookie) {
            if (flight != null && !landed) {
                landed = true;
                flights.land(key, flight, landing, cookie);
            }
        }

        /** A leader that did not land failed: the next waiter leads. */
        @Override
        public void close() {
            land(Landing.FAILED, null);
        }
    }
}
