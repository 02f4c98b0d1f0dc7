package dev.turnpike.server.role;

import dev.turnpike.server.account.ClientKeys;
import dev.turnpike.server.store.Database;
import dev.turnpike.server.account.JdbcAccounts;
import dev.turnpike.server.admin.OperatorView;
import dev.turnpike.server.api.ApiServer;
import dev.turnpike.server.api.Callbacks;
import dev.turnpike.server.api.LostTasks;
import dev.turnpike.server.api.ReadDeadlines;
import dev.turnpike.server.config.Config;
import dev.turnpike.server.config.Settings;
import dev.turnpike.server.config.StoreSettings;
import dev.turnpike.server.net.AddressPolicy;
import dev.turnpike.server.net.HostResolver;
import dev.turnpike.server.task.pg.PgNodes;
import dev.turnpike.server.task.Tasks;
import java.net.URI;
import java.time.Clock;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import org.eclipse.jetty.server.Handler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An API node of a cluster: the HTTP API (and FlareSolverr's {@code /v1} when on, without sessions) and the
 * operator's full view (metrics, admin API, status page, health) over the shared PostgreSQL store, no workers and no
 * browsers. It accepts the task types that some live solver node
 * supports, reports the cluster's capacity, and takes its turn at the cluster-wide clean-up.
 * Construction and wiring only.
 */
public final class ApiNode implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ApiNode.class);

    private final Database database;
    private final ClusterMembership cluster;
    private final ApiServer api;
    private final OperatorView operator;
    private final Callbacks callbacks;
    private final FlareSolverrDialect flaresolverr;
    private final ScheduledExecutorService housekeeping;

    private ApiNode(Config config, Clock clock, HostResolver resolver) throws Exception {
        this.database = Database.open(StoreSettings.options(config));
        if (!database.isPostgres()) {
            database.close();
            throw new IllegalArgumentException("the api role needs a shared PostgreSQL store: set --store "
                    + "postgresql://user@host:5432/db (the embedded store serves one process only: use 'serve')");
        }
        ClusterMembership joined = null;
        Callbacks sender = null;
        FlareSolverrDialect dialect = null;
        try {
            AddressPolicy policy = PolicyFromSettings.of(config, resolver);
            JdbcAccounts accounts = new JdbcAccounts(database.dataSource(), clock, ClientKeys.secure(),
                    config.get(Settings.NODE_ID));
            joined = ClusterMembership.join(config, clock, database, accounts, PgNodes.Role.API, Set.of(), 0);
            // The clean-up may end tasks here (deadline, lost node): their callbacks go from here too.
            sender = new Callbacks(policy, config.get(Settings.CALLBACK_TIMEOUT), Standalone.callbackForms());
            joined.tasks().addEndListener(sender);
            PgNodes nodes = joined.nodes();
            // The cluster's capacity: this node has no workers, the live solver nodes have them all.
            IntSupplier capacity = joined::workers;
            this.operator = OperatorView.full(config, new OperatorView.Parts(joined.tasks(), accounts,
                    database.dataSource(), Optional.empty(), capacity), clock);
            // FlareSolverr's request.get/post go through the shared queue to a solver node; its sessions live in a
            // solver node's pool, so they are refused here (PROTOCOL.md §10.4).
            dialect = FlareSolverrDialect.of(config, accounts, joined.tasks(), policy, clock, Optional.empty());
            this.api = new ApiServer(config.get(Settings.HTTP_HOST), config.get(Settings.HTTP_PORT),
                    new Handler.Sequence(operator.handler(), dialect.handler(), Standalone.router(config, clock,
                            accounts, joined.tasks(), type -> nodes.capacity().types().contains(type), capacity,
                            policy, LostTasks.NONE)),
                    config.get(Settings.SYNC_TASK_MAX_WAIT).plusSeconds(30),
                    ReadDeadlines.of(config));
            dialect.start();
            api.start();
        } catch (Exception e) {
            if (dialect != null) {
                dialect.close();
            }
            if (sender != null) {
                sender.close();
            }
            if (joined != null) {
                joined.close();
            }
            database.close();
            throw e;
        }
        this.cluster = joined;
        this.callbacks = sender;
        this.flaresolverr = dialect;
        this.housekeeping = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("housekeeping").daemon(true).factory());
        housekeeping.scheduleWithFixedDelay(this::housekeepQuietly, 250, 250, TimeUnit.MILLISECONDS);
        log.info("turnpike api node listening on {}; store: {}", api.address(), database.description());
        log.info("status page {}/admin; admin token in {}", api.address(), operator.tokenOrigin());
        flaresolverr.ownAddress().ifPresent(own -> log.info("FlareSolverr's API on {}/v1", own));
    }

    public static ApiNode start(Config config) throws Exception {
        return new ApiNode(config, Clock.systemUTC(), HostResolver.system());
    }

    public static ApiNode start(Config config, Clock clock, HostResolver resolver) throws Exception {
        return new ApiNode(config, clock, resolver);
    }

    public URI address() {
        return api.address();
    }

    /** Metrics, admin API, status page and health of this node. */
    public OperatorView operator() {
        return operator;
    }

    public Tasks tasks() {
        return cluster.tasks();
    }

    /** FlareSolverr's own port ({@code flaresolverr.port}), when it has one. */
    public Optional<URI> flareSolverrAddress() {
        return flaresolverr.ownAddress();
    }

    public String storeDescription() {
        return database.description();
    }

    private void housekeepQuietly() {
        try {
            cluster.tasks().housekeep();
        } catch (RuntimeException e) {
            log.error("housekeeping failed", e);
        }
    }

    /** Stops accepting tasks, then stops the API; the tasks it accepted live on in the store. */
    @Override
    public void close() {
        housekeeping.shutdownNow();
        cluster.tasks().shutdown();
        try {
            api.close();
        } catch (Exception e) {
            log.warn("stopping the API: {}", e.toString());
        }
        flaresolverr.close();
        cluster.close();
        callbacks.close();
        database.close();
        log.info("turnpike api node stopped");
    }
}
