package dev.turnpike.server.admin;

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
import javax.sql.DataSource;
import org.eclipse.jetty.server.Handler;

/**
 * The operator's view of one server, built from its parts: metrics, the recent tasks and failures and the timeline (all
 * told of every task end), the admin API and status page behind the admin token, and readiness. Construction
 * only; {@link #handler()} goes in front of the protocol's router.
 */
public final class OperatorView {

    static final int LATEST_KEPT = 20;
    static final int FAILURES_KEPT = 50;
    static final Duration TIMELINE_SLICE = Duration.ofSeconds(10);
    static final int TIMELINE_SLICES = 60;

    private final AdminToken token;
    private final TurnpikeMetrics metrics;
    private final OperatorHandler handler;

    private OperatorView(AdminToken token, TurnpikeMetrics metrics, OperatorHandler handler) {
        this.token = token;
        this.metrics = metrics;
        this.handler = handler;
    }

    /**
     * @param pool the browser pool when this server has one
     */
    public static OperatorView create(Config config, Tasks tasks, Accounts accounts, DataSource store,
                                      Optional<PoolView> pool, Clock clock) {
        AdminToken token = AdminToken.resolve(config.get(Settings.ADMIN_TOKEN), config.get(Settings.DATA_DIR),
                new SecureRandom());
        TurnpikeMetrics metrics = new TurnpikeMetrics(tasks,
                () -> accounts.list().stream().mapToLong(AccountInfo::held).sum(), pool, System::nanoTime);
        TaskTimeline timeline = new TaskTimeline(clock, TIMELINE_SLICE, TIMELINE_SLICES);
        RecentTasks recent = new RecentTasks(LATEST_KEPT, FAILURES_KEPT);
        tasks.addEndListener(metrics);
        tasks.addEndListener(timeline);
        tasks.addEndListener(recent);
        AdminApi api = new AdminApi(tasks, config.get(Settings.QUEUE_CAPACITY), config.get(Settings.WORKERS), accounts,
                metrics, timeline, recent, pool, clock);
        Readiness readiness = new Readiness(StoreCheck.jdbc(store), pool);
        return new OperatorView(token, metrics,
                new OperatorHandler(token, api, metrics, readiness, config.get(Settings.ADMIN_METRICS_OPEN)));
    }

    /** Answers /admin…, /metrics and /health/ready; lets every other request through. */
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
