package dev.turnpike.server.cli;

import dev.turnpike.server.browser.chromium.ChromiumUnavailableException;
import dev.turnpike.server.config.Config;
import dev.turnpike.server.config.Settings;
import dev.turnpike.server.role.BrowserSolvers;
import dev.turnpike.server.role.SolverNode;
import java.io.IOException;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code turnpike solver}: a solver node of a cluster (workers and browsers; HTTP only for /metrics and the health
 * probes), until stopped. SIGTERM drains it: it claims nothing new and finishes the tasks it holds (for
 * {@code drain.grace} at most), then exits.
 */
@Command(name = "solver", mixinStandardHelpOptions = true,
        description = {"Run a solver node of a cluster: workers and browsers taking tasks from a shared PostgreSQL store.",
                "Needs --store postgresql://user@host:5432/db. SIGTERM drains it: it finishes what it holds, then exits.",
                "/metrics and /health/* answer on --solver-http-host:--solver-http-port (default 127.0.0.1:8081)."})
final class SolverCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Config config = SettingOptions.load(spec);
        if (LabOption.embedded(config)) {
            System.err.println("turnpike: a solver node cannot embed the lab; run 'turnpike lab' and give --lab its admin URL");
            return 2;
        }
        config = LabOption.attached(spec, config);
        if (config.get(Settings.BROWSERS) == 0) {
            System.err.println("turnpike: a solver node needs browsers (browser.count > 0)");
            return 2;
        }
        SolverNode node;
        try {
            Config settings = config;
            node = SolverNode.builder(config).solver(ctx -> {
                try {
                    return BrowserSolvers.start(settings, ctx.clock(), ctx.addressPolicy());
                } catch (ChromiumUnavailableException e) {
                    throw new IllegalStateException(e.getMessage(), e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while starting the browsers", e);
                }
            }).start();
        } catch (IllegalStateException e) {
            System.err.println("turnpike: " + e.getMessage());
            return 3;
        } catch (IOException e) { // the listener's port is taken
            System.err.println("turnpike: " + e.getMessage() + " (set " + Settings.SOLVER_HTTP_PORT.flag()
                    + "; 0 picks a free port)");
            return 3;
        }
        CountDownLatch stopped = StopOnSignal.install(StopOnSignal.boundFor(config), node::close); // drains first
        System.out.println("Turnpike solver node " + node.name() + " is running");
        System.out.println("Metrics and health: " + node.operatorAddress() + "/metrics, /health/ready  (admin token in "
                + node.operator().tokenOrigin() + ")");
        System.out.println("Settings: " + config.describeNonDefaults());
        System.out.flush();
        stopped.await();
        return 0;
    }
}
