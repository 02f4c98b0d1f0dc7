package dev.turnpike.server.task.pg;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongConsumer;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL's LISTEN/NOTIFY on one dedicated connection: a new queued task wakes this node's idle claimers at
 * once (no sleep-polling latency), an ended task wakes whoever waits for it (createSyncTask). When the connection
 * drops it is opened again; the claimers' slow fallback poll covers the notifications missed meanwhile.
 */
final class PgNotifications implements AutoCloseable {

    static final String QUEUED = "turnpike_task_queued";
    static final String ENDED = "turnpike_task_ended";

    private static final Logger log = LoggerFactory.getLogger(PgNotifications.class);

    private final DataSource db;
    private final LongConsumer ended;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition queuedSignal = lock.newCondition();
    private final AtomicLong queuedGeneration = new AtomicLong();
    private final Thread thread;
    private volatile boolean closed;
    private volatile Connection connection;

    /** @param ended told the id of every task some node ended */
    PgNotifications(DataSource db, LongConsumer ended) {
        this.db = db;
        this.ended = ended;
        this.thread = Thread.ofPlatform().name("pg-listen").daemon(true).unstarted(this::run);
    }

    /** Starts listening; returns once the LISTEN is in place (or the first attempt failed). */
    void start() {
        try {
            connection = listen();
        } catch (SQLException e) {
            log.warn("LISTEN failed, will retry: {}", e.getMessage());
        }
        thread.start();
    }

    /** A number that changes with every queued-task notification; pass it to {@link #awaitQueued}. */
    long queuedGeneration() {
        return queuedGeneration.get();
    }

    /**
     * Waits until a task was queued since {@code generation} was read, at most {@code max}.
     */
    void awaitQueued(long generation, Duration max) throws InterruptedException {
        long nanos = max.toNanos();
        lock.lockInterruptibly();
        try {
            while (queuedGeneration.get() == generation && nanos > 0) {
                nanos = queuedSignal.awaitNanos(nanos);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Wakes this node's claimers as a notification would (the lease sweep requeued a task, a claim raced). */
    void signalQueued() {
        lock.lock();
        try {
            queuedGeneration.incrementAndGet();
            queuedSignal.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private Connection listen() throws SQLException {
        Connection c = db.getConnection();
        try (Statement st = c.createStatement()) {
            st.execute("LISTEN " + QUEUED);
            st.execute("LISTEN " + ENDED);
        } catch (SQLException e) {
            c.close();
            throw e;
        }
        return c;
    }

    private void run() {
        while (!closed) {
            try {
                if (connection == null) {
                    connection = listen();
                    signalQueued(); // something may have been queued while we were deaf
                }
                PGNotification[] batch = connection.unwrap(PGConnection.class).getNotifications(500);
                if (batch == null) {
                    continue;
                }
                boolean queued = false;
                for (PGNotification n : batch) {
                    if (QUEUED.equals(n.getName())) {
                        queued = true;
                    } else if (ENDED.equals(n.getName())) {
                        try {
                            ended.accept(Long.parseLong(n.getParameter()));
                        } catch (NumberFormatException e) {
                            log.warn("ignored a malformed {} notification", ENDED);
                        }
                    }
                }
                if (queued) {
                    signalQueued();
                }
            } catch (SQLException | RuntimeException e) {
                if (closed) {
                    return;
                }
                log.warn("LISTEN connection lost, reopening: {}", e.getMessage());
                closeQuietly();
                try {
                    Thread.sleep(1_000);
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    private void closeQuietly() {
        Connection c = connection;
        connection = null;
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // already broken
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            thread.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeQuietly();
    }
}
