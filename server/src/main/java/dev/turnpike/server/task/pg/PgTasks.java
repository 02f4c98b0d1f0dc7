package dev.turnpike.server.task.pg;

import dev.turnpike.server.account.Account;
import dev.turnpike.server.account.JdbcAccounts;
import dev.turnpike.server.store.StoreException;
import dev.turnpike.server.store.Transactions;
import dev.turnpike.server.task.Dialect;
import dev.turnpike.server.task.FailReason;
import dev.turnpike.server.task.Solution;
import dev.turnpike.server.task.SolvingHere;
import dev.turnpike.server.task.Task;
import dev.turnpike.server.task.TaskEnding;
import dev.turnpike.server.task.TaskId;
import dev.turnpike.server.task.TaskState;
import dev.turnpike.server.task.TaskType;
import dev.turnpike.server.task.TaskSpec;
import dev.turnpike.server.task.Tasks;
import dev.turnpike.server.task.Tasks.EndListener;
import dev.turnpike.server.task.Tasks.Submission;
import dev.turnpike.server.task.Tasks.Timing;
import dev.turnpike.server.task.Uninterrupted;
import java.net.URI;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tasks of a cluster in PostgreSQL, shared by every API and solver node.
 *
 * <ul>
 *   <li>Submit: the points are held and the row inserted in one transaction, which notifies
 *       {@value PgNotifications#QUEUED} on commit.</li>
 *   <li>Claim: one statement takes the oldest queued task with {@code FOR UPDATE SKIP LOCKED}, so concurrent
 *       claimers never wait for each other and never get the same task. A claim is a lease: the node renews the
 *       leases of the tasks it holds at every heartbeat; a node that stops renewing loses them.</li>
 *   <li>End: the row's state changes only if this node still holds the claim it made (claimed_by and the attempt
 *       number fence off a node that lost its lease), and the hold is captured or released in that same
 *       transaction, so a task is charged at most once whatever races.</li>
 *   <li>Sweep: the deadline, lost leases (requeued once, then failed with NODE_LOST) and the retention, done by
 *       one node at a time (a PostgreSQL advisory lock), each task in its own short transaction.</li>
 * </ul>
 *
 * Timestamps come from the injected clock of each node: keep the nodes' clocks synchronised (NTP).
 */
public final class PgTasks implements Tasks, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PgTasks.class);

    /** Key of the advisory lock the sweeping node holds ("tp-sweep"). */
    static final long SWEEP_LOCK = 0x74702d7377656570L;
    /** A task is claimed at most this many times: once, and once more after its node was lost. */
    static final int MAX_CLAIMS = 2;

    private static final String COLUMNS = "id, account_id, key_prefix, type, spec, price, callback_url, dialect, "
            + "state, created_at, deadline, attempts, solving_since, solution, fail_reason, fail_text, ended_at";

    /**
     * How this node takes part.
     *
     * @param nodeName  unique per node: claims carry it
     * @param types     the task types this node's workers solve (empty for an API node: it never claims)
     * @param capacity  queued tasks above which createTask answers ERROR_NO_SLOT_AVAILABLE
     * @param lease     how long a claim lasts without renewal
     * @param poll      idle claimers look for tasks this often even without a notification
     * @param sweep     how often this node tries to run the cluster-wide sweep
     */
    public record Options(String nodeName, Set<TaskType> types, int capacity, Duration lease, Duration poll,
                          Duration sweep) {
    }

    /**
     * A task this node claimed: the attempt number fences its end against a later claim by another node; the lock
     * makes "record the end in the store, then end the local task" one step for this node, so the heartbeat never
     * takes a task that was just recorded for a lost one.
     */
    record Claim(Task task, int attempt, ReentrantLock ending) {
        Claim(Task task, int attempt) {
            this(task, attempt, new ReentrantLock());
        }
    }

    private final DataSource db;
    private final JdbcAccounts holds;
    private final Clock clock;
    private final Timing timing;
    private final Options options;
    private final PgNotifications notifications;
    private final TaskEnding ending = new TaskEnding();
    private final Map<TaskId, Claim> claims = new ConcurrentHashMap<>();
    private final Map<Long, CompletableFuture<Void>> awaited = new ConcurrentHashMap<>();
    private final SolvingHere solvingHere = new SolvingHere();
    private final CountDownLatch stopClaiming = new CountDownLatch(1);
    /** Claims hold it shared; {@link #stopClaiming} takes it alone, so no claim is under way once it returns. */
    private final ReentrantReadWriteLock claiming = new ReentrantReadWriteLock();
    private volatile boolean accepting = true;
    private volatile Instant lastHeartbeat = Instant.MIN;
    private volatile Instant lastSweep = Instant.MIN;

    public PgTasks(DataSource db, JdbcAccounts holds, Clock clock, Timing timing, Options options) {
        this.db = db;
        this.holds = holds;
        this.clock = clock;
        this.timing = timing;
        this.options = options;
        this.notifications = new PgNotifications(db, this::endedSomewhere);
    }

    /** Starts listening for notifications. */
    public PgTasks start() {
        notifications.start();
        return this;
    }

    @Override
    public void addEndListener(EndListener listener) {
        ending.addListener(listener);
    }

    // --- submit and read ---------------------------------------------------------------------------------------

    @Override
    public Submission submit(Account account, TaskSpec spec, long price, URI callbackUrl, Dialect dialect) {
        if (!accepting) {
            return new Submission.ShuttingDown();
        }
        Instant now = clock.instant();
        String specJson = TaskJson.spec(spec);
        return inTransaction("submit", c -> {
            long id;
            try (PreparedStatement st = c.prepareStatement("SELECT nextval('task_id_seq')");
                 ResultSet rs = st.executeQuery()) {
                rs.next();
                id = rs.getLong(1);
            }
            Task task = new Task(new TaskId(id), account.id(), account.keyPrefix(), spec, price, now,
                    now.plus(timing.deadline()), callbackUrl, dialect);
            if (!holds.hold(c, account.id(), id, price)) {
                c.rollback();
                return new Submission.ZeroBalance();
            }
            if (queued(c) >= options.capacity()) {
                c.rollback();
                return new Submission.QueueFull();
            }
            try (PreparedStatement st = c.prepareStatement("""
                    INSERT INTO task (id, account_id, key_prefix, type, spec, price, callback_url, state, created_at, deadline,
                                      dialect)
                    VALUES (?, ?, ?, ?, ?, ?, ?, 'QUEUED', ?, ?, ?)""")) {
                st.setLong(1, id);
                st.setLong(2, account.id());
                st.setString(3, account.keyPrefix());
                st.setString(4, spec.type().name());
                st.setString(5, specJson);
                st.setLong(6, price);
                st.setString(7, callbackUrl == null ? null : callbackUrl.toString());
                st.setTimestamp(8, Timestamp.from(now));
                st.setTimestamp(9, Timestamp.from(task.deadline()));
                st.setString(10, dialect.name());
                st.executeUpdate();
            }
            notify(c, PgNotifications.QUEUED, "");
            return new Submission.Accepted(task);
        });
    }

    @Override
    public Task find(TaskId id) {
        try (Connection c = db.getConnection();
             PreparedStatement st = c.prepareStatement("SELECT " + COLUMNS + " FROM task WHERE id = ?")) {
            st.setLong(1, id.value());
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? restore(rs) : null;
            }
        } catch (SQLException e) {
            throw new StoreException("find task", e);
        }
    }

    @Override
    public Task awaitEnd(Task task, Duration maxWait) throws InterruptedException {
        long id = task.id().value();
        Instant until = clock.instant().plus(maxWait);
        CompletableFuture<Void> signal = awaited.computeIfAbsent(id, k -> new CompletableFuture<>());
        try {
            while (true) {
                Task now = find(task.id());
                if (now == null || now.state().ended()) {
                    return now == null ? task : now;
                }
                Duration left = Duration.between(clock.instant(), until);
                if (left.isNegative() || left.isZero()) {
                    return now;
                }
                // The notification wakes us at once; the poll covers one missed while the LISTEN connection was down.
                Duration step = left.compareTo(options.poll()) < 0 ? left : options.poll();
                try {
                    signal.get(step.toMillis(), TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    // look again
                } catch (java.util.concurrent.ExecutionException e) {
                    throw new IllegalStateException(e);
                }
            }
        } finally {
            awaited.remove(id, signal);
        }
    }

    private void endedSomewhere(long id) {
        CompletableFuture<Void> signal = awaited.get(id);
        if (signal != null) {
            signal.complete(null);
        }
    }

    // --- claim and solve ---------------------------------------------------------------------------------------

    @Override
    public Task take() throws InterruptedException {
        if (options.types().isEmpty()) {
            throw new IllegalStateException("this node solves no task type; it must not take tasks");
        }
        while (true) {
            if (stopClaiming.getCount() == 0) {
                Thread.sleep(Long.MAX_VALUE); // draining: claim nothing new; the worker waits here until stopped
            }
            long generation = notifications.queuedGeneration();
            Claim claim;
            try {
                claim = claim();
            } catch (StoreException e) {
                log.warn("claiming failed, trying again in {} ms: {}", options.poll().toMillis(), e.getMessage());
                Thread.sleep(options.poll().toMillis());
                continue;
            }
            if (claim != null) {
                return claim.task();
            }
            notifications.awaitQueued(generation, options.poll());
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
    }

    /**
     * Claims the oldest queued task of a type this node solves, or returns null when there is none or this node
     * stopped claiming.
     */
    Claim claim() {
        claiming.readLock().lock();
        try {
            return stopClaiming.getCount() == 0 ? null : claimUnlocked();
        } finally {
            claiming.readLock().unlock();
        }
    }

    private Claim claimUnlocked() {
        Instant now = clock.instant();
        String sql = """
                UPDATE task SET state = 'SOLVING', claimed_by = ?, lease_until = ?, attempts = attempts + 1,
                    solving_since = ?
                WHERE id = (SELECT id FROM task WHERE state = 'QUEUED' AND type = ANY (?) AND deadline > ?
                            ORDER BY created_at, id LIMIT 1 FOR UPDATE SKIP LOCKED)
                RETURNING\s""" + COLUMNS;
        try (Connection c = db.getConnection(); PreparedStatement st = c.prepareStatement(sql)) {
            Array types = c.createArrayOf("varchar", options.types().stream().map(Enum::name).toArray());
            st.setString(1, options.nodeName());
            st.setTimestamp(2, Timestamp.from(now.plus(options.lease())));
            st.setTimestamp(3, Timestamp.from(now));
            st.setArray(4, types);
            st.setTimestamp(5, Timestamp.from(now));
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                Task task = restoreQueued(rs);
                Claim claim = new Claim(task, rs.getInt("attempts"));
                claims.put(task.id(), claim);
                return claim;
            }
        } catch (SQLException e) {
            throw new StoreException("claim", e);
        }
    }

    @Override
    public boolean startSolving(Task task) {
        return solvingHere.start(task, clock.instant(), t -> fail(t, FailReason.DEADLINE, timing.deadlineMissed()));
    }

    @Override
    public void stopSolving(Task task) {
        solvingHere.stop(task);
        claims.remove(task.id());
    }

    @Override
    public void complete(Task task, Solution solution) {
        endClaimed(task, new TaskState.Ready(solution, clock.instant()));
    }

    @Override
    public void fail(Task task, FailReason reason, String description) {
        endClaimed(task, new TaskState.Failed(reason, description, clock.instant()));
    }

    /** Ends a task this node claimed, if its claim still stands; then ends the local copy (interrupting on failure). */
    private void endClaimed(Task task, TaskState finalState) {
        Claim claim = claims.get(task.id());
        if (claim == null) {
            endUnclaimed(task, finalState);
            return;
        }
        claim.ending().lock();
        try {
            if (!task.endDecided()) { // else ended here already: recorded, or found lost; nothing more to write
                endClaimedLocked(task, claim, finalState);
            }
        } finally {
            claim.ending().unlock();
        }
    }

    private void endUnclaimed(Task task, TaskState finalState) {
        endHere(task, new TaskState.Failed(FailReason.NODE_LOST, "The claim on the task was lost", clock.instant()),
                !(finalState instanceof TaskState.Ready));
    }

    /**
     * Ends this node's copy of a task without recording anything (the store already holds how it ended, or that
     * this node lost it), interrupting its solver when asked. @return whether this call ended it
     */
    private static boolean endHere(Task task, TaskState finalState, boolean interrupt) {
        if (!task.end(finalState, interrupt)) {
            return false;
        }
        task.publishEnd();
        task.notifyEnded();
        return true;
    }

    private void endClaimedLocked(Task task, Claim claim, TaskState finalState) {
        boolean ready = finalState instanceof TaskState.Ready;
        boolean recorded = Uninterrupted.call(() -> inTransaction("end task", c -> {
            String sql = "UPDATE task SET state = ?, solution = ?, fail_reason = ?, fail_text = ?, ended_at = ?, "
                    + "lease_until = NULL WHERE id = ? AND state = 'SOLVING' AND claimed_by = ? AND attempts = ?"
                    + (ready ? " AND deadline > ?" : "");
            try (PreparedStatement st = c.prepareStatement(sql)) {
                setEnd(st, finalState);
                st.setLong(6, task.id().value());
                st.setString(7, options.nodeName());
                st.setInt(8, claim.attempt());
                if (ready) {
                    st.setTimestamp(9, Timestamp.from(finalState.endedAt()));
                }
                if (st.executeUpdate() != 1) {
                    return false;
                }
            }
            holds.settle(c, task.id().value(), ready ? task.charge(((TaskState.Ready) finalState).solution()) : -1,
                    ready ? null : ((TaskState.Failed) finalState).reason().name());
            notify(c, PgNotifications.ENDED, task.id().toString());
            return true;
        }));
        if (recorded) {
            endLocally(task, finalState, true);
        } else {
            // Another node ended it (deadline sweep) or took it over (our lease lapsed): stop here, say nothing.
            endUnclaimed(task, finalState);
            log.info("task {}: {} not recorded, this node no longer holds the task", task.id(),
                    ready ? "solution" : "failure");
        }
    }

    /** Logs the end the store recorded and tells the listeners, with the task in that state. */
    private void endLocally(Task task, TaskState finalState, boolean interrupt) {
        if (task.end(finalState, interrupt && finalState instanceof TaskState.Failed)) {
            task.publishEnd(); // the points were settled in the transaction that recorded the end
        }
        Task recorded = Task.restored(task.id(), task.accountId(), task.keyPrefix(), task.spec(), task.price(),
                task.createdAt(), task.deadline(), task.callbackUrl(), task.dialect(), finalState);
        ending.ended(task, recorded, finalState);
    }

    // --- heartbeat and sweeps ----------------------------------------------------------------------------------

    /**
     * Renews this node's leases (every third of the lease), fails the tasks it holds past their deadline
     * (interrupting their solvers), and, when due and no other node is at it, runs the cluster-wide sweep.
     */
    @Override
    public void housekeep() {
        Instant now = clock.instant();
        if (!now.isBefore(lastHeartbeat.plus(options.lease().dividedBy(3))) || now.isBefore(lastHeartbeat)) {
            renewLeases(now);
            lastHeartbeat = now;
        }
        for (Claim claim : List.copyOf(claims.values())) {
            if (!now.isBefore(claim.task().deadline()) && !claim.task().endDecided()) {
                fail(claim.task(), FailReason.DEADLINE, timing.deadlineMissed());
            }
        }
        if (!now.isBefore(lastSweep.plus(options.sweep())) || now.isBefore(lastSweep)) {
            lastSweep = now;
            sweepIfFirst();
        }
    }

    /**
     * Extends the leases of the tasks this node holds, and only those: a row this node claimed but no longer works
     * on lapses and goes back to the queue. A task whose row this node no longer holds (its lease lapsed, or another
     * node ended it) is stopped here.
     */
    void renewLeases(Instant now) {
        List<Claim> held = List.copyOf(claims.values()); // before the update: a claim made meanwhile is not judged
        if (held.isEmpty()) {
            return;
        }
        Map<Long, Integer> kept = new java.util.HashMap<>();
        try (Connection c = db.getConnection();
             PreparedStatement st = c.prepareStatement("UPDATE task SET lease_until = ? WHERE claimed_by = ? "
                     + "AND state = 'SOLVING' AND id = ANY (?) RETURNING id, attempts")) {
            st.setTimestamp(1, Timestamp.from(now.plus(options.lease())));
            st.setString(2, options.nodeName());
            st.setArray(3, c.createArrayOf("bigint", held.stream().map(h -> h.task().id().value()).toArray()));
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    kept.put(rs.getLong(1), rs.getInt(2));
                }
            }
        } catch (SQLException e) {
            log.warn("renewing leases failed: {}", e.getMessage());
            return;
        }
        for (Claim claim : held) {
            Integer attempt = kept.get(claim.task().id().value());
            if ((attempt == null || attempt != claim.attempt()) && claim.ending().tryLock()) {
                try {
                    Task task = claim.task();
                    if (!task.endDecided()) { // else its worker recorded the end just now
                        log.warn("task {}: this node no longer holds it (ended elsewhere, or its lease lapsed); "
                                + "stopping its solve", task.id());
                        endHere(task, new TaskState.Failed(FailReason.NODE_LOST, "The claim on the task was lost",
                                clock.instant()), true);
                    }
                } finally {
                    claim.ending().unlock();
                }
            }
        }
    }

    /** The cluster-wide sweep, under an advisory lock so that one node at a time runs it. @return whether it ran */
    boolean sweepIfFirst() {
        try (Connection lockHolder = db.getConnection()) {
            if (!tryLock(lockHolder)) {
                return false;
            }
            try {
                sweep();
            } finally {
                try (PreparedStatement st = lockHolder.prepareStatement("SELECT pg_advisory_unlock(?)")) {
                    st.setLong(1, SWEEP_LOCK);
                    st.executeQuery().close();
                }
            }
            return true;
        } catch (SQLException e) {
            log.warn("sweep failed: {}", e.getMessage());
            return false;
        }
    }

    private static boolean tryLock(Connection c) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
            st.setLong(1, SWEEP_LOCK);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    private void sweep() throws SQLException {
        Instant now = clock.instant();
        for (long id : ids("SELECT id FROM task WHERE state IN ('QUEUED', 'SOLVING') AND deadline <= ?", now)) {
            endBySweep(id, "deadline <= ?", now, new TaskState.Failed(FailReason.DEADLINE, timing.deadlineMissed(), now));
        }
        int requeued = update("UPDATE task SET state = 'QUEUED', claimed_by = NULL, lease_until = NULL, "
                + "solving_since = NULL WHERE state = 'SOLVING' AND lease_until < ? AND attempts < " + MAX_CLAIMS, now);
        if (requeued > 0) {
            log.warn("{} task(s) of a lost solver node queued again", requeued);
            try (Connection c = db.getConnection()) {
                notify(c, PgNotifications.QUEUED, "");
            }
        }
        for (long id : ids("SELECT id FROM task WHERE state = 'SOLVING' AND lease_until < ?", now)) {
            endBySweep(id, "lease_until < ?", now, new TaskState.Failed(FailReason.NODE_LOST,
                    "The solver node running the task was lost twice", now));
        }
        try (Connection c = db.getConnection();
             PreparedStatement st = c.prepareStatement(
                     "DELETE FROM task WHERE state IN ('READY', 'FAILED') AND created_at <= ? AND ended_at <= ?")) {
            st.setTimestamp(1, Timestamp.from(now.minus(timing.retention())));
            st.setTimestamp(2, Timestamp.from(now.minus(timing.retentionAfterEnd())));
            st.executeUpdate();
        }
    }

    /** Fails one unfinished task if {@code condition} still holds for it, releasing its points in the same transaction. */
    private void endBySweep(long id, String condition, Instant now, TaskState.Failed failed) {
        Task task = inTransaction("sweep task", c -> {
            String sql = "UPDATE task SET state = 'FAILED', fail_reason = ?, fail_text = ?, ended_at = ?, "
                    + "lease_until = NULL WHERE id = ? AND state IN ('QUEUED', 'SOLVING') AND " + condition
                    + " RETURNING " + COLUMNS;
            Task ended;
            try (PreparedStatement st = c.prepareStatement(sql)) {
                st.setString(1, failed.reason().name());
                st.setString(2, failed.description());
                st.setTimestamp(3, Timestamp.from(now));
                st.setLong(4, id);
                st.setTimestamp(5, Timestamp.from(now));
                try (ResultSet rs = st.executeQuery()) {
                    if (!rs.next()) {
                        return null;
                    }
                    ended = restore(rs);
                }
            }
            holds.settle(c, id, false, failed.reason().name());
            notify(c, PgNotifications.ENDED, Long.toString(id));
            return ended;
        });
        if (task != null) {
            endLocally(task, task.state(), false);
            Claim mine = claims.get(task.id());
            if (mine != null) { // this node was solving it: stop the solve too
                mine.ending().lock();
                try {
                    endHere(mine.task(), failed, true);
                } finally {
                    mine.ending().unlock();
                }
            }
        }
    }

    // --- draining and stopping ---------------------------------------------------------------------------------

    /** Claims nothing more, from the moment it returns (a claim under way finishes first); the tasks claimed run on. */
    public void stopClaiming() {
        claiming.writeLock().lock();
        try {
            stopClaiming.countDown();
        } finally {
            claiming.writeLock().unlock();
        }
    }

    /** Tasks this node is solving now. */
    public int solvingHere() {
        return solvingHere.count();
    }

    /** Waits until this node holds no task, at most {@code max}. @return whether it holds none */
    public boolean awaitIdle(Duration max) throws InterruptedException {
        Instant until = Instant.now().plus(max);
        while (!claims.isEmpty() && Instant.now().isBefore(until)) {
            Thread.sleep(50);
        }
        return claims.isEmpty();
    }

    /** The latest deadline of the tasks this node holds, or now. */
    public Instant latestDeadlineHeld() {
        return claims.values().stream().map(c -> c.task().deadline()).max(Instant::compareTo).orElse(clock.instant());
    }

    /** Stops accepting; the tasks this node still holds fail with SHUTDOWN (drain first to avoid it). */
    @Override
    public void shutdown() {
        accepting = false;
        stopClaiming();
        for (Claim claim : List.copyOf(claims.values())) {
            fail(claim.task(), FailReason.SHUTDOWN, "The server is shutting down");
        }
    }

    @Override
    public void close() {
        notifications.close();
    }

    // --- stats -------------------------------------------------------------------------------------------------

    @Override
    public int waiting() {
        try (Connection c = db.getConnection()) {
            return queued(c);
        } catch (SQLException e) {
            throw new StoreException("count queued", e);
        }
    }

    @Override
    public int solving() {
        try (Connection c = db.getConnection();
             PreparedStatement st = c.prepareStatement("SELECT count(*) FROM task WHERE state = 'SOLVING'");
             ResultSet rs = st.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        } catch (SQLException e) {
            throw new StoreException("count solving", e);
        }
    }

    @Override
    public double recentSpeedSeconds() {
        return ending.recentSpeedSeconds();
    }

    // --- rows ----------------------------------------------------------------------------------------------------

    private static int queued(Connection c) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT count(*) FROM task WHERE state = 'QUEUED'");
             ResultSet rs = st.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static void setEnd(PreparedStatement st, TaskState state) throws SQLException {
        switch (state) {
            case TaskState.Ready r -> {
                st.setString(1, "READY");
                st.setString(2, TaskJson.solution(r.solution()));
                st.setString(3, null);
                st.setString(4, null);
            }
            case TaskState.Failed f -> {
                st.setString(1, "FAILED");
                st.setString(2, null);
                st.setString(3, f.reason().name());
                st.setString(4, f.description() == null ? null
                        : f.description().substring(0, Math.min(500, f.description().length())));
            }
            default -> throw new IllegalArgumentException("not a final state: " + state);
        }
        st.setTimestamp(5, Timestamp.from(state.endedAt()));
    }

    /** The row as a task in its stored state. */
    private static Task restore(ResultSet rs) throws SQLException {
        TaskType type = TaskType.valueOf(rs.getString("type"));
        TaskState state = switch (rs.getString("state")) {
            case "QUEUED" -> new TaskState.Queued();
            case "SOLVING" -> new TaskState.Solving(rs.getTimestamp("solving_since").toInstant());
            case "READY" -> new TaskState.Ready(TaskJson.solution(type, rs.getString("solution")),
                    rs.getTimestamp("ended_at").toInstant());
            case "FAILED" -> new TaskState.Failed(FailReason.valueOf(rs.getString("fail_reason")),
                    rs.getString("fail_text"), rs.getTimestamp("ended_at").toInstant());
            default -> throw new IllegalStateException("unknown task state " + rs.getString("state"));
        };
        return restoreIn(rs, type, state);
    }

    /** A claimed row as a task a worker is about to start (its local state begins as queued). */
    private static Task restoreQueued(ResultSet rs) throws SQLException {
        return restoreIn(rs, TaskType.valueOf(rs.getString("type")), new TaskState.Queued());
    }

    private static Task restoreIn(ResultSet rs, TaskType type, TaskState state) throws SQLException {
        String callback = rs.getString("callback_url");
        return Task.restored(new TaskId(rs.getLong("id")), rs.getLong("account_id"), rs.getString("key_prefix"),
                TaskJson.spec(type, rs.getString("spec")), rs.getLong("price"),
                rs.getTimestamp("created_at").toInstant(), rs.getTimestamp("deadline").toInstant(),
                callback == null ? null : URI.create(callback), Dialect.valueOf(rs.getString("dialect")), state);
    }

    private List<Long> ids(String sql, Instant now) throws SQLException {
        List<Long> out = new ArrayList<>();
        try (Connection c = db.getConnection(); PreparedStatement st = c.prepareStatement(sql)) {
            st.setTimestamp(1, Timestamp.from(now));
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getLong(1));
                }
            }
        }
        return out;
    }

    private int update(String sql, Instant now) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement st = c.prepareStatement(sql)) {
            st.setTimestamp(1, Timestamp.from(now));
            return st.executeUpdate();
        }
    }

    private static void notify(Connection c, String channel, String payload) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT pg_notify(?, ?)")) {
            st.setString(1, channel);
            st.setString(2, payload);
            st.executeQuery().close();
        }
    }

    private <T> T inTransaction(String what, Transactions.Work<T> work) {
        return Transactions.run(db, what, work);
    }

}
