package dev.turnpike.server.role;

import dev.turnpike.server.account.ClientKeys;
import dev.turnpike.server.account.Database;
import dev.turnpike.server.account.JdbcAccounts;
import dev.turnpike.server.api.Callbacks;
import dev.turnpike.server.config.Config;
import dev.turnpike.server.config.Settings;
import dev.turnpike.server.net.AddressPolicy;
import dev.turnpike.server.net.Cidr;
import dev.turnpike.server.net.HostResolver;
import dev.turnpike.server.queue.pg.PgNodes;
import dev.turnpike.server.queue.pg.PgTasks;
import dev.turnpike.server.solver.Solver;
import dev.turnpike.server.solver.SolverRegistry;
import dev.turnpike.server.solver.SolverWorker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A solver node of a cluster: workers and their solvers (browsers) taking tasks from the shared PostgreSQL queue;
 * no HTTP. {@link #drain} stops it gracefully: it claims nothing new and finishes what it holds.
 * Construction and wiring only.
 */
public final class SolverNode implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SolverNode.class);

    private final Database database;
    private final ClusterMembership cluster;
    private final SolverRegistry solvers;
    private final List<Solver> solverList;
    private final SolverWorker workers;
    private final Callbacks callbacks;
    private final ScheduledExecutorService housekeeping;

    private SolverNode(Builder b) {
        Config config = b.config;
        this.database = Database.open(config);
        if (!database.isPostgres()) {
            database.close();
            throw new IllegalArgumentException("the solver role needs a shared PostgreSQL store: set --store "
                    + "postgresql://user@host:5432/db (the embedded store serves one process only: use 'serve')");
        }
        try {
            AddressPolicy policy = new AddressPolicy(b.resolver, config.get(Settings.ALLOW_HOSTS),
                    config.get(Settings.ALLOW_NETWORKS).stream().map(Cidr::parse).toList());
            this.solverList = new ArrayList<>(b.solvers);
            for (Function<Standalone.SolverContext, Solver> factory : b.solverFactories) {
                solverList.add(factory.apply(new Standalone.SolverContext(config, b.clock, policy)));
            }
            this.solvers = SolverRegistry.of(solverList);
            if (solvers.supportedTypes().isEmpty()) {
                throw new IllegalArgumentException("this solver node has no solver installed: it would solve nothing");
            }
            JdbcAccounts accounts = new JdbcAccounts(database.dataSource(), b.clock, ClientKeys.secure(),
                    config.get(Settings.NODE_ID));
            int workerCount = config.get(Settings.WORKERS);
            this.cluster = ClusterMembership.join(config, b.clock, database, accounts, PgNodes.Role.SOLVER,
                    solvers.supportedTypes(), workerCount);
            this.callbacks = new Callbacks(policy, config.get(Settings.CALLBACK_TIMEOUT));
            cluster.tasks().addEndListener(callbacks);
            this.workers = new SolverWorker(cluster.tasks(), solvers, workerCount, SolverWorker.virtualThreads());
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
        workers.start();
        this.housekeeping = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("housekeeping").daemon(true).factory());
        housekeeping.scheduleWithFixedDelay(this::housekeepQuietly, 250, 250, TimeUnit.MILLISECONDS);
        log.info("turnpike solver node {} started: {} workers for {}; store: {}", cluster.name(),
                config.get(Settings.WORKERS), solvers.supportedTypes(), database.description());
    }

    public static Builder builder(Config config) {
        return new Builder(config);
    }

    /** Options of a solver node; the defaults are the product's. */
    public static final class Builder {
        private final Config config;
        private Clock clock = Clock.systemUTC();
        private HostResolver resolver = HostResolver.system();
        private final List<Solver> solvers = new ArrayList<>();
        private final List<Function<Standalone.SolverContext, Solver>> solverFactories = new ArrayList<>();

        private Builder(Config config) {
            this.config = config;
        }

        public Builder solver(Solver solver) {
            solvers.add(solver);
            return this;
        }

        /** Installs a solver built from the node's settings, clock and address policy (e.g. a browser solver). */
        public Builder solver(Function<Standalone.SolverContext, Solver> factory) {
            solverFactories.add(factory);
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        public Builder resolver(HostResolver resolver) {
            this.resolver = resolver;
            return this;
        }

        public SolverNode start() {
            return new SolverNode(this);
        }
    }

    public String name() {
        return cluster.name();
    }

    public PgTasks tasks() {
        return cluster.tasks();
    }

    private void housekeepQuietly() {
        try {
            cluster.tasks().housekeep();
        } catch (RuntimeException e) {
            log.error("housekeeping failed", e);
        }
    }

    /**
     * Stops gracefully: claims nothing new, tells the cluster it is draining, and waits for the tasks it holds to
     * end (each ends by its deadline at the latest). Then {@link #close} stops it.
     *
     * @return whether every held task ended within {@code grace} after the latest deadline
     */
    public boolean drain(Duration grace) throws InterruptedException {
        PgTasks tasks = cluster.tasks();
        tasks.stopClaiming();
        cluster.markDraining();
        Instant until = tasks.latestDeadlineHeld().plus(grace);
        log.info("draining: finishing {} task(s), at most until {}", tasks.solvingHere(), until);
        boolean idle = tasks.awaitIdle(Duration.between(Instant.now(), until).isNegative() ? Duration.ZERO
                : Duration.between(Instant.now(), until));
        log.info(idle ? "drained" : "drain ran out of time; the tasks left fail with SHUTDOWN");
        return idle;
    }

    @Override
    public void close() {
        housekeeping.shutdownNow();
        cluster.tasks().shutdown();
        workers.close();
        callbacks.close();
        for (Solver solver : solverList) {
            if (solver instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    log.warn("closing {}: {}", solver, e.toString());
                }
            }
        }
        cluster.close();
        database.close();
        log.info("turnpike solver node stopped");
    }
}
