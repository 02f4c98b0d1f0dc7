package dev.turnpike.server.solver.turnstile;

import dev.turnpike.fixtures.TestClock;
import dev.turnpike.lab.Lab;
import dev.turnpike.server.browser.chromium.ChromiumUnavailableException;
import dev.turnpike.server.config.Config;
import dev.turnpike.server.role.BrowserSolvers;
import dev.turnpike.server.role.LabLink;
import dev.turnpike.server.testing.TestServer;
import java.nio.file.Path;
import java.util.Map;

/**
 * A test server whose solvers are the product's {@link BrowserSolvers} (one Chromium) pointed at {@code lab} by the
 * product's {@link LabLink}, on the wall clock (the 120 s deadline is the real one). Closes the lab when the server
 * does not start.
 */
final class BrowserLabServer {

    private BrowserLabServer() {
    }

    static TestServer start(Lab lab, Path profiles, int contexts) throws Exception {
        TestServer.Builder builder = TestServer.builder().noSolver().clock(TestClock.ticking())
                .setting("browser.count", "1")
                .setting("browser.contextsPerBrowser", Integer.toString(contexts))
                .setting("browser.warmContexts", "1")
                .setting("browser.profileDir", profiles.toString())
                .solverFactory(ctx -> {
                    try {
                        return BrowserSolvers.start(ctx.config(), ctx.clock(), ctx.addressPolicy());
                    } catch (ChromiumUnavailableException e) {
                        throw new IllegalStateException(e.getMessage(), e);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException("interrupted while starting the browser", e);
                    }
                });
        LabLink.of(lab).settings(Config.of(Map.of())).forEach(builder::setting);
        try {
            return builder.start();
        } catch (Exception | Error e) {
            lab.close();
            throw e;
        }
    }
}
