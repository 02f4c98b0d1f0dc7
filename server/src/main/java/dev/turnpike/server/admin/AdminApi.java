package dev.turnpike.server.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.turnpike.server.build.BuildInfo;
import dev.turnpike.server.account.AccountInfo;
import dev.turnpike.server.account.Accounts;
import dev.turnpike.server.account.CreatedKey;
import dev.turnpike.server.account.Points;
import dev.turnpike.server.browser.pool.PoolStats;
import dev.turnpike.server.metrics.PoolView;
import dev.turnpike.server.metrics.TurnpikeMetrics;
import dev.turnpike.server.task.Tasks;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.IntSupplier;

/**
 * What the admin API does, apart from HTTP: the status snapshot and the key actions. Answers are records that
 * Jackson writes as they are; times are epoch milliseconds. Nothing secret leaves here except the full key of a
 * key just created, which is shown once.
 */
public final class AdminApi {

    /** Bad input from the caller: HTTP 400 with this message. */
    public static final class BadRequest extends RuntimeException {
        public BadRequest(String message) {
            super(message);
        }
    }

    public record Queue(int waiting, int solving, int capacity, int workers) {
    }

    public record Totals(long ready, long failed, long pointsCharged, long pointsHeld) {
    }

    public record Slice(long start, int ready, int failed, long meanReadyMs, long maxReadyMs) {
    }

    public record Timeline(long sliceMs, List<Slice> slices) {
    }

    public record Browser(long id, String state, int busy, int warm, int warming, long served) {
    }

    /**
     * @param challengeWaiting challenge tasks waiting for an identical task's solve in flight
     * @param challengeShared  challenge tasks since start that started from an identical task's solve
     */
    public record Pool(int slotsPerBrowser, int busy, int idle, int warm, int waiting, long memoryBytes,
                       Map<String, Long> retired, List<Browser> browsers, int challengeWaiting, long challengeShared,
                       Sessions sessions) {
    }

    /**
     * FlareSolverr's sessions on the pool: each holds a slot.
     *
     * @param byKey the keys that have sessions now, by account id (the key's prefix, never the key)
     */
    public record Sessions(int count, int max, List<SessionsOfKey> byKey) {
    }

    public record SessionsOfKey(long id, String name, String keyPrefix, int sessions) {
    }

    /**
     * @param build what runs: version and commit
     * @param pool  null when the server has no browser pool
     */
    public record Stats(long now, BuildInfo build, Queue queue, Totals totals, Timeline timeline,
                        List<TurnpikeMetrics.LatencyBucket> latency, Pool pool,
                        List<RecentTasks.Ended> latest, List<RecentTasks.Ended> failures, List<Key> keys) {
    }

    /** A key as listed: its prefix, never the key. */
    public record Key(long id, String name, String keyPrefix, boolean active, long balance, long held,
                      long available, long createdAt) {
        public static Key of(AccountInfo a) {
            return new Key(a.id(), a.name(), a.keyPrefix(), a.active(), a.balance(), a.held(), a.available(),
                    a.createdAt().toEpochMilli());
        }
    }

    /** A key just created: the full key, shown this once. */
    public record Created(long id, String name, String keyPrefix, long points, String key) {
    }

    public record ToppedUp(String keyPrefix, long points, long available) {
    }

    private final Tasks tasks;
    private final int queueCapacity;
    private final IntSupplier workers;
    private final Accounts accounts;
    private final TurnpikeMetrics metrics;
    private final TaskTimeline timeline;
    private final RecentTasks recent;
    private final Optional<PoolView> pool;
    private final Clock clock;
    private final BuildInfo build;

    /** @param workers tasks solved at once (a cluster's: its live solving nodes' together), read at every call */
    public AdminApi(Tasks tasks, int queueCapacity, IntSupplier workers, Accounts accounts, TurnpikeMetrics metrics,
                    TaskTimeline timeline, RecentTasks recent, Optional<PoolView> pool, Clock clock, BuildInfo build) {
        this.build = build;
        this.tasks = tasks;
        this.queueCapacity = queueCapacity;
        this.workers = workers;
        this.accounts = accounts;
        this.metrics = metrics;
        this.timeline = timeline;
        this.recent = recent;
        this.pool = pool;
        this.clock = clock;
    }

    public Stats stats() {
        List<Key> keys = keys();
        long held = keys.stream().mapToLong(Key::held).sum();
        Totals totals = new Totals(metrics.ended(TurnpikeMetrics.Outcome.READY),
                metrics.ended(TurnpikeMetrics.Outcome.FAILED), metrics.pointsCharged(), held);
        List<Slice> slices = timeline.slices().stream().map(s -> new Slice(s.start().toEpochMilli(), s.ready(),
                s.failed(), s.meanReadyMs(), s.maxReadyMs())).toList();
        return new Stats(clock.millis(), build,
                new Queue(tasks.waiting(), tasks.solving(), queueCapacity, workers.getAsInt()), totals,
                new Timeline(timeline.sliceMillis(), slices), metrics.readyLatency(),
                pool.map(view -> pool(view, keys)).orElse(null), recent.latest(), recent.failures(), keys);
    }

    private Pool pool(PoolView view, List<Key> keys) {
        PoolStats stats = view.stats();
        Map<String, Long> retired = new TreeMap<>();
        metrics.browsersRetired().forEach((reason, n) -> retired.put(reason.name(), n));
        return new Pool(view.slotsPerBrowser(), stats.busy(), PoolView.idleSlots(stats, view.slotsPerBrowser()),
                stats.warm(), stats.waiting(), metrics.browserMemoryBytes(), retired,
                stats.browsers().stream().map(b -> new Browser(b.id(), b.state(), b.busy(), b.warm(), b.warming(),
                        b.served())).toList(), metrics.challengeWaiting(), metrics.challengeShared(),
                metrics.sessions().map(watched -> sessions(watched, keys)).orElse(null));
    }

    private static Sessions sessions(TurnpikeMetrics.FlareSolverrSessions watched, List<Key> keys) {
        Map<Long, Key> byId = new java.util.HashMap<>();
        keys.forEach(k -> byId.put(k.id(), k));
        List<SessionsOfKey> byKey = new java.util.ArrayList<>();
        watched.byKey().get().forEach((id, n) -> {
            Key key = byId.get(id);
            byKey.add(new SessionsOfKey(id, key == null ? "" : key.name(), key == null ? "" : key.keyPrefix(), n));
        });
        return new Sessions(byKey.stream().mapToInt(SessionsOfKey::sessions).sum(), watched.max(), byKey);
    }

    public List<Key> keys() {
        return accounts.list().stream().map(Key::of).toList();
    }

    /** {@code {"name": "...", "points": n}}, both optional. */
    public Created create(JsonNode body) {
        String name = text(body, "name", "");
        if (name.length() > 200) {
            throw new BadRequest("name is longer than 200 characters");
        }
        long points = number(body, "points", 0);
        String problem = Points.problemWithInitial("points", points);
        if (problem != null) {
            throw new BadRequest(problem);
        }
        CreatedKey created = accounts.createKey(name, points);
        return new Created(created.account().id(), name, created.account().keyPrefix(), points, created.key());
    }

    /** {@code {"key": "full key or prefix", "points": n > 0}}. */
    public ToppedUp topUp(JsonNode body) {
        String key = requiredKey(body);
        long points = number(body, "points", -1);
        String problem = Points.problemWithTopUp("points", points);
        if (problem != null) {
            throw new BadRequest(problem);
        }
        try {
            long available = accounts.topUp(key, points);
            return new ToppedUp(prefixOf(key), points, available);
        } catch (IllegalArgumentException e) {
            throw new BadRequest(e.getMessage());
        }
    }

    /** {@code {"key": "full key or prefix"}}. */
    public Key revoke(JsonNode body) {
        String key = requiredKey(body);
        try {
            return Key.of(accounts.revoke(key));
        } catch (IllegalArgumentException e) {
            throw new BadRequest(e.getMessage());
        }
    }

    private static String prefixOf(String key) {
        return dev.turnpike.server.account.ClientKeys.prefix(key);
    }

    private static String requiredKey(JsonNode body) {
        String key = text(body, "key", "");
        if (key.isEmpty() || key.length() > 256) {
            throw new BadRequest("key is required: the full key or the prefix the key list shows");
        }
        return key;
    }

    private static String text(JsonNode body, String field, String fallback) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return fallback;
        }
        if (!node.isTextual()) {
            throw new BadRequest(field + " must be a string");
        }
        return node.textValue().strip();
    }

    private static long number(JsonNode body, String field, long fallback) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return fallback;
        }
        if (node.isIntegralNumber() && node.canConvertToLong()) {
            return node.longValue();
        }
        if (node.isTextual() && node.textValue().strip().matches("-?\\d{1,18}")) {
            return Long.parseLong(node.textValue().strip());
        }
        throw new BadRequest(field + " must be a whole number");
    }
}
