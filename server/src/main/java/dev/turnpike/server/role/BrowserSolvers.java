package dev.turnpike.server.role;

import dev.turnpike.server.browser.BrowserSettings;
import dev.turnpike.server.browser.chromium.ChromiumUnavailableException;
import dev.turnpike.server.browser.pool.BrowserPool;
import dev.turnpike.server.browser.session.BrowserSessions;
import dev.turnpike.server.browser.proxy.DirectRoute;
import dev.turnpike.server.browser.proxy.ProxyRelays;
import dev.turnpike.server.config.Config;
import dev.turnpike.server.config.Settings;
import dev.turnpike.server.net.AddressPolicy;
import dev.turnpike.server.solver.SolvePhases;
import dev.turnpike.server.solver.Solver;
import dev.turnpike.server.solver.SolverSet;
import dev.turnpike.server.solver.challenge.ChallengeSolver;
import dev.turnpike.server.solver.challenge.ClearanceCache;
import dev.turnpike.server.solver.challenge.ClearanceFlights;
import dev.turnpike.server.solver.turnstile.TurnstileSolver;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.random.RandomGenerator;

/**
 * The browser pool and every solver that uses it, built from the settings and closed together. The registry maps
 * each task type to one of these solvers directly.
 */
public final class BrowserSolvers implements SolverSet {

    private final BrowserPool pool;
    private final ScheduledExecutorService scheduler;
    private final SolvePhases phases;
    private final ClearanceFlights flights;
    private final List<Solver> solvers;
    private final BrowserSessions sessions;

    private BrowserSolvers(BrowserPool pool, ScheduledExecutorService scheduler, SolvePhases phases,
                           ClearanceFlights flights, List<Solver> solvers, BrowserSessions sessions) {
        this.sessions = sessions;
        this.pool = pool;
        this.phases = phases;
        this.flights = flights;
        this.scheduler = scheduler;
        this.solvers = List.copyOf(solvers);
    }

    /**
     * Starts the browsers (all of them, before returning) and builds the Turnstile and challenge solvers on them.
     *
     * @throws ChromiumUnavailableException Chromium is missing or does not start; the message says how to fix it
     */
    public static BrowserSolvers start(Config config, Clock clock, AddressPolicy policy)
            throws ChromiumUnavailableException, InterruptedException {
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("browser-housekeeping").daemon(true).factory());
        RandomGenerator random = new SecureRandom();
        BrowserSettings settings = browserSettings(config);
        // The relays resolve the pages' host names now, so they apply the host rules Chromium is started with.
        DirectRoute direct = DirectRoute.forBrowsers(policy, settings.extraArgs());
        BrowserPool pool;
        try {
            pool = BrowserPool.start(settings, new ProxyRelays(ProxyRelays.Settings.DEFAULTS, direct), scheduler,
                    clock, random);
        } catch (ChromiumUnavailableException | InterruptedException | RuntimeException e) {
            scheduler.shutdownNow();
            throw e;
        }
        SolvePhases phases = new SolvePhases(System::nanoTime);
        List<Solver> solvers = new ArrayList<>();
        TurnstileSolver turnstile = new TurnstileSolver(pool, clock, random, phases);
        solvers.add(turnstile);
        ClearanceFlights flights = config.get(Settings.SHARE_CHALLENGE_SOLVES) ? ClearanceFlights.on(clock)
                : ClearanceFlights.off();
        BrowserSessions sessions = new BrowserSessions(pool, clock, config.get(Settings.FLARESOLVERR_SESSIONS),
                config.get(Settings.FLARESOLVERR_SESSION_IDLE));
        solvers.add(new ChallengeSolver(pool, ChallengeSolver.Settings.DEFAULTS, phases, new ClearanceCache(clock,
                config.get(Settings.CLEARANCE_CACHE_ENTRIES), config.get(Settings.CLEARANCE_MAX_AGE)), flights,
                sessions, turnstile));
        return new BrowserSolvers(pool, scheduler, phases, flights, solvers, sessions);
    }

    /** The engine's settings, from Turnpike's. */
    public static BrowserSettings browserSettings(Config config) {
        List<String> args = new ArrayList<>();
        if (!config.get(Settings.HOST_RESOLVER_RULES).isBlank()) {
            args.add("--host-resolver-rules=" + config.get(Settings.HOST_RESOLVER_RULES));
        }
        if (!config.get(Settings.CERTIFICATE_PINS).isBlank()) {
            args.add("--ignore-certificate-errors-spki-list=" + config.get(Settings.CERTIFICATE_PINS));
        }
        args.addAll(config.get(Settings.CHROMIUM_EXTRA_ARGS));
        int contexts = config.get(Settings.CONTEXTS_PER_BROWSER);
        String chromium = config.get(Settings.CHROMIUM_PATH);
        String profiles = config.get(Settings.PROFILE_DIR);
        int browsers = Math.max(1, config.get(Settings.BROWSERS));
        return new BrowserSettings(browsers, contexts,
                Math.min(contexts, config.get(Settings.WARM_CONTEXTS)), config.get(Settings.MAX_TASKS_PER_BROWSER),
                config.get(Settings.MAX_BROWSER_AGE), config.get(Settings.BROWSER_AGE_JITTER),
                config.get(Settings.BROWSER_MEMORY_CAP_MB) << 20,
                chromium.isBlank() ? null : Path.of(chromium), profiles.isBlank() ? null : Path.of(profiles),
                "xvfb".equals(config.get(Settings.BROWSER_DISPLAY)) ? BrowserSettings.Display.XVFB
                        : BrowserSettings.Display.HEADLESS,
                args, BrowserSettings.DEFAULT_HOUSEKEEPING_PERIOD,
                Math.min(browsers, config.get(Settings.MIN_BROWSERS)), config.get(Settings.BROWSER_IDLE_AFTER),
                config.get(Settings.BROWSER_NICE));
    }

    /** Tasks solved at once: the {@code workers} setting, or one per browser slot when it is 0. */
    public static int workers(Config config) {
        int workers = config.get(Settings.WORKERS);
        return workers > 0 ? workers
                : Math.max(1, config.get(Settings.BROWSERS)) * config.get(Settings.CONTEXTS_PER_BROWSER);
    }

    public BrowserPool pool() {
        return pool;
    }

    /** FlareSolverr's sessions on this pool. */
    public BrowserSessions sessions() {
        return sessions;
    }

    /** The time each phase of a solve took, for whoever listens (the metrics). */
    public SolvePhases phases() {
        return phases;
    }

    /** The challenge tasks waiting for an identical task's solve, and those that shared one. */
    public ClearanceFlights flights() {
        return flights;
    }

    @Override
    public List<Solver> solvers() {
        return solvers;
    }

    /** Closes the browsers (every process killed, every profile deleted) and their relays. */
    @Override
    public void close() {
        sessions.close();
        pool.close();
        scheduler.shutdownNow();
    }

    @Override
    public String toString() {
        return "BrowserSolvers" + solvers;
    }
}
