package dev.turnpike.server.admin;

import dev.turnpike.server.build.BuildInfo;
import dev.turnpike.server.account.Accounts;
import dev.turnpike.server.account.AccountInfo;
import dev.turnpike.server.config.Config;
import dev.turnpike.server.config.Settings;
import dev.turnpike.server.health.Readiness;
import dev.turnpike.server.health.StoreCheck;
import dev.turnpike.server.metrics.PoolView;
import dev.turnpike.server.metrics.TurnpikeMetrics;
import dev.turnpike.server.task.Tasks;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.IntSupplier;
import javax.sql.DataSource;
import org.eclipse.jetty.server.Handler;

/**
 * The operator's view of one node, built from its parts: metrics, the recent tasks and failures and the timeline (all
 * told of every task that ended on this node), the admin API and status page behind the admin token, liveness and
 * readiness. Every role builds it here: {@link #full} for nodes that serve the API (serve, api), {@link #probes} for
 * solver nodes (metrics and health only: keys are managed where the API is). Construction only; {@link #handler()}
 * goes in front of the protocol's router, or alone on a solver node's listener.
 */
public final class OperatorView {

    static final int LATEST_KEPT = 20;
    static final int FAILURES_KEPT = 50;
    static final Duration TIMELINE_SLICE = Duration.ofSeconds(10);
    static final int TIMELINE_SLICES = 60;

    /**
     * What a node shows.
     *
     * @param tasks    the node's tasks (on PostgreSQL: the shared queue, so depth and solving are the cluster's)
     * @param accounts the store's accounts (points held are every account's)
     * @param store    the store readiness queries
     * @param pool     the browser pool when this node has one
     * @param workers  tasks solved at once: this node's workers, or the cluster's live solving nodes' together
     */
    public record Parts(Tasks tasks, Accounts accounts, DataSource store, Optional<PoolView> pool,
                        IntSupplier workers) {
    }

    private final AdminToken token;
    private final TurnpikeMetrics metrics;
    private final OperatorHandler handler;

    private OperatorView(AdminToken token, TurnpikeMetrics metrics, OperatorHandler handler) {
        this.token = token;
        this.metrics = metrics;
        this.handler = handler;
    }

    /** Metrics, admin API, status page, liveness and readiness: the view of a node that serves the API. */
    public static OperatorView full(Config config, Parts parts, Clock clock) {
        return build(config, parts, clock, true);
    }

    /** Metrics, liveness and readiness only: the view of a solver node, which has no API and no keys to manage. */
    public static OperatorView probes(Config config, Parts parts, Clock clock) {
        return build(config, parts, clock, false);
    }

    private static OperatorView build(Config config, Parts parts, Clock clock, boolean adminApi) {
        AdminToken token = AdminToken.resolve(config.get(Settings.ADMIN_TOKEN), config.get(Settings.DATA_DIR),
                new SecureRandom());
        Accounts accounts = parts.accounts();
        TurnpikeMetrics metrics = new TurnpikeMetrics(parts.tasks(),
                () -> accounts.list().stream().mapToLong(AccountInfo::held).sum(), parts.pool(), System::nanoTime, BuildInfo.current());
        parts.tasks().addEndListener(metrics);
        AdminApi api = null;
        if (adminApi) {
            TaskTimeline timeline = new TaskTimeline(clock, TIMELINE_SLICE, TIMELINE_SLICES);
            RecentTasks recent = new RecentTasks(LATEST_KEPT, FAILURES_KEPT);
            parts.tasks().addEndListener(timeline);
            parts.tasks().addEndListener(recent);
            api = new AdminApi(parts.tasks(), config.get(Settings.QUEUE_CAPACITY), parts.workers(), accounts, metrics,
                    timeline, recent, parts.pool(), clock, BuildInfo.current());
        }
        Readiness readiness = new Readiness(StoreCheck.jdbc(parts.store()), parts.pool());
        return new OperatorView(token, metrics, new OperatorHandler(token, Optional.ofNullable(api), metrics, readiness,
                config.get(Settings.ADMIN_METRICS_OPEN)));
    }

    /** Answers /admin… (when the view has the admin API), /metrics and /health/…; lets every other request through. */
    public Handler handler() {
        return handler;
    }

    public TurnpikeMetrics metrics() {
        return metrics;
    }

    /** Where the operator finds the admin token (never the token itself). */
    public String tokenOrigin() {
        return token.origin();
    }
}
