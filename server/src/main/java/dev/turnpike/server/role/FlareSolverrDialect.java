package dev.turnpike.server.role;

import dev.turnpike.server.account.Accounts;
import dev.turnpike.server.api.ApiServer;
import dev.turnpike.server.api.ReadDeadlines;
import dev.turnpike.server.api.flaresolverr.FlareSolverrApi;
import dev.turnpike.server.browser.session.BrowserSessions;
import dev.turnpike.server.config.Config;
import dev.turnpike.server.config.Settings;
import dev.turnpike.server.net.AddressPolicy;
import dev.turnpike.server.task.TaskType;
import dev.turnpike.server.task.Tasks;
import java.net.URI;
import java.time.Clock;
import java.util.Optional;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * FlareSolverr's API as the settings say (PROTOCOL.md §10): off (a handler that takes nothing), on the API's port
 * ahead of the protocol's router, and optionally on a port of its own; its sessions expired by the housekeeping.
 */
final class FlareSolverrDialect implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(FlareSolverrDialect.class);

    /** Takes no request: the paths fall through to the router. One per server (a handler belongs to one). */
    private static Handler nothing() {
        return new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                return false;
            }
        };
    }

    private final Handler handler;
    private final ApiServer ownPort;
    private final Optional<BrowserSessions> sessions;

    private FlareSolverrDialect(Handler handler, ApiServer ownPort, Optional<BrowserSessions> sessions) {
        this.handler = handler;
        this.ownPort = ownPort;
        this.sessions = sessions;
    }

    /**
     * @throws IllegalArgumentException it is on without a key to charge (neither a bound key nor keys in the path)
     */
    static FlareSolverrDialect of(Config config, Accounts accounts, Tasks tasks, AddressPolicy policy, Clock clock,
                                  Optional<BrowserSessions> sessions) {
        if (!config.get(Settings.FLARESOLVERR_ENABLED)) {
            return new FlareSolverrDialect(nothing(), null, Optional.empty());
        }
        String key = config.get(Settings.FLARESOLVERR_CLIENT_KEY);
        boolean keyInPath = config.get(Settings.FLARESOLVERR_KEY_IN_PATH);
        if (key.isBlank() && !keyInPath) {
            throw new IllegalArgumentException("flaresolverr.enabled needs a client key to charge: set"
                    + " flaresolverr.clientKey, or flaresolverr.keyInPath=true");
        }
        long challenge = config.get(Settings.PRICES.get(TaskType.CLOUDFLARE_CHALLENGE));
        long fetch = config.get(Settings.PRICES.get(TaskType.PAGE_REQUEST));
        String userAgent = sessions.map(BrowserSessions::userAgent).orElse("");
        int maxBody = config.get(Settings.HTTP_MAX_BODY_BYTES);
        FlareSolverrApi shared = new FlareSolverrApi(new FlareSolverrApi.Options(key.isBlank() ? null : key, keyInPath,
                challenge, fetch, sessions, userAgent, false), accounts, tasks, policy, clock, maxBody);
        ApiServer own = null;
        int port = config.get(Settings.FLARESOLVERR_PORT);
        if (port >= 0) {
            FlareSolverrApi alone = new FlareSolverrApi(new FlareSolverrApi.Options(key.isBlank() ? null : key,
                    keyInPath, challenge, fetch, sessions, userAgent, true), accounts, tasks, policy, clock, maxBody);
            own = new ApiServer(config.get(Settings.HTTP_HOST), port, alone,
                    config.get(Settings.TASK_DEADLINE).plusSeconds(30), ReadDeadlines.of(config));
        }
        return new FlareSolverrDialect(shared, own, sessions);
    }

    /** For the API's port, ahead of the router. */
    Handler handler() {
        return handler;
    }

    void start() throws Exception {
        if (ownPort != null) {
            ownPort.start();
            log.info("FlareSolverr's API on {}/v1", ownPort.address());
        }
    }

    /** Its own port's address, when it has one. */
    Optional<URI> ownAddress() {
        return Optional.ofNullable(ownPort).map(ApiServer::address);
    }

    /** Destroys the sessions unused for too long. */
    void housekeep() {
        sessions.ifPresent(BrowserSessions::expire);
    }

    @Override
    public void close() {
        if (ownPort != null) {
            try {
                ownPort.close();
            } catch (Exception e) {
                log.warn("stopping FlareSolverr's port: {}", e.toString());
            }
        }
    }
}
