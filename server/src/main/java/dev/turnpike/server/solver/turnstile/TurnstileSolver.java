package dev.turnpike.server.solver.turnstile;

import dev.turnpike.server.browser.cdp.CdpClosedException;
import dev.turnpike.server.browser.cdp.CdpException;
import dev.turnpike.server.browser.pool.BrowserPool;
import dev.turnpike.server.browser.pool.ContextLease;
import dev.turnpike.server.browser.pool.ContextOptions;
import dev.turnpike.server.browser.pool.FulfilledResponse;
import dev.turnpike.server.browser.pool.HostPolicy;
import dev.turnpike.server.browser.pool.NavigationFailedException;
import dev.turnpike.server.net.ProxySpec;
import dev.turnpike.server.solver.SolveException;
import dev.turnpike.server.solver.SolvePhase;
import dev.turnpike.server.solver.SolvePhases;
import dev.turnpike.server.solver.Solver;
import dev.turnpike.server.solver.widget.TrustedClick;
import dev.turnpike.server.task.FailReason;
import dev.turnpike.server.task.Solution;
import dev.turnpike.server.task.TaskSpec;
import dev.turnpike.server.task.TaskType;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Solves Turnstile tasks in a pooled browser context.
 *
 * <ul>
 *   <li>{@link TaskType#TURNSTILE_PROXYLESS} (fast): the navigation to {@code websiteURL} is answered
 *       in the browser by a minimal page on that origin that renders the widget with the task's sitekey,
 *       action, cData and chlPageData — the real site is never loaded.</li>
 *   <li>{@link TaskType#TURNSTILE_PROXYLESS_M1} (full): the real page is loaded and its own widget of the
 *       task's sitekey solved (rendered implicitly, explicitly, or late); when none appears within
 *       {@link #FALLBACK_AFTER}, one is rendered on the page as in fast mode. The page's widget is solved as
 *       the site renders it, whatever action and cData the task names; after a retryable failure it is rendered
 *       once more with the parameters it had ({@link PageWidgets}).</li>
 * </ul>
 * In both, the token and any error code arrive the moment the widget posts them; an interactive widget
 * gets a trusted click; a widget error fails the task at once with {@code WIDGET_ERROR} and the code.
 * A task with a proxy (the {@code TurnstileTask} alias) runs in a context using that proxy.
 */
public final class TurnstileSolver implements Solver {

    private static final Logger log = LoggerFactory.getLogger(TurnstileSolver.class);
    /** M1: how long the page has to show its own widget of the task's sitekey before we render one. */
    public static final Duration FALLBACK_AFTER = Duration.ofSeconds(5);
    /** How long a widget may stay silent after it started when it does not say (real Cloudflare doesn't). */
    public static final Duration DEFAULT_WIDGET_WATCHDOG = Duration.ofSeconds(60);
    private static final Duration NAVIGATION_TIMEOUT = Duration.ofSeconds(45);
    private static final Duration POLL = Duration.ofMillis(250);
    /** The code of a widget that stopped answering. */
    private static final String WIDGET_HUNG = "300030";
    private static final Duration CLICK_COMMAND_TIMEOUT = Duration.ofSeconds(10);
    /** How long an interactive widget has, after it says so, to show its checkbox. */
    private static final Duration CHECKBOX_WAIT = Duration.ofSeconds(10);

    private final BrowserPool pool;
    private final HostPolicy hostPolicy;
    private final Clock clock;
    private final RandomGenerator random;
    private final TrustedClick click;
    private final SolvePhases phases;

    /**
     * @param pool       the browsers
     * @param hostPolicy the address policy the browser applies to every request of the task
     * @param clock      for the deadline and the fallback timer
     * @param random     names of bindings, click positions
     * @param phases     where the time of each phase of a solve is reported
     */
    public TurnstileSolver(BrowserPool pool, HostPolicy hostPolicy, Clock clock, RandomGenerator random,
                           SolvePhases phases) {
        this.pool = pool;
        this.phases = phases;
        this.hostPolicy = hostPolicy;
        this.clock = clock;
        this.random = random;
        this.click = new TrustedClick(random, CLICK_COMMAND_TIMEOUT);
    }

    @Override
    public Set<TaskType> types() {
        return Set.of(TaskType.TURNSTILE_PROXYLESS, TaskType.TURNSTILE_PROXYLESS_M1);
    }

    @Override
    public Solution solve(TaskSpec spec, Instant deadline) throws SolveException, InterruptedException {
        if (!(spec instanceof TaskSpec.Turnstile task) || !types().contains(task.type())) {
            throw new SolveException(FailReason.INTERNAL, "not a Turnstile task: " + spec.type());
        }
        ContextOptions options = contextOptions(task.proxy());
        SolvePhases.Laps laps = phases.start(task.type());
        ContextLease lease;
        try {
            lease = pool.acquire(options);
        } catch (IllegalStateException e) {
            throw new SolveException(FailReason.SHUTDOWN, "the browser pool is shutting down");
        } catch (CdpException e) {
            throw new SolveException(FailReason.BROWSER_CRASHED, "no browser context could be created: " + e.getMessage(), e);
        }
        laps.lap(SolvePhase.CONTEXT);
        try (lease) {
            return solveIn(lease, task, deadline, laps);
        } catch (CdpClosedException e) {
            if (pool.isClosed()) {
                throw new SolveException(FailReason.SHUTDOWN, "the browser pool is shutting down", e);
            }
            throw new SolveException(FailReason.BROWSER_CRASHED,
                    "the browser running the task went away (" + e.getMessage() + ")", e);
        } catch (NavigationFailedException e) {
            throw navigationFailure(task, e, lease.proxied());
        } catch (CdpException e) {
            if (lease.browserCrashed()) {
                throw new SolveException(FailReason.BROWSER_CRASHED, "the browser running the task went away", e);
            }
            throw new SolveException(FailReason.INTERNAL, "browser error: " + e.getMessage(), e);
        }
    }

    private Solution solveIn(ContextLease lease, TaskSpec.Turnstile task, Instant deadline, SolvePhases.Laps laps)
            throws SolveException, InterruptedException {
        lease.presentUserAgent(task.userAgent()); // before the widget's frame exists; kept the browser's if inconsistent
        WidgetWatch watch = WidgetWatch.install(lease, random);
        boolean fast = task.type() == TaskType.TURNSTILE_PROXYLESS;
        PageWidgets pageWidgets = fast ? null : PageWidgets.install(lease, watch, task);
        String url = task.websiteUrl().toString();
        if (fast) {
            String page = WidgetPage.html(task.websiteKey(), task.action(), task.cData(), task.chlPageData(), watch.tag());
            lease.intercept(request -> request.isDocument() && sameDocument(request.url(), task.websiteUrl())
                    ? Optional.of(FulfilledResponse.html(page)) : Optional.empty());
        }
        laps.lap(SolvePhase.PREPARE);
        lease.navigate(url, NAVIGATION_TIMEOUT);
        laps.lap(SolvePhase.NAVIGATE);
        Instant fallbackAt = fast ? null : clock.instant().plus(FALLBACK_AFTER);
        Instant widgetDeadline = null;
        String startedWidget = null;
        while (true) {
            Instant now = clock.instant();
            if (!now.isBefore(deadline)) {
                throw new SolveException(FailReason.DEADLINE, "no token before the task's deadline");
            }
            if (fallbackAt != null && !now.isBefore(fallbackAt)) {
                fallbackAt = null;
                if (!watch.hasWidgetFor(task.websiteKey())) {
                    pageWidgets.renderFallback();
                }
            }
            if (widgetDeadline != null && !now.isBefore(widgetDeadline)) {
                if (pageWidgets != null && pageWidgets.renderAgain(startedWidget, WIDGET_HUNG)) {
                    widgetDeadline = now.plus(DEFAULT_WIDGET_WATCHDOG); // until the new widget says how long
                    continue;
                }
                throw new SolveException(FailReason.WIDGET_ERROR,
                        WidgetErrors.describe(WIDGET_HUNG) + ": the widget stopped answering");
            }
            WidgetEvent event = watch.next(POLL);
            if (event == null || !concernsTask(event, watch, task.websiteKey())) {
                continue;
            }
            switch (event.event()) {
                case "init" -> {
                    widgetDeadline = clock.instant().plus(event.watchdogMs() > 0
                            ? Duration.ofMillis(event.watchdogMs()) : DEFAULT_WIDGET_WATCHDOG);
                    startedWidget = event.shortId();
                }
                case "complete" -> {
                    if (event.token() != null && !event.token().isEmpty()) {
                        laps.lap(SolvePhase.WIDGET);
                        if (pageWidgets != null) {
                            pageWidgets.solved(event.shortId());
                        }
                        return new Solution.Turnstile(event.token(), lease.userAgent());
                    }
                }
                case "fail" -> {
                    if (pageWidgets == null || !pageWidgets.renderAgain(event.shortId(), event.code())) {
                        throw new SolveException(FailReason.WIDGET_ERROR, WidgetErrors.describe(event.code()));
                    }
                    widgetDeadline = clock.instant().plus(DEFAULT_WIDGET_WATCHDOG);
                }
                case "interactiveBegin" -> {
                    widgetDeadline = null;
                    var frame = watch.frameOf(event.shortId());
                    if (frame.isEmpty()) {
                        throw new SolveException(FailReason.WIDGET_ERROR, "an interactive widget appeared but its frame was not found");
                    }
                    click.click(lease.page(), frame.get(), CHECKBOX_WAIT);
                }
                case "interactiveTimeout" -> throw new SolveException(FailReason.WIDGET_ERROR,
                        "Turnstile interactive challenge timed out (the click was not accepted)");
                default -> { }
            }
        }
    }

    /** Events of widgets with another sitekey (a page may have several) are not ours; our page's are. */
    private static boolean concernsTask(WidgetEvent event, WidgetWatch watch, String sitekey)
            throws InterruptedException {
        if (event.widgetId() == null) {
            return true;
        }
        return watch.sitekeyOf(event.shortId()).map(sitekey::equals).orElse(true);
    }

    private static boolean sameDocument(String requested, URI wanted) {
        try {
            URI r = URI.create(requested);
            return r.getScheme().equalsIgnoreCase(wanted.getScheme()) && r.getHost().equalsIgnoreCase(wanted.getHost())
                    && r.getPort() == wanted.getPort() && stripFragment(r).equals(stripFragment(wanted));
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static String stripFragment(URI u) {
        String path = u.getRawPath() == null || u.getRawPath().isEmpty() ? "/" : u.getRawPath();
        return path + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery());
    }

    private ContextOptions contextOptions(ProxySpec proxy) throws SolveException {
        if (proxy == null) {
            return ContextOptions.proxyless(hostPolicy);
        }
        if (proxy.hasCredentials() && (proxy.scheme() == ProxySpec.Scheme.SOCKS4 || proxy.scheme() == ProxySpec.Scheme.SOCKS5)) {
            // Chromium cannot authenticate to SOCKS proxies; the local proxy relay (browser.proxy) does.
            throw new SolveException(FailReason.INTERNAL, "SOCKS proxies with credentials need the proxy relay");
        }
        return ContextOptions.viaProxy(proxy.address(), proxy.username(), proxy.password(), hostPolicy);
    }

    private static SolveException navigationFailure(TaskSpec.Turnstile task, NavigationFailedException e, boolean proxied) {
        String error = e.errorText();
        String host = task.websiteUrl().getHost();
        if (proxied) {
            if (error.contains("PROXY_AUTH") || error.contains("INVALID_AUTH_CREDENTIALS")) {
                return new SolveException(FailReason.PROXY_NOT_AUTHORISED, "the proxy refused the credentials (" + error + ")", e);
            }
            if (error.contains("TIMED_OUT")) {
                return new SolveException(FailReason.PROXY_CONNECT_TIMEOUT, "the proxy did not answer in time (" + error + ")", e);
            }
            if (error.contains("PROXY") || error.contains("TUNNEL") || error.contains("SOCKS")) {
                return new SolveException(FailReason.PROXY_REFUSED, "the proxy refused the connection (" + error + ")", e);
            }
        }
        if (error.contains("ADDRESS_UNREACHABLE")) {
            return new SolveException(FailReason.NAVIGATION_FAILED, host + ": address not allowed (" + error + ")", e);
        }
        return new SolveException(FailReason.NAVIGATION_FAILED, "could not load " + host + " (" + error + ")", e);
    }
}
