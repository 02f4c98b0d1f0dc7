package dev.turnpike.server.role;

import dev.turnpike.server.account.ClientKeys;
import dev.turnpike.server.store.Database;
import dev.turnpike.server.account.JdbcAccounts;
import dev.turnpike.server.admin.OperatorView;
import dev.turnpike.server.api.ApiServer;
import dev.turnpike.server.api.Callbacks;
import dev.turnpike.server.api.ReadDeadlines;
import dev.turnpike.server.config.Config;
import dev.turnpike.server.config.Settings;
import dev.turnpike.server.config.StoreSettings;
import dev.turnpike.server.metrics.PoolView;
import dev.turnpike.server.net.AddressPolicy;
import dev.turnpike.server.net.HostResolver;
import dev.turnpike.server.task.pg.PgNodes;
import dev.turnpike.server.task.pg.PgTasks;
import dev.turnpike.server.solver.Solver;
import dev.turnpike.server.solver.SolverRegistry;
import dev.turnpike.server.solver.SolverSet;
import dev.turnpike.server.solver.SolverWorker;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A solver node of a cluster: workers and their solvers (browsers) taking tasks from the shared PostgreSQL queue, and
 * a small HTTP listener for the operator ({@code solver.httpHost}:{@code solver.httpPort}: /metrics, /health/live,
 * /health/ready; no API). {@link #close} stops it gracefully: it claims nothing new and finishes what it holds, for
 * {@code drain.grace} at most. Construction and wiring only.
 */
public final class SolverNode implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SolverNode.class);

    private final Database database;
    private final ClusterMembership cluster;
    private final SolverRegistry solvers;
    private InstalledSolvers installed;
    private final SolverWorker workers;
    private final Callbacks callbacks;
    private final OperatorView operator;
    private final ApiServer http;
    private final Duration drainGrace;
    private final ScheduledExecutorService housekeeping;
    private final AtomicBoolean closed = new AtomicBoolean();

    private SolverNode(Builder b) throws Exception {
        Config config = b.config;
        this.drainGrace = config.get(Settings.DRAIN_GRACE);
        this.database = Database.open(StoreSettings.options(config));
        if (!database.isPostgres()) {
            database.close();
            throw new IllegalArgumentException("the solver role needs a shared PostgreSQL store: set --store "
                    + "postgresql://user@host:5432/db (the embedded store serves one process only: use 'serve')");
        }
        ClusterMembership joined = null;
        ApiServer listener = null;
        try {
            AddressPolicy policy = PolicyFromSettings.of(config, b.resolver);
            this.installed = InstalledSolvers.build(b.solvers, b.solverFactories,
                    new Standalone.SolverContext(config, b.clock, policy));
            this.solvers = installed.registry();
            if (solvers.supportedTypes().isEmpty()) {
                throw new IllegalArgumentException("this solver node has no solver installed: it would solve nothing");
            }
            JdbcAccounts accounts = new JdbcAccounts(database.dataSource(), b.clock, ClientKeys.secure(),
                    config.get(Settings.NODE_ID));
            int workerCount = BrowserSolvers.workers(config);
            joined = ClusterMembership.join(config, b.clock, database, accounts, PgNodes.Role.SOLVER,
                    solvers.supportedTypes(), workerCount);
            this.callbacks = new Callbacks(policy, config.get(Settings.CALLBACK_TIMEOUT));
            joined.tasks().addEndListener(callbacks);
            this.workers = new SolverWorker(joined.tasks(), solvers, workerCount, SolverWorker.virtualThreads());
            Optional<PoolView> pool = b.poolView != null ? Optional.of(b.poolView) : installed.poolView();
            this.operator = OperatorView.probes(config, new OperatorView.Parts(joined.tasks(), accounts,
                    database.dataSource(), pool, () -> workerCount), b.clock);
            installed.report(operator.metrics());
            listener = new ApiServer(config.get(Settings.SOLVER_HTTP_HOST), config.get(Settings.SOLVER_HTTP_PORT),
                    operator.handler(), Duration.ofSeconds(30), ReadDeadlines.of(config));
            listener.start();
        } catch (Exception e) {
            if (listener != null) {
                listener.close();
            }
            if (joined != null) {
                joined.close();
            }
            if (installed != null) {
                installed.close();
            }
            database.close();
            throw e;
        }
        this.cluster = joined;
        this.http = listener;
        workers.start();
        this.housekeeping = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("housekeeping").daemon(true).factory());
        housekeeping.scheduleWithFixedDelay(this::housekeepQuietly, 250, 250, TimeUnit.MILLISECONDS);
        log.info("turnpike solver node {} started: {} workers for {}; store: {}", cluster.name(), BrowserSolvers.workers(config),
                solvers.supportedTypes(), database.description());
        log.info("metrics and health on {} (admin token in {})", http.address(), operator.tokenOrigin());
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
        private final List<Function<Standalone.SolverContext, SolverSet>> solverFactories = new ArrayList<>();
        private PoolView poolView;

        private Builder(Config config) {
            this.config = config;
        }

        public Builder solver(Solver solver) {
            solvers.add(solver);
            return this;
        }

        /** Installs solvers built from the node's settings, clock and address policy (the browser solvers). */
        public Builder solver(Function<Standalone.SolverContext, SolverSet> factory) {
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

        /** The browser pool the metrics and readiness show; by default the installed browser solvers' pool. */
        public Builder poolView(PoolView poolView) {
            this.poolView = poolView;
            return this;
        }

        /** @throws Exception the store, the solvers or the HTTP listener could not start (all closed again) */
        public SolverNode start() throws Exception {
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

    /** Where /metrics, /health/live and /health/ready answer, e.g. {@code http://127.0.0.1:8081}. */
    public URI operatorAddress() {
        return http.address();
    }

    /** Metrics and health of this node. */
    public OperatorView operator() {
        return operator;
    }

    /**
     * Claims nothing new, tells the cluster it is draining, and waits at most {@code grace} for the tasks it holds to
     * end. {@link #close} does it too, with the {@code drain.grace} setting.
     *
     * @return whether every held task ended within {@code grace}
     */
    public boolean drain(Duration grace) throws InterruptedException {
        return cluster.drain(grace);
    }

    /**
     * Drains (at most {@code drain.grace}; the leases of the tasks still being solved are renewed meanwhile), then
     * fails what is left with SHUTDOWN, stops the workers, the solvers (browsers), the listener and the store.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        boolean interrupted = cluster.drainBeforeStop(drainGrace);
        housekeeping.shutdownNow();
        cluster.tasks().shutdown();
        workers.close();
        callbacks.close();
        installed.close();
        try {
            http.close();
        } catch (Exception e) {
            log.warn("stopping the HTTP listener: {}", e.toString());
        }
        cluster.close();
        database.close();
        log.info("turnpike solver node stopped");
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
