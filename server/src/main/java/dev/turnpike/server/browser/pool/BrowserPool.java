package dev.turnpike.server.browser.pool;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.turnpike.server.browser.BrowserSettings;
import dev.turnpike.server.browser.cdp.CdpConnection;
import dev.turnpike.server.browser.chromium.ChromiumFlags;
import dev.turnpike.server.browser.chromium.ChromiumInstallation;
import dev.turnpike.server.browser.chromium.ChromiumProcess;
import dev.turnpike.server.browser.chromium.ChromiumUnavailableException;
import dev.turnpike.server.browser.chromium.XvfbServer;
import dev.turnpike.server.browser.identity.BrowserIdentity;
import dev.turnpike.server.browser.identity.ExitIdentities;
import dev.turnpike.server.browser.proxy.ProxyRelay;
import dev.turnpike.server.browser.proxy.ProxyRelays;
import dev.turnpike.server.net.ProxySpec;
import java.io.IOException;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A pool of Chromium browsers, each running up to {@code contextsPerBrowser} tasks at once, one fresh
 * browser context per task. Every context is made on its own local relay ({@link ProxyRelay}), the only way out of
 * its pages: bound, when a task takes it, to the task's proxy or to the address-checked direct route.
 *
 * <ul>
 *   <li>{@link #acquireDirect} and {@link #acquireThrough} reserve a slot under the pool's lock and create the
 *       context outside it; a full pool makes them wait (interruptibly), they never fail for lack of room.</li>
 *   <li>A few ready contexts per browser are kept warm, so a task starts at once; a used context is never reused: it
 *       is disposed and a new warm one prepared. A context is made for tasks with a proxy or without one
 *       ({@link ContextKind}: in a proxyless one Cloudflare's challenge host bypasses the relay), and a browser's
 *       warm contexts are of the kind its last task took; a task that finds none of its kind and no free slot takes
 *       the slot of a warm context of the other kind.</li>
 *   <li>Elastic ({@link BrowserSettings#minBrowsers()} below {@link BrowserSettings#browsers()}): a browser is
 *       started when a task takes the last free slot (or finds none), up to the maximum, and a browser beyond the
 *       minimum with no task for {@link BrowserSettings#idleAfter()} is retired ({@link RetireReason#IDLE}). An idle
 *       server holds no Chromium by default; the first task after idle pays one launch.</li>
 *   <li>Browsers are recycled after N tasks, after their age limit (with jitter), or above the memory
 *       cap: they drain (no new tasks; the running ones finish) while a replacement starts.</li>
 *   <li>A crashed browser (process exit or DevTools disconnect) is killed by process group, its profile
 *       deleted, and replaced; the leases it held fail with a closed connection, which the solvers
 *       report as {@code BROWSER_CRASHED} (retried once by the worker).</li>
 * </ul>
 */
public final class BrowserPool implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(BrowserPool.class);
    private static final Duration LAUNCH_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration RELAUNCH_BACKOFF = Duration.ofSeconds(5);
    private static final int MAX_ACQUIRE_ATTEMPTS = 3;
    private static final int RETIREMENTS_KEPT = 200;

    private final BrowserSettings settings;
    private final ChromiumInstallation installation;
    private final BrowserIdentity identity;
    private final ScheduledExecutorService scheduler;
    private final Clock clock;
    private final RandomGenerator random;
    private final ObjectMapper json = new ObjectMapper();
    private final XvfbServer xvfb;

    /** Every context's relay; closed with the pool. */
    private final ProxyRelays relays;
    private final WarmContextPolicy policy;
    /** The time zone and languages each context presents: its proxy exit's country's, or this machine's. */
    private final ExitIdentities exitIdentities;
    /**
     * Launches, replacements and retirements of browsers: few and long, on platform threads, because they start
     * processes and open the first DevTools socket, whose JDK class initialisation pinned a carrier (36 ms, JFR).
     */
    private final ExecutorService browserThreads = Executors.newThreadPerTaskExecutor(
            Thread.ofPlatform().daemon().name("browser-lifecycle-", 0).factory());
    /** Warm contexts made, released contexts disposed: off the task's thread. */
    private final ExecutorService contextThreads = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("browser-context-", 0).factory());
    /** Tasks waiting for a warm context being made, by kind: one per context being made. */
    private final EnumMap<ContextKind, Integer> awaitingWarm = new EnumMap<>(ContextKind.class);

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final List<PooledBrowser> browsers = new ArrayList<>();
    private final Deque<BrowserRetired> retirements = new ArrayDeque<>();
    private final AtomicLong nextBrowserId = new AtomicLong(1);
    private long retiredCount;
    private int waiting;
    private int launching;
    /** The last launch failed: readiness must not count on starting more until one succeeds. */
    private boolean launchFailing;
    /** Browsers being killed right now; close() waits for them so no process or profile outlives it. */
    private int tearingDown;
    private boolean closed;
    private ScheduledFuture<?> housekeeping;
    /** Kills the browsers when the JVM exits without closing the pool (SIGTERM, System.exit). */
    private final Thread shutdownHook = new Thread(this::close, "browser-pool-shutdown");

    private BrowserPool(BrowserSettings settings, ChromiumInstallation installation, ProxyRelays relays,
                        ScheduledExecutorService scheduler, Clock clock, RandomGenerator random, XvfbServer xvfb) {
        this.settings = settings;
        this.relays = relays;
        this.installation = installation;
        this.identity = installation.identity();
        this.scheduler = scheduler;
        this.clock = clock;
        this.random = random;
        this.xvfb = xvfb;
        this.policy = new WarmContextPolicy(settings.contextsPerBrowser(), settings.warmContexts());
        this.exitIdentities = ExitIdentities.forBrowsers(clock, settings.extraArgs());
    }

    /**
     * Finds Chromium, starts the minimum of browsers (in parallel) and the housekeeping task, and returns once they
     * are up. An elastic pool with a minimum of 0 starts one browser in the background, so the first task does not
     * wait for a launch; it retires when idle like any other.
     *
     * @param relays the contexts' relays, with the direct route (address policy, host rules); the pool closes them
     *
     * @throws ChromiumUnavailableException Chromium is missing or does not start: the message says how to fix it
     */
    public static BrowserPool start(BrowserSettings settings, ProxyRelays relays, ScheduledExecutorService scheduler,
                                    Clock clock, RandomGenerator random)
            throws ChromiumUnavailableException, InterruptedException {
        ChromiumInstallation installation;
        XvfbServer xvfb;
        try {
            installation = ChromiumInstallation.discover(settings.chromiumPath());
            xvfb = settings.display() == BrowserSettings.Display.XVFB ? XvfbServer.start(LAUNCH_TIMEOUT) : null;
        } catch (ChromiumUnavailableException | RuntimeException e) {
            relays.close();
            throw e;
        }
        BrowserPool pool = new BrowserPool(settings, installation, relays, scheduler, clock, random, xvfb);
        Runtime.getRuntime().addShutdownHook(pool.shutdownHook);
        try {
            pool.startAll();
        } catch (ChromiumUnavailableException | InterruptedException | RuntimeException e) {
            pool.close();
            throw e;
        }
        long period = settings.housekeepingPeriod().toMillis();
        pool.housekeeping = scheduler.scheduleWithFixedDelay(pool::housekeepSafely, period, period,
                TimeUnit.MILLISECONDS);
        return pool;
    }

    private void startAll() throws ChromiumUnavailableException, InterruptedException {
        List<Future<?>> launches = new ArrayList<>();
        List<Exception> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        for (int i = 0; i < settings.minBrowsers(); i++) {
            launches.add(browserThreads.submit(() -> {
                try {
                    PooledBrowser browser = launch();
                    lock.lock();
                    try {
                        browsers.add(browser);
                    } finally {
                        lock.unlock();
                    }
                } catch (Exception e) {
                    failures.add(e);
                }
            }));
        }
        for (Future<?> launch : launches) {
            try {
                launch.get();
            } catch (ExecutionException e) { // the launch records its own failures; this is a bug of ours
                failures.add(new IllegalStateException(e.getCause()));
            }
        }
        if (!failures.isEmpty()) {
            Exception first = failures.get(0);
            throw new ChromiumUnavailableException("Chromium " + installation.version() + " at "
                    + installation.binary() + " did not start: " + first.getMessage(), first);
        }
        List<PooledBrowser> started = liveBrowsers();
        started.forEach(this::replenish);
        if (started.isEmpty()) {
            launchBrowser();
        }
    }

    /** The identity every browser of this pool presents. */
    public BrowserIdentity identity() {
        return identity;
    }

    /** Learns each proxy's exit country (kept per proxy) for the contexts' time zones and languages. */
    ExitIdentities exitIdentities() {
        return exitIdentities;
    }

    public ChromiumInstallation installation() {
        return installation;
    }

    public BrowserSettings settings() {
        return settings;
    }

    /** Whether the pool's browsers give other sites' iframes processes (and targets) of their own. */
    boolean isolatesSites() {
        return ChromiumFlags.isolatesSites(settings.extraArgs());
    }

    /**
     * Takes a slot and returns a context whose pages reach their targets directly, each connection checked by the
     * address policy in the context's relay ({@link ProxyRelay#bindDirect()}), Cloudflare's challenge host around it
     * ({@link ContextKind#DIRECT}); waits while the pool is full. A warm context when one of its kind is ready.
     *
     * @throws InterruptedException  the task's deadline passed or the server is stopping
     * @throws IllegalStateException the pool is closed
     */
    public ContextLease acquireDirect() throws InterruptedException {
        try {
            return acquire(ContextKind.DIRECT, relay -> relay.bindDirect());
        } catch (UnknownHostException e) {
            throw new IllegalStateException("a direct route resolves no proxy", e);
        }
    }

    /**
     * Takes a slot and returns a context whose only way out is the task's proxy ({@link ProxyRelay#bind}): credentials
     * of every proxy kind stay in the relay, and a page cannot reach this machine directly. A warm context when one is
     * ready of the kind made for tasks with a proxy ({@link ContextKind#PROXIED}: nothing bypasses the proxy).
     *
     * @throws UnknownHostException  the proxy's host name does not resolve
     * @throws InterruptedException  the task's deadline passed or the server is stopping
     * @throws IllegalStateException the pool is closed
     */
    public ContextLease acquireThrough(ProxySpec upstream) throws InterruptedException, UnknownHostException {
        Objects.requireNonNull(upstream, "upstream");
        return acquire(ContextKind.PROXIED, relay -> relay.bind(upstream));
    }

    /**
     * Starts learning the exit country of a task's proxy before its context is taken
     * ({@link ExitIdentities#learnAhead}, through a relay of its own to the same proxy, judged by the same policy), so
     * that {@link ContextLease#presentRegion} waits for less of the trace, or none. Returns at once.
     */
    public void learnExitAhead(ProxySpec upstream, java.net.URI target) {
        exitIdentities.learnAhead(upstream, target, identity.userAgent(), () -> relays.open(upstream));
    }

    /** Gives a context's relay the task's route. */
    @FunctionalInterface
    private interface Route {
        void bind(ProxyRelay relay) throws UnknownHostException;
    }

    /**
     * Reserves a slot, takes its warm context or makes one, and binds its relay to the task's route. A browser that
     * dies meanwhile costs a retry on another (up to {@link #MAX_ACQUIRE_ATTEMPTS}); whatever fails gives its slot
     * back and disposes what it made.
     */
    private ContextLease acquire(ContextKind kind, Route route) throws InterruptedException, UnknownHostException {
        for (int attempt = 1; ; attempt++) {
            Reservation reservation = reserve(kind);
            ContextLease lease = reservation.warm;
            try {
                if (lease == null) {
                    lease = ContextLease.create(this, reservation.browser, relays.openUnbound(), kind);
                }
                route.bind(lease.relay());
                return lease;
            } catch (RuntimeException e) {
                giveBack(reservation, lease);
                if (reservation.browser.connection.isOpen() || attempt >= MAX_ACQUIRE_ATTEMPTS) {
                    throw e;
                }
                log.info("browser {} died while a context was being prepared; trying another", reservation.browser.id);
            } catch (InterruptedException | UnknownHostException e) {
                giveBack(reservation, lease);
                throw e;
            }
        }
    }

    /**
     * A reservation that did not become a task's context: the context made for it disposed (which frees the slot and
     * closes its relay), else the slot freed.
     */
    private void giveBack(Reservation reservation, ContextLease made) {
        if (made != null) {
            made.close();
        } else {
            releaseSlot(reservation.browser, false);
        }
    }

    private record Reservation(PooledBrowser browser, ContextLease warm, boolean othersBusy) {
    }

    private Reservation reserve(ContextKind kind) throws InterruptedException {
        Reservation reservation;
        lock.lock();
        try {
            while (true) {
                if (closed) {
                    throw new IllegalStateException("the browser pool is closed");
                }
                switch (policy.choose(ready().toList(), kind, awaitingWarm.getOrDefault(kind, 0))) {
                    case WarmContextPolicy.Choice.TakeWarm<PooledBrowser> c ->
                            reservation = reserveOn(c.browser(), c.browser().takeWarm(kind));
                    case WarmContextPolicy.Choice.TakeFree<PooledBrowser> c -> reservation = reserveOn(c.browser(), null);
                    case WarmContextPolicy.Choice.Evict<PooledBrowser> c -> {
                        disposeQuietly(c.browser().takeOldestWarmNot(kind));
                        reservation = reserveOn(c.browser(), null);
                    }
                    case WarmContextPolicy.Choice.AwaitWarm<PooledBrowser> c -> {
                        awaitingWarm.merge(kind, 1, Integer::sum);
                        try {
                            awaitChange();
                        } finally {
                            awaitingWarm.merge(kind, -1, Integer::sum);
                        }
                        continue;
                    }
                    case WarmContextPolicy.Choice.AwaitSlot<PooledBrowser> c -> {
                        growIfFull();
                        awaitChange();
                        continue;
                    }
                }
                break;
            }
            reservation.browser.warmKind = kind;
            growIfFull();
        } finally {
            lock.unlock();
        }
        if (reservation.warm != null && reservation.othersBusy) {
            // Alone on its browser, the task's context is replaced when it is released instead (releaseSlot): a
            // context made now would take Chromium's one spare renderer process from the task's own navigations,
            // and a context made after them finds it (PooledBrowser.takeWarm). With other tasks running, a context
            // ready sooner is worth more than the spare.
            PooledBrowser browser = reservation.browser;
            contextThreads.execute(() -> replenish(browser));
        }
        return reservation;
    }

    /**
     * Under the lock: when no browser taking tasks has a free slot and none is starting, starts one (up to the
     * maximum), so a burst finds room instead of a queue. A fixed pool is always at its maximum.
     */
    private void growIfFull() {
        if (closed || browsers.size() + launching >= settings.browsers()) {
            return;
        }
        int free = ready().mapToInt(b -> settings.contextsPerBrowser() - b.busy).sum();
        if (free <= 0 && launching == 0) {
            launchBrowser();
        }
    }

    /** Under the lock: takes a slot on this browser, with its warm context when there is one. */
    private static Reservation reserveOn(PooledBrowser browser, ContextLease warm) {
        browser.busy++;
        return new Reservation(browser, warm, browser.busy > 1);
    }

    /** Under the lock: waits for a slot, a warm context or a browser to change. */
    private void awaitChange() throws InterruptedException {
        waiting++;
        try {
            changed.await();
        } finally {
            waiting--;
        }
    }

    private java.util.stream.Stream<PooledBrowser> ready() {
        return browsers.stream().filter(b -> b.state == PooledBrowser.State.READY && b.connection.isOpen());
    }

    /** Called by {@link ContextLease#close()}: dispose off the caller's thread, then free the slot. */
    void release(ContextLease lease) {
        contextThreads.execute(() -> {
            boolean confirmed = lease.dispose();
            lease.markDisposed();
            releaseSlot(lease.browser, true);
            if (!confirmed && lease.browser.connection.isOpen()) {
                drain(lease.browser, RetireReason.UNHEALTHY, "a context could not be disposed");
            }
        });
    }

    private void releaseSlot(PooledBrowser browser, boolean served) {
        boolean retireNow;
        lock.lock();
        try {
            browser.busy--;
            if (browser.busy == 0) {
                browser.lastTaskEnded = clock.instant();
            }
            if (served) {
                browser.served++;
                if (browser.served >= settings.maxTasksPerBrowser() && browser.state == PooledBrowser.State.READY) {
                    beginDrain(browser, RetireReason.TASKS, browser.served + " tasks served");
                }
            }
            retireNow = browser.state == PooledBrowser.State.DRAINING && browser.idle();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (retireNow) {
            retire(browser, browser.drainReason, browser.drainDetail, false);
        } else {
            replenish(browser);
        }
    }

    /**
     * Keeps the browser's warm queue filled, within its free slots: contexts of the kind its last task took, made on
     * unbound relays, each replacing a warm context of the other kind when there is no room for it.
     */
    private void replenish(PooledBrowser browser) {
        while (true) {
            ContextKind kind;
            lock.lock();
            try {
                kind = browser.warmKind;
                if (closed || browser.state != PooledBrowser.State.READY || !browser.connection.isOpen()) {
                    return;
                }
                switch (policy.replenish(browser)) {
                    case NOTHING -> {
                        return;
                    }
                    case REPLACE_OTHER_KIND -> disposeQuietly(browser.takeOldestWarmNot(kind));
                    case MAKE -> {
                    }
                }
                browser.countWarming(kind, 1);
            } finally {
                lock.unlock();
            }
            ContextLease lease = null;
            try {
                lease = ContextLease.create(this, browser, relays.openUnbound(), kind);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                log.debug("warm context on browser {} failed: {}", browser.id, e.getMessage());
            }
            boolean keep;
            boolean retireNow;
            lock.lock();
            try {
                browser.countWarming(kind, -1);
                keep = lease != null && !closed && browser.state == PooledBrowser.State.READY;
                if (keep) {
                    browser.warm.add(lease);
                }
                retireNow = browser.state == PooledBrowser.State.DRAINING && browser.idle();
                changed.signalAll();
            } finally {
                lock.unlock();
            }
            if (!keep) {
                if (lease != null) {
                    disposeQuietly(lease);
                }
                if (retireNow) {
                    retire(browser, browser.drainReason, browser.drainDetail, false);
                }
                return;
            }
        }
    }

    private void disposeQuietly(ContextLease lease) {
        contextThreads.execute(() -> {
            lease.dispose();
            lease.markDisposed();
        });
    }

    /** Stops giving the browser new tasks; retires it once its running tasks end; starts a replacement. */
    private void drain(PooledBrowser browser, RetireReason reason, String detail) {
        boolean retireNow;
        lock.lock();
        try {
            if (browser.state != PooledBrowser.State.READY) {
                return;
            }
            beginDrain(browser, reason, detail);
            retireNow = browser.idle();
        } finally {
            lock.unlock();
        }
        if (retireNow) {
            retire(browser, reason, detail, false);
        }
    }

    /** Under the lock: a replacement is started, except for a browser retired for being idle. */
    private void beginDrain(PooledBrowser browser, RetireReason reason, String detail) {
        browser.state = PooledBrowser.State.DRAINING;
        browser.drainReason = reason;
        browser.drainDetail = detail;
        List<ContextLease> idle = new ArrayList<>(browser.warm);
        browser.warm.clear();
        idle.forEach(this::disposeQuietly);
        log.info("browser {} draining: {} ({})", browser.id, reason, detail);
        if (!closed && reason != RetireReason.IDLE) {
            launchBrowser();
        }
    }

    /** Takes the browser out, kills its process group and deletes its profile. */
    private void retire(PooledBrowser browser, RetireReason reason, String detail, boolean replace) {
        List<ContextLease> idle;
        lock.lock();
        try {
            if (browser.state == PooledBrowser.State.RETIRED) {
                return;
            }
            browser.state = PooledBrowser.State.RETIRED;
            browsers.remove(browser);
            idle = List.copyOf(browser.warm);
            browser.warm.clear();
            retiredCount++;
            retirements.addLast(new BrowserRetired(browser.id, reason, browser.served,
                    Duration.between(browser.startedAt, clock.instant()), detail));
            if (retirements.size() > RETIREMENTS_KEPT) {
                retirements.removeFirst();
            }
            if (replace && !closed) {
                launchBrowser();
            }
            tearingDown++;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        log.info("browser {} retired: {} ({}), {} tasks", browser.id, reason, detail, browser.served);
        idle.forEach(ContextLease::closeRelay); // their contexts go with the browser; their relays are ours to close
        try {
            browser.connection.close();
            browser.process.kill();
        } finally {
            lock.lock();
            try {
                tearingDown--;
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    /**
     * Under the lock or not: starts one browser on a lifecycle thread. A replacement (or a start browser) that fails
     * is retried after a pause while the pool still needs it: below its minimum, or with tasks waiting.
     */
    private void launchBrowser() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            launching++;
        } finally {
            lock.unlock();
        }
        browserThreads.execute(() -> {
            PooledBrowser browser = null;
            try {
                browser = launch();
            } catch (Exception e) {
                log.warn("replacement browser did not start: {}", e.getMessage());
            }
            boolean added = false;
            lock.lock();
            try {
                launchFailing = browser == null;
                if (browser != null && !closed) {
                    browsers.add(browser);
                    added = true;
                }
            } finally {
                lock.unlock();
            }
            if (!added && browser != null) {
                // The pool closed while it started: it goes before close() stops waiting for launches.
                browser.connection.close();
                browser.process.kill();
            }
            boolean tasksWaiting;
            lock.lock();
            try {
                launching--;
                tasksWaiting = waiting > 0;
                changed.signalAll();
            } finally {
                lock.unlock();
            }
            if (added) {
                if (tasksWaiting) {
                    // Tasks were waiting for this browser (the first after an idle time, a burst): each makes its own
                    // context now, and warm ones made beside them would only compete for the CPU and the spare
                    // renderer their pages need; the warm queue fills as their slots free (releaseSlot).
                    log.debug("browser {} started for waiting tasks: its warm contexts follow their release",
                            browser.id);
                } else {
                    replenish(browser);
                }
            } else if (browser == null && stillNeeded()) {
                scheduler.schedule(this::launchBrowser, RELAUNCH_BACKOFF.toMillis(), TimeUnit.MILLISECONDS);
            }
        });
    }

    /** Whether a browser that failed to start should be tried again: below the minimum, or tasks waiting. */
    private boolean stillNeeded() {
        lock.lock();
        try {
            return !closed && (browsers.size() + launching < Math.max(1, settings.minBrowsers()) || waiting > 0);
        } finally {
            lock.unlock();
        }
    }

    private PooledBrowser launch() throws IOException, InterruptedException {
        Map<String, String> env = xvfb != null ? Map.of("DISPLAY", xvfb.display()) : Map.of();
        ChromiumProcess process = ChromiumProcess.launch(installation, settings.effectiveProfileRoot(),
                identity.userAgent(), xvfb == null, settings.extraArgs(), env, settings.nice(), LAUNCH_TIMEOUT);
        CdpConnection connection;
        try {
            connection = CdpConnection.open(process.devToolsUrl(), json, LAUNCH_TIMEOUT);
        } catch (IOException e) {
            process.kill();
            throw e;
        }
        Instant now = clock.instant();
        long jitterMillis = settings.ageJitter().isZero() ? 0 : random.nextLong(settings.ageJitter().toMillis() + 1);
        PooledBrowser browser = new PooledBrowser(nextBrowserId.getAndIncrement(), process, connection, now,
                now.plus(settings.maxBrowserAge()).plusMillis(jitterMillis));
        process.onExit().thenRun(() -> died(browser, "process exited with code " + exitCode(process)));
        connection.onClose(() -> died(browser, "DevTools connection closed: " + connection.closedFuture().getNow("")));
        return browser;
    }

    private static String exitCode(ChromiumProcess process) {
        try {
            return Integer.toString(process.onExit().getNow(null).exitValue());
        } catch (RuntimeException e) {
            return "?";
        }
    }

    /** A browser went away without us asking. */
    private void died(PooledBrowser browser, String detail) {
        boolean replace;
        lock.lock();
        try {
            if (browser.state == PooledBrowser.State.RETIRED || closed) {
                return;
            }
            // A draining browser already has its replacement.
            replace = browser.state == PooledBrowser.State.READY;
        } finally {
            lock.unlock();
        }
        log.warn("browser {} crashed: {}", browser.id, detail);
        browserThreads.execute(() -> retire(browser, RetireReason.CRASHED, detail, replace));
    }

    private void housekeepSafely() {
        try {
            runHousekeeping();
        } catch (RuntimeException e) {
            log.warn("browser housekeeping failed", e);
        }
    }

    /**
     * One round of housekeeping: drains browsers past their age or memory cap, and retires idle ones beyond the
     * minimum. Runs periodically on the scheduler; public so tests and operators can trigger it.
     */
    public void runHousekeeping() {
        retireIdle();
        List<PooledBrowser> current = liveBrowsers();
        Instant now = clock.instant();
        for (PooledBrowser browser : current) {
            if (now.isAfter(browser.retireAt)) {
                drain(browser, RetireReason.AGE, "age " + Duration.between(browser.startedAt, now).toSeconds() + " s");
            } else if (settings.memoryCapBytes() > 0) {
                long pss = browser.process.pssBytes();
                if (pss > settings.memoryCapBytes()) {
                    drain(browser, RetireReason.MEMORY, "PSS " + (pss >> 20) + " MiB");
                }
            }
        }
    }

    /**
     * Retires the browsers beyond the minimum that had no task for the idle time, longest idle first. A browser that
     * is making a warm context is not idle yet; its warm contexts go with it.
     */
    private void retireIdle() {
        List<PooledBrowser> idle = new ArrayList<>();
        lock.lock();
        try {
            if (closed) {
                return;
            }
            Instant now = clock.instant();
            List<PooledBrowser> candidates = ready()
                    .filter(b -> b.idle() && !now.isBefore(b.lastTaskEnded.plus(settings.idleAfter())))
                    .sorted(java.util.Comparator.comparing((PooledBrowser b) -> b.lastTaskEnded))
                    .toList();
            int beyondMinimum = (int) ready().count() - settings.minBrowsers();
            for (PooledBrowser browser : candidates.subList(0, Math.max(0, Math.min(beyondMinimum, candidates.size())))) {
                beginDrain(browser, RetireReason.IDLE, "no task for "
                        + Duration.between(browser.lastTaskEnded, now).toSeconds() + " s");
                idle.add(browser);
            }
        } finally {
            lock.unlock();
        }
        idle.forEach(browser -> retire(browser, RetireReason.IDLE, browser.drainDetail, false));
    }

    /** A snapshot of browsers and slots. */
    public PoolStats stats() {
        lock.lock();
        try {
            return new PoolStats(browsers.stream().map(b -> new PoolStats.BrowserStats(b.id, b.process.pgid(),
                    b.state.name(), b.busy, b.warm.size(), b.warming(), b.served)).toList(), waiting, retiredCount,
                    launching, closed || launchFailing ? 0 : Math.max(0, settings.browsers() - browsers.size() - launching));
        } finally {
            lock.unlock();
        }
    }

    /** The most recent retirements, oldest first. */
    public List<BrowserRetired> retirements() {
        lock.lock();
        try {
            return List.copyOf(retirements);
        } finally {
            lock.unlock();
        }
    }

    /** Total PSS of every browser's process tree. */
    public long pssBytes() {
        List<PooledBrowser> current = liveBrowsers();
        return current.stream().mapToLong(b -> b.process.pssBytes()).sum();
    }

    /**
     * DevTools commands sent to and events received from the live browsers so far, summed ({@code [commands, events]};
     * a browser that retired takes its counts with it): what benchmarks divide by the solves between two readings.
     */
    public long[] devToolsTraffic() {
        List<PooledBrowser> current = liveBrowsers();
        return new long[] {current.stream().mapToLong(b -> b.connection.commandsSent()).sum(),
                current.stream().mapToLong(b -> b.connection.eventsReceived()).sum()};
    }

    /** The browsers now, read under the lock. */
    private List<PooledBrowser> liveBrowsers() {
        lock.lock();
        try {
            return List.copyOf(browsers);
        } finally {
            lock.unlock();
        }
    }

    /** The process group ids of the live browsers (for diagnostics and leak tests). */
    public List<Long> processGroups() {
        lock.lock();
        try {
            return browsers.stream().map(b -> b.process.pgid()).toList();
        } finally {
            lock.unlock();
        }
    }

    /** Whether {@link #close()} was called. */
    public boolean isClosed() {
        lock.lock();
        try {
            return closed;
        } finally {
            lock.unlock();
        }
    }

    /** Kills every browser (by process group) and deletes every profile; waiting acquirers fail. */
    @Override
    public void close() {
        List<PooledBrowser> all;
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            all = List.copyOf(browsers);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (housekeeping != null) {
            housekeeping.cancel(false);
        }
        if (Thread.currentThread() != shutdownHook) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException e) {
                // The JVM is already shutting down; the hook runs this same close().
            }
        }
        List<Future<?>> killers = new ArrayList<>();
        for (PooledBrowser browser : all) {
            killers.add(browserThreads.submit(() -> retire(browser, RetireReason.SHUTDOWN, "pool closed", false)));
        }
        // Bounded: a browser that will not die is left to its guard shell, which kills its group when the JVM ends.
        long deadline = System.nanoTime() + LAUNCH_TIMEOUT.toNanos();
        for (Future<?> killer : killers) {
            try {
                killer.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (TimeoutException e) {
                // left to its guard shell
            } catch (ExecutionException e) {
                log.warn("retiring a browser at close failed: {}", e.getCause().toString());
            }
        }
        // A replacement that was starting when we closed kills itself when it sees the pool closed; a browser
        // another thread is retiring is waited for too.
        waitForLaunches();
        relays.close();
        if (xvfb != null) {
            xvfb.close();
        }
    }

    private void waitForLaunches() {
        lock.lock();
        try {
            long deadline = System.nanoTime() + LAUNCH_TIMEOUT.toNanos();
            while ((launching > 0 || tearingDown > 0) && System.nanoTime() < deadline) {
                changed.awaitNanos(deadline - System.nanoTime());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
    }
}
