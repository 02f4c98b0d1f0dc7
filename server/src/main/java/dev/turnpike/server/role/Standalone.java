package dev.turnpike.server.role;

import dev.turnpike.protocol.ErrorCode;
import dev.turnpike.protocol.Methods;
import dev.turnpike.server.account.AbandonedTask;
import dev.turnpike.server.account.Accounts;
import dev.turnpike.server.account.ClientKeys;
import dev.turnpike.server.store.Database;
import dev.turnpike.server.account.JdbcAccounts;
import dev.turnpike.server.admin.OperatorView;
import dev.turnpike.server.api.ApiMethod;
import dev.turnpike.server.api.ApiServer;
import dev.turnpike.server.api.CallbackForm;
import dev.turnpike.server.api.Callbacks;
import dev.turnpike.server.api.CreateSyncTask;
import dev.turnpike.server.api.CreateTask;
import dev.turnpike.server.api.GetBalance;
import dev.turnpike.server.api.GetQueueStats;
import dev.turnpike.server.api.GetTaskResult;
import dev.turnpike.server.api.KeyCheck;
import dev.turnpike.server.api.LostTasks;
import dev.turnpike.server.api.ReadDeadlines;
import dev.turnpike.server.api.ReportTask;
import dev.turnpike.server.api.Router;
import dev.turnpike.server.api.TargetCheck;
import dev.turnpike.server.api.TaskParser;
import dev.turnpike.server.api.twocaptcha.Pingback;
import dev.turnpike.server.api.twocaptcha.TwoCaptchaHandler;
import dev.turnpike.server.config.Config;
import dev.turnpike.server.config.Settings;
import dev.turnpike.server.config.StoreSettings;
import dev.turnpike.server.metrics.PoolView;
import dev.turnpike.server.net.AddressPolicy;
import dev.turnpike.server.net.HostResolver;
import dev.turnpike.server.task.embedded.MemoryTaskQueue;
import dev.turnpike.server.task.embedded.MemoryTaskStore;
import dev.turnpike.server.solver.Solver;
import dev.turnpike.server.solver.SolverRegistry;
import dev.turnpike.server.solver.SolverSet;
import dev.turnpike.server.solver.SolverWorker;
import dev.turnpike.server.task.ClockTaskIdGenerator;
import dev.turnpike.server.task.Dialect;
import dev.turnpike.server.task.TaskIdGenerator;
import dev.turnpike.server.task.pg.PgNodes;
import dev.turnpike.server.task.embedded.TaskLifecycle;
import dev.turnpike.server.task.Tasks;
import dev.turnpike.server.task.TaskType;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.IntSupplier;
import java.util.function.Predicate;
import org.eclipse.jetty.server.Handler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole server in one process: the embedded store, the in-memory queue, the solver workers and the API.
 * Construction and wiring only; every part is built here and handed its collaborators.
 *
 * <pre>{@code
 * try (Standalone server = Standalone.builder(config).solver(mySolver).start()) { ... }
 * }</pre>
 */
public final class Standalone implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Standalone.class);

    private final Database database;
    private final JdbcAccounts accounts;
    private final Tasks tasks;
    private final ClusterMembership cluster;
    private final SolverWorker workers;
    private final Callbacks callbacks;
    private final ApiServer api;
    private final ScheduledExecutorService housekeeping;
    private final AddressPolicy addressPolicy;
    private final SolverRegistry solvers;
    private InstalledSolvers installed;
    private final OperatorView operator;
    private final Duration drainGrace;
    private FlareSolverrDialect flaresolverr;

    private Standalone(Builder b) throws Exception {
        Config config = b.config;
        Clock clock = b.clock;
        int nodeId = config.get(Settings.NODE_ID);
        this.drainGrace = config.get(Settings.DRAIN_GRACE);
        this.addressPolicy = PolicyFromSettings.of(config, b.resolver);
        this.database = Database.open(StoreSettings.options(config));
        LostTasks lost;
        try {
            this.accounts = new JdbcAccounts(database.dataSource(), clock, ClientKeys.secure(), nodeId);
            this.installed = InstalledSolvers.build(b.solvers, b.solverFactories,
                    new SolverContext(config, clock, addressPolicy));
            this.solvers = installed.registry();
            if (database.isPostgres()) {
                // A whole node of a cluster: the shared queue, and no clean-up of other nodes' holds at start.
                lost = LostTasks.NONE;
                this.cluster = ClusterMembership.join(config, clock, database, accounts, PgNodes.Role.SERVE,
                        solvers.supportedTypes(), installed.isEmpty() ? 0 : BrowserSolvers.workers(config));
                this.tasks = cluster.tasks();
            } else {
                this.cluster = null;
                List<AbandonedTask> released = accounts.releaseAbandoned(nodeId);
                if (!released.isEmpty()) {
                    log.info("released the points held by {} task(s) of a previous run", released.size());
                }
                lost = LostTasks.of(released);
                TaskIdGenerator ids = b.taskIds != null ? b.taskIds : new ClockTaskIdGenerator(clock, nodeId);
                this.tasks = new TaskLifecycle(clock, ids, new MemoryTaskStore(),
                        new MemoryTaskQueue(config.get(Settings.QUEUE_CAPACITY)), accounts, timing(config));
            }
            this.callbacks = new Callbacks(addressPolicy, config.get(Settings.CALLBACK_TIMEOUT), callbackForms());
            tasks.addEndListener(callbacks);
            int workerCount = BrowserSolvers.workers(config);
            this.workers = new SolverWorker(tasks, solvers, workerCount, SolverWorker.virtualThreads());
            // On PostgreSQL the capacity is the cluster's (this node's workers among them), as every API node says.
            IntSupplier capacity = cluster != null ? cluster::workers : () -> workerCount;
            Optional<PoolView> pool = b.poolView != null ? Optional.of(b.poolView) : installed.poolView();
            // The operator's view (metrics, admin API and status page, health) answers its own paths first.
            this.operator = OperatorView.full(config,
                    new OperatorView.Parts(tasks, accounts, database.dataSource(), pool, capacity), clock);
            installed.report(operator.metrics());
            // On PostgreSQL another node may solve a request: no sessions, which live in this node's pool.
            this.flaresolverr = FlareSolverrDialect.of(config, accounts, tasks, addressPolicy, clock,
                    cluster != null ? java.util.Optional.empty() : installed.sessions());
            this.api = new ApiServer(config.get(Settings.HTTP_HOST), config.get(Settings.HTTP_PORT),
                    new Handler.Sequence(operator.handler(), flaresolverr.handler(),
                            router(config, clock, accounts, tasks, solvers::supports, capacity, addressPolicy,
                                    lost)),
                    config.get(Settings.SYNC_TASK_MAX_WAIT).plusSeconds(30),
                    ReadDeadlines.of(config));
            this.housekeeping = Executors.newSingleThreadScheduledExecutor(
                    Thread.ofPlatform().name("housekeeping").daemon(true).factory());
        } catch (Exception e) {
            closeSolvers();
            database.close();
            throw e;
        }
        try {
            api.start();
            flaresolverr.start();
        } catch (Exception e) {
            api.close();
            flaresolverr.close();
            callbacks.close();
            housekeeping.shutdownNow();
            closeSolvers();
            database.close();
            throw e;
        }
        workers.start();
        housekeeping.scheduleWithFixedDelay(this::housekeepQuietly, b.housekeepingPeriod.toMillis(),
                b.housekeepingPeriod.toMillis(), TimeUnit.MILLISECONDS);
        log.info("turnpike listening on {}; store: {}; solvers for: {}", api.address(), database.description(),
                solvers.supportedTypes().isEmpty() ? "none" : solvers.supportedTypes());
        log.info("status page {}/admin; admin token in {}", api.address(), operator.tokenOrigin());
    }

    /** The API's methods over these parts, in both dialects (2Captcha's paths first); shared with {@link ApiNode}. */
    static Handler router(Config config, Clock clock, Accounts accounts, Tasks tasks, Predicate<TaskType> supported,
                         IntSupplier capacity, AddressPolicy addressPolicy, LostTasks lost) {
        KeyCheck keys = new KeyCheck(accounts, clock, config.get(Settings.KEY_CACHE_TTL));
        Map<TaskType, Long> prices = new EnumMap<>(TaskType.class);
        Settings.PRICES.forEach((type, setting) -> prices.put(type, config.get(setting)));
        CreateTask createTask = new CreateTask(keys, new TaskParser(supported), new TargetCheck(addressPolicy),
                tasks, prices);
        ErrorCode invalid = ErrorCode.valueOf(config.get(Settings.TASKID_INVALID_CODE));
        Map<String, ApiMethod> methods = new HashMap<>();
        methods.put(Methods.CREATE_TASK, createTask);
        methods.put(Methods.CREATE_SYNC_TASK, new CreateSyncTask(createTask, tasks, config.get(Settings.SYNC_TASK_MAX_WAIT)));
        methods.put(Methods.GET_TASK_RESULT, new GetTaskResult(keys, tasks, invalid, lost));
        methods.put(Methods.GET_BALANCE, new GetBalance(keys, accounts));
        methods.put(Methods.GET_QUEUE_STATS, new GetQueueStats(tasks, capacity));
        for (String report : Methods.REPORTS) {
            methods.put(report, new ReportTask(report, keys, tasks, accounts));
        }
        int maxBody = config.get(Settings.HTTP_MAX_BODY_BYTES);
        return new Handler.Sequence(new TwoCaptchaHandler(createTask, keys, tasks, accounts, lost, maxBody),
                new Router(methods, maxBody));
    }

    /** The callbacks of the dialects other than the JSON protocol's; shared with {@link ApiNode}. */
    static Map<Dialect, CallbackForm> callbackForms() {
        return Map.of(Dialect.TWO_CAPTCHA, new Pingback());
    }

    static Tasks.Timing timing(Config config) {
        return new Tasks.Timing(config.get(Settings.TASK_DEADLINE), config.get(Settings.TASK_RETENTION),
                config.get(Settings.TASK_RETENTION_AFTER_END));
    }

    public static Builder builder(Config config) {
        return new Builder(config);
    }

    /** What a solver factory may use to build a solver: the settings, the clock, the address policy. */
    public record SolverContext(Config config, Clock clock, AddressPolicy addressPolicy) {
    }

    /** Options of a standalone server; the defaults are the product's. */
    public static final class Builder {
        private final Config config;
        private Clock clock = Clock.systemUTC();
        private HostResolver resolver = HostResolver.system();
        private TaskIdGenerator taskIds;
        private Duration housekeepingPeriod = Duration.ofMillis(250);
        private final List<Solver> solvers = new ArrayList<>();
        private final List<Function<SolverContext, SolverSet>> solverFactories = new ArrayList<>();
        private PoolView poolView;

        private Builder(Config config) {
            this.config = config;
        }

        /** Installs a solver for the types it declares. */
        public Builder solver(Solver solver) {
            solvers.add(solver);
            return this;
        }

        /** Installs solvers built from the server's settings, clock and address policy (the browser solvers). */
        public Builder solver(Function<SolverContext, SolverSet> factory) {
            solverFactories.add(factory);
            return this;
        }

        /** The browser pool the operator's view shows (metrics, status page, readiness); none by default. */
        public Builder poolView(PoolView poolView) {
            this.poolView = poolView;
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

        public Builder taskIds(TaskIdGenerator taskIds) {
            this.taskIds = taskIds;
            return this;
        }

        public Builder housekeepingPeriod(Duration period) {
            this.housekeepingPeriod = period;
            return this;
        }

        public Standalone start() throws Exception {
            return new Standalone(this);
        }
    }

    public URI address() {
        return api.address();
    }

    public Accounts accounts() {
        return accounts;
    }

    public Tasks tasks() {
        return tasks;
    }

    public AddressPolicy addressPolicy() {
        return addressPolicy;
    }

    /** Metrics, admin API, status page and readiness of this server. */
    public OperatorView operator() {
        return operator;
    }

    public String storeDescription() {
        return database.description();
    }

    /** Runs the deadline and retention checks now (tests call it after moving their clock). */
    public void housekeep() {
        tasks.housekeep();
        flaresolverr.housekeep();
    }

    /** FlareSolverr's own port ({@code flaresolverr.port}), when it has one. */
    public Optional<URI> flareSolverrAddress() {
        return flaresolverr.ownAddress();
    }

    private void housekeepQuietly() {
        try {
            tasks.housekeep();
            flaresolverr.housekeep();
        } catch (RuntimeException e) {
            log.error("housekeeping failed", e);
        }
    }

    private void closeSolvers() {
        if (installed != null) {
            installed.close();
        }
    }

    /** The task types an installed solver handles, by wire name; the others answer ERROR_TASK_NOT_SUPPORTED. */
    public List<String> supportedTypes() {
        return solvers.supportedTypes().stream().map(TaskType::wireName).sorted().toList();
    }

    /**
     * On PostgreSQL, drains first: claims nothing new and waits at most {@code drain.grace} for the tasks this node
     * holds (the tasks still queued stay in the shared queue for the other nodes). Then fails the unfinished tasks
     * it holds (SHUTDOWN, points released), stops the workers and the API, closes every installed
     * solver that is {@link AutoCloseable}, then the store.
     */
    @Override
    public void close() {
        // A node of a cluster first finishes what it holds; the housekeeping renews its leases meanwhile.
        boolean interrupted = cluster != null && cluster.drainBeforeStop(drainGrace);
        housekeeping.shutdownNow();
        tasks.shutdown();
        workers.close();
        try {
            api.close();
        } catch (Exception e) {
            log.warn("stopping the API: {}", e.toString());
        }
        flaresolverr.close();
        if (cluster != null) {
            cluster.close();
        }
        callbacks.close();
        closeSolvers();
        database.close();
        log.info("turnpike stopped");
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
