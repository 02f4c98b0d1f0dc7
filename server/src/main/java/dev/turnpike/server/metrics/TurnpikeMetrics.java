package dev.turnpike.server.metrics;

import dev.turnpike.server.build.BuildInfo;
import dev.turnpike.server.browser.pool.PoolStats;
import dev.turnpike.server.browser.pool.RetireReason;
import dev.turnpike.server.solver.SolvePhase;
import dev.turnpike.server.solver.SolvePhases;
import dev.turnpike.server.task.FailReason;
import dev.turnpike.server.task.Task;
import dev.turnpike.server.task.Tasks;
import dev.turnpike.server.task.TaskState;
import dev.turnpike.server.task.TaskType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Turnpike's metrics in a Micrometer registry, exposed in the Prometheus text format: tasks by type, outcome and
 * reason; queue depth; time to end as a histogram; points held and charged; and, when a browser pool exists, its
 * slots, browsers by state, retirements by reason and memory. Task counts move through {@link #taskEnded};
 * everything else is read when scraped.
 */
public final class TurnpikeMetrics implements Tasks.EndListener, SolvePhases.Listener {

    /** The histogram's upper bounds: the field promises 10–80 s, Turnstile solvers report 2–7 s, the deadline is 120 s. */
    public static final List<Duration> LATENCY_BUCKETS = List.of(Duration.ofMillis(500), Duration.ofSeconds(1),
            Duration.ofSeconds(2), Duration.ofSeconds(3), Duration.ofSeconds(5), Duration.ofMillis(7500),
            Duration.ofSeconds(10), Duration.ofSeconds(15), Duration.ofSeconds(20), Duration.ofSeconds(30),
            Duration.ofSeconds(45), Duration.ofSeconds(60), Duration.ofSeconds(90), Duration.ofSeconds(120));
    /** The Prometheus text exposition format. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    /** The reason label of tasks that did not fail. */
    public static final String NO_REASON = "none";
    private static final Duration MEMORY_CACHE = Duration.ofSeconds(5);

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<String, Counter> tasks = new ConcurrentHashMap<>();
    private final Map<TaskType, Map<Outcome, Timer>> durations = new EnumMap<>(TaskType.class);
    /** Phases take milliseconds (a warm context) to tens of seconds (a slow challenge). */
    public static final List<Duration> PHASE_BUCKETS = List.of(Duration.ofMillis(5), Duration.ofMillis(10),
            Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
            Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(5),
            Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(60));
    private final Map<String, Timer> phases = new ConcurrentHashMap<>();
    private final Counter pointsCharged;
    private RetirementTally retirements;
    private CachedLong browserMemory;
    private volatile IntSupplier challengeWaiting = () -> 0;
    private volatile LongSupplier challengeShared = () -> 0;
    private volatile FlareSolverrSessions sessions;
    private MultiGauge sessionsByKey;

    /**
     * FlareSolverr's sessions (PROTOCOL.md §10.4) as the operator sees them.
     *
     * @param max   the most that may exist at once, all keys together
     * @param byKey sessions alive now by the id of the key (account) that made them
     */
    public record FlareSolverrSessions(int max, java.util.function.Supplier<java.util.SortedMap<Long, Integer>> byKey) {
        /** Sessions alive now, every key together. */
        public int count() {
            return byKey.get().values().stream().mapToInt(Integer::intValue).sum();
        }
    }

    /** How a task ended, as a label. */
    public enum Outcome {
        READY, FAILED;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * @param lifecycle  the tasks, for queue depth and tasks solving
     * @param pointsHeld points held by unfinished tasks across every account (a store query)
     * @param pool       the browser pool, when there is one
     * @param nanoTicker time for the memory cache (System::nanoTime in the product)
     * @param build      the running build, shown as {@code turnpike_build_info{version,commit} 1}
     */
    public TurnpikeMetrics(Tasks lifecycle, LongSupplier pointsHeld, Optional<PoolView> pool,
                           LongSupplier nanoTicker, BuildInfo build) {
        // The "info" idiom of Prometheus: a constant 1 whose labels say what runs, joined onto other series by node.
        Gauge.builder("turnpike.build.info", () -> 1)
                .description("The running build: its version and the git commit it was built from")
                .tags("version", build.version(), "commit", build.commit()).register(registry);
        for (TaskType type : TaskType.values()) {
            Map<Outcome, Timer> byOutcome = new EnumMap<>(Outcome.class);
            for (Outcome outcome : Outcome.values()) {
                byOutcome.put(outcome, Timer.builder("turnpike.task.duration")
                        .description("Seconds from createTask to the task's end (time to ready for outcome=ready)")
                        .tags("type", type.wireName(), "outcome", outcome.label())
                        .serviceLevelObjectives(LATENCY_BUCKETS.toArray(Duration[]::new))
                        .register(registry));
            }
            durations.put(type, byOutcome);
            // Every series exists from the start at 0, so rate() and increase() see the first task.
            taskCounter(type, Outcome.READY, NO_REASON);
            for (FailReason reason : FailReason.values()) {
                taskCounter(type, Outcome.FAILED, reason.name());
            }
        }
        Gauge.builder("turnpike.queue.depth", lifecycle, Tasks::waiting)
                .description("Tasks waiting for a solver").strongReference(true).register(registry);
        Gauge.builder("turnpike.tasks.solving", lifecycle, Tasks::solving)
                .description("Tasks being solved now").strongReference(true).register(registry);
        Gauge.builder("turnpike.points.held", pointsHeld, s -> s.getAsLong())
                .description("Points held by unfinished tasks, every account").strongReference(true).register(registry);
        pointsCharged = Counter.builder("turnpike.points.charged")
                .description("Points captured by solved tasks since start").register(registry);
        pool.ifPresent(p -> registerPool(p, nanoTicker));
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    /** One phase of a browser solve (SolvePhase), by task type: where the time of a solve goes. */
    @Override
    public void phase(TaskType type, SolvePhase phase, Duration took) {
        phases.computeIfAbsent(type.name() + '/' + phase, k -> Timer.builder("turnpike.solve.phase")
                .description("Seconds each phase of a browser solve took, by task type and phase")
                .tags("type", type.wireName(), "phase", phase.label())
                .serviceLevelObjectives(PHASE_BUCKETS.toArray(Duration[]::new))
                .register(registry)).record(took);
    }

    /**
     * Challenge tasks waiting for an identical task's solve in flight, and those that started from one since start
     * (read when scraped), from the node's browser solvers.
     */
    public void watchChallengeFlights(IntSupplier waiting, LongSupplier shared) {
        challengeWaiting = waiting;
        challengeShared = shared;
        Gauge.builder("turnpike.challenge.waiting", waiting, IntSupplier::getAsInt)
                .description("CloudFlare5STasks waiting for an identical task's challenge solve (same site, proxy and"
                        + " user agent)").strongReference(true).register(registry);
        FunctionCounter.builder("turnpike.challenge.shared", shared, LongSupplier::getAsLong)
                .description("CloudFlare5STasks that waited for an identical task's challenge solve and started from"
                        + " its outcome instead of solving").register(registry);
    }

    /**
     * FlareSolverr's sessions of the node's pool (read when scraped): how many, the cap, and how many per key (by the
     * key's account id, never the key).
     */
    public void watchSessions(FlareSolverrSessions watched) {
        sessions = watched;
        Gauge.builder("turnpike.flaresolverr.sessions", watched, FlareSolverrSessions::count)
                .description("FlareSolverr sessions alive (each holds a browser context), every key together")
                .strongReference(true).register(registry);
        Gauge.builder("turnpike.flaresolverr.sessions.max", watched, FlareSolverrSessions::max)
                .description("FlareSolverr sessions that may exist at once (kept below the pool's slots)")
                .strongReference(true).register(registry);
        sessionsByKey = MultiGauge.builder("turnpike.flaresolverr.sessions.by.key")
                .description("FlareSolverr sessions alive, by the id of the key that made them").register(registry);
    }

    /** FlareSolverr's sessions, when this node's pool has them. */
    public Optional<FlareSolverrSessions> sessions() {
        return Optional.ofNullable(sessions);
    }

    /** Challenge tasks waiting now for an identical task's solve; 0 without browser solvers. */
    public int challengeWaiting() {
        return challengeWaiting.getAsInt();
    }

    /** Challenge tasks since start that started from an identical task's solve; 0 without browser solvers. */
    public long challengeShared() {
        return challengeShared.getAsLong();
    }

    private Counter taskCounter(TaskType type, Outcome outcome, String reason) {
        return tasks.computeIfAbsent(type.name() + '/' + outcome + '/' + reason, k -> Counter.builder("turnpike.tasks")
                .description("Tasks ended, by type, outcome and failure reason")
                .tags("type", type.wireName(), "outcome", outcome.label(), "reason", reason)
                .register(registry));
    }

    private void registerPool(PoolView pool, LongSupplier nanoTicker) {
        Supplier<PoolStats> stats = pool::stats;
        Gauge.builder("turnpike.pool.slots", stats, s -> s.get().busy())
                .tags("state", "busy").description("Browser slots (one task each) by state")
                .strongReference(true).register(registry);
        Gauge.builder("turnpike.pool.slots", stats, s -> PoolView.idleSlots(s.get(), pool.slotsPerBrowser()))
                .tags("state", "idle").description("Browser slots (one task each) by state")
                .strongReference(true).register(registry);
        Gauge.builder("turnpike.pool.waiting", stats, s -> s.get().waiting())
                .description("Tasks waiting for a browser slot").strongReference(true).register(registry);
        for (String state : List.of("READY", "DRAINING")) {
            Gauge.builder("turnpike.browsers", stats,
                            s -> s.get().browsers().stream().filter(b -> b.state().equals(state)).count())
                    .tags("state", state.toLowerCase(Locale.ROOT)).description("Live browsers by state")
                    .strongReference(true).register(registry);
        }
        Gauge.builder("turnpike.browsers", stats, s -> s.get().launching())
                .tags("state", "launching").description("Live browsers by state")
                .strongReference(true).register(registry);
        RetirementTally tally = new RetirementTally(pool);
        retirements = tally;
        for (RetireReason reason : RetireReason.values()) {
            FunctionCounter.builder("turnpike.browser.retired", tally, t -> t.count(reason))
                    .tags("reason", reason.name())
                    .description("Browsers retired (recycled, crashed, shut down) by reason").register(registry);
        }
        CachedLong memory = new CachedLong(pool::pssBytes, MEMORY_CACHE, nanoTicker);
        browserMemory = memory;
        Gauge.builder("turnpike.browser.memory", memory, CachedLong::get).baseUnit("bytes")
                .description("PSS of every browser process tree").strongReference(true).register(registry);
    }

    @Override
    public void taskEnded(Task task) {
        TaskState state = task.state();
        Duration took = Duration.between(task.createdAt(), state.endedAt());
        if (state instanceof TaskState.Failed failed) {
            taskCounter(task.type(), Outcome.FAILED, failed.reason().name()).increment();
            durations.get(task.type()).get(Outcome.FAILED).record(took);
        } else {
            taskCounter(task.type(), Outcome.READY, NO_REASON).increment();
            durations.get(task.type()).get(Outcome.READY).record(took);
            pointsCharged.increment(task.price());
        }
    }

    /** Everything, in the Prometheus text format. */
    public String scrape() {
        FlareSolverrSessions watched = sessions;
        if (watched != null) { // a key's series goes when its last session does
            sessionsByKey.register(watched.byKey().get().entrySet().stream().map(e -> MultiGauge.Row.of(
                    Tags.of("key_id", Long.toString(e.getKey())), e.getValue())).toList(), true);
        }
        return registry.scrape(CONTENT_TYPE);
    }

    /** Tasks ended with this outcome since start, every type and reason. */
    public long ended(Outcome outcome) {
        return tasks.values().stream().filter(c -> outcome.label().equals(c.getId().getTag("outcome")))
                .mapToLong(c -> (long) c.count()).sum();
    }

    /** Browsers retired since start by reason; empty without a pool. */
    public Map<RetireReason, Long> browsersRetired() {
        return retirements == null ? Map.of() : retirements.counts();
    }

    /** PSS of every browser process tree (read at most every few seconds); 0 without a pool. */
    public long browserMemoryBytes() {
        return browserMemory == null ? 0 : browserMemory.get();
    }

    public long pointsCharged() {
        return (long) pointsCharged.count();
    }

    /** One bar of the time-to-ready histogram: tasks at most {@code upTo} long (cumulative). */
    public record LatencyBucket(double upToSeconds, long count) {
    }

    /** The time-to-ready histogram of every type, cumulative as Prometheus has it. */
    public List<LatencyBucket> readyLatency() {
        double[] counts = new double[LATENCY_BUCKETS.size()];
        for (Map<Outcome, Timer> byOutcome : durations.values()) {
            CountAtBucket[] buckets = byOutcome.get(Outcome.READY).takeSnapshot().histogramCounts();
            for (CountAtBucket bucket : buckets) {
                int i = indexOf(bucket.bucket(TimeUnit.SECONDS));
                if (i >= 0) {
                    counts[i] += bucket.count();
                }
            }
        }
        List<LatencyBucket> out = new ArrayList<>();
        for (int i = 0; i < counts.length; i++) {
            out.add(new LatencyBucket(LATENCY_BUCKETS.get(i).toMillis() / 1000.0, (long) counts[i]));
        }
        return out;
    }

    private static int indexOf(double seconds) {
        for (int i = 0; i < LATENCY_BUCKETS.size(); i++) {
            if (Math.abs(LATENCY_BUCKETS.get(i).toMillis() / 1000.0 - seconds) < 1e-6) {
                return i;
            }
        }
        return -1;
    }

    /** A value that is costly to read (e.g. /proc of every browser), read at most once per period. */
    static final class CachedLong {
        private final LongSupplier source;
        private final long periodNanos;
        private final LongSupplier ticker;
        private long value;
        private long readAt;
        private boolean read;

        CachedLong(LongSupplier source, Duration period, LongSupplier ticker) {
            this.source = source;
            this.periodNanos = period.toNanos();
            this.ticker = ticker;
        }

        synchronized long get() {
            long now = ticker.getAsLong();
            if (!read || now - readAt >= periodNanos) {
                value = source.getAsLong();
                readAt = now;
                read = true;
            }
            return value;
        }
    }
}
