package dev.turnpike.server.role;

import dev.turnpike.server.store.Database;
import dev.turnpike.server.account.JdbcAccounts;
import dev.turnpike.server.config.Config;
import dev.turnpike.server.config.Settings;
import dev.turnpike.server.task.pg.PgNodes;
import dev.turnpike.server.task.pg.PgTasks;
import dev.turnpike.server.task.TaskType;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node's part in a cluster on PostgreSQL: the shared task queue, and this node's row in the node list,
 * renewed every third of the lease. Built by each role that runs on a PostgreSQL store.
 */
final class ClusterMembership implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ClusterMembership.class);

    private final String name;
    private final PgNodes.Role role;
    private final Set<TaskType> types;
    private final int workers;
    private final PgNodes nodes;
    private final PgTasks tasks;
    private final ScheduledExecutorService heartbeat;
    private volatile boolean draining;

    private ClusterMembership(Config config, Clock clock, Database database, JdbcAccounts accounts, PgNodes.Role role,
                              Set<TaskType> types, int workers) {
        this.name = nodeName(config);
        this.role = role;
        this.types = Set.copyOf(types);
        this.workers = workers;
        Duration lease = config.get(Settings.CLUSTER_LEASE);
        this.nodes = new PgNodes(database.dataSource(), clock, lease);
        this.tasks = new PgTasks(database.dataSource(), accounts, clock, Standalone.timing(config),
                new PgTasks.Options(name, this.types, config.get(Settings.QUEUE_CAPACITY), lease,
                        config.get(Settings.CLUSTER_POLL), config.get(Settings.CLUSTER_SWEEP)));
        this.heartbeat = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("node-heartbeat").daemon(true).factory());
    }

    /** Joins: listens for notifications, writes this node's row, and keeps it fresh. */
    static ClusterMembership join(Config config, Clock clock, Database database, JdbcAccounts accounts,
                                  PgNodes.Role role, Set<TaskType> types, int workers) {
        ClusterMembership m = new ClusterMembership(config, clock, database, accounts, role, types, workers);
        m.tasks.start();
        m.announce();
        long period = config.get(Settings.CLUSTER_LEASE).dividedBy(3).toMillis();
        m.heartbeat.scheduleWithFixedDelay(m::announceQuietly, period, period, TimeUnit.MILLISECONDS);
        log.info("joined the cluster as {} node {} (solves: {})", role.name().toLowerCase(java.util.Locale.ROOT),
                m.name, types.isEmpty() ? "nothing" : types);
        return m;
    }

    PgTasks tasks() {
        return tasks;
    }

    PgNodes nodes() {
        return nodes;
    }

    String name() {
        return name;
    }

    /** Tasks the cluster solves at once: the workers of every live solving node that is not draining. */
    int workers() {
        return nodes.capacity().workers();
    }

    /**
     * Leaves gracefully: claims nothing new, tells the other nodes (API nodes stop counting this one), and waits at
     * most {@code grace} for the tasks this node holds to end. The heartbeat and the node's housekeeping must run
     * meanwhile: they renew the leases of the tasks still being solved.
     *
     * @return whether every held task ended within {@code grace}
     */
    boolean drain(Duration grace) throws InterruptedException {
        tasks.stopClaiming();
        draining = true;
        announceQuietly();
        int held = tasks.solvingHere();
        if (held > 0) {
            log.info("draining: finishing {} task(s), waiting {} s at most", held, grace.toSeconds());
        }
        boolean idle = tasks.awaitIdle(grace);
        if (!idle) {
            log.warn("drain ran out of time after {} s; the tasks left fail with SHUTDOWN", grace.toSeconds());
        } else if (held > 0) {
            log.info("drained");
        }
        return idle;
    }

    /**
     * {@link #drain} as the first step of stopping. An interrupt cuts the wait short and is cleared here, so the rest
     * of the stop (joining workers, closing the store) still runs: the caller sets it again at the end.
     *
     * @return whether the drain was interrupted
     */
    boolean drainBeforeStop(Duration grace) {
        try {
            drain(grace);
            return false;
        } catch (InterruptedException e) {
            log.warn("drain interrupted; stopping now");
            return true;
        }
    }

    private void announce() {
        nodes.announce(name, role, types, workers, draining);
    }

    private void announceQuietly() {
        try {
            announce();
        } catch (RuntimeException e) {
            log.warn("node heartbeat failed: {}", e.getMessage());
        }
    }

    @Override
    public void close() {
        heartbeat.shutdownNow();
        tasks.close();
        try {
            nodes.leave(name);
        } catch (RuntimeException e) {
            log.warn("leaving the node list failed: {}", e.getMessage());
        }
    }

    /** The configured name, or host name, process id and a random suffix (unique even for two nodes per host). */
    private static String nodeName(Config config) {
        String configured = config.get(Settings.NODE_NAME);
        if (!configured.isBlank()) {
            return configured;
        }
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "node";
        }
        byte[] random = new byte[3];
        new SecureRandom().nextBytes(random);
        return host + "-" + ProcessHandle.current().pid() + "-" + HexFormat.of().formatHex(random);
    }
}
