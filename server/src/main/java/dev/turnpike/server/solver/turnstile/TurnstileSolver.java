package dev.turnpike.server.solver.turnstile;

import com.fasterxml.jackson.databind.JsonNode;
import dev.turnpike.server.browser.cdp.CdpClosedException;
import dev.turnpike.server.browser.cdp.CdpException;
import dev.turnpike.server.browser.pool.BrowserPool;
import dev.turnpike.server.browser.pool.ContextLease;
import dev.turnpike.server.browser.pool.FulfilledResponse;
import dev.turnpike.server.browser.pool.NavigationFailedException;
import dev.turnpike.server.net.RefusedAddressException;
import dev.turnpike.server.solver.SolveException;
import dev.turnpike.server.solver.StandInAnswer;
import dev.turnpike.server.solver.SolvePhase;
import dev.turnpike.server.solver.SolvePhases;
import dev.turnpike.server.solver.PresentedIdentity;
import dev.turnpike.server.solver.ProxyWatch;
import dev.turnpike.server.solver.Solver;
import dev.turnpike.server.solver.widget.TrustedClick;
import dev.turnpike.server.task.FailReason;
import dev.turnpike.server.task.Solution;
import dev.turnpike.server.task.TaskSpec;
import dev.turnpike.server.task.TaskType;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
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
 *       task's sitekey solved (rendered implicitly, explicitly, or late; in the top document or any iframe of it; the
 *       page's widgets waiting for {@code execute} are executed through the page's own {@code turnstile}); when
 *       none appears within {@link PageClock#FALLBACK_AFTER} of the load (longer for a page that loads api.js, see
 *       {@link PageClock#postponeFallback}), one is rendered on the page as in fast mode and the solution says so.
 *       A page widget's token is returned only while the page holds it unexpired ({@link PageToken}); one that
 *       expired unreturned is renewed as the page rendered its widget to be ({@link TokenRenewal}). A page that
 *       answers 4xx/5xx, never loads, or shows only other sitekeys' widgets fails at once ({@link PageClock}). The
 *       page's widget is solved as the site renders it, whatever action and cData the task names; after a retryable
 *       failure it is rendered once more with the parameters it had ({@link PageWidgets}).</li>
 * </ul>
 * In both, the token and any error code arrive the moment the widget posts them; an interactive widget
 * gets a trusted click; a widget error fails the task at once with {@code WIDGET_ERROR} and the code.
 * A task with a proxy (the {@code TurnstileTask} alias) runs in a context whose only way out is that proxy (any
 * kind, credentials kept in the relay; a proxy failure fails the task at once with its reason); a proxyless one in a
 * context whose every connection is checked by the address policy.
 */
public final class TurnstileSolver implements Solver {

    private static final Logger log = LoggerFactory.getLogger(TurnstileSolver.class);
    /** How long a widget may stay silent after it started when it does not say (real Cloudflare doesn't). */
    public static final Duration DEFAULT_WIDGET_WATCHDOG = Duration.ofSeconds(60);
    /** How long a token of the page's widget with another action than the task's is kept aside for the wanted one. */
    private static final Duration OTHER_ACTION_WAIT = Duration.ofSeconds(5);
    private static final Duration NAVIGATION_TIMEOUT = Duration.ofSeconds(45);
    /** How often the loop looks at M1's page until a widget of the sitekey started (its timers are due then). */
    private static final Duration POLL = Duration.ofMillis(250);
    /**
     * The longest wait for the widget's next message otherwise: every message ends the wait at once, and the loop's
     * own timers (the deadline, the widget's watchdog, a held token) are waited for exactly; each wait is one
     * DevTools round trip, so fewer of them cost the busy browser less.
     */
    private static final Duration LONG_POLL = Duration.ofSeconds(5);
    /** The code of a widget that stopped answering. */
    private static final String WIDGET_HUNG = "300030";
    private static final Duration CLICK_COMMAND_TIMEOUT = Duration.ofSeconds(10);
    /** How long an interactive widget has, after it says so, to show its checkbox. */
    private static final Duration CHECKBOX_WAIT = Duration.ofSeconds(10);

    private final BrowserPool pool;
    private final Clock clock;
    private final RandomGenerator random;
    private final TrustedClick click;
    private final SolvePhases phases;

    /**
     * @param pool       the browsers (their relays apply the address policy)
     * @param clock      for the deadline and the fallback timer
     * @param random     names of bindings, click positions
     * @param phases     where the time of each phase of a solve is reported
     */
    public TurnstileSolver(BrowserPool pool, Clock clock, RandomGenerator random, SolvePhases phases) {
        this.pool = pool;
        this.phases = phases;
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
        SolvePhases.Laps laps = phases.start(task.type());
        if (task.proxy() != null) {
            pool.learnExitAhead(task.proxy(), task.websiteUrl()); // while the context is taken
        }
        ContextLease lease = acquire(task);
        laps.lap(SolvePhase.CONTEXT);
        try (lease; ProxyWatch watch = ProxyWatch.onCurrentThread(lease.relay())) {
            return PresentedIdentity.attach(solveWatched(lease, watch, task, deadline, laps), lease.region());
        }
    }

    private ContextLease acquire(TaskSpec.Turnstile task) throws SolveException, InterruptedException {
        try {
            return task.proxy() == null ? pool.acquireDirect() : pool.acquireThrough(task.proxy());
        } catch (RefusedAddressException e) {
            throw new SolveException(FailReason.PROXY_REFUSED, "the proxy's address is not allowed: "
                    + e.decision().explanation());
        } catch (UnknownHostException e) {
            throw new SolveException(FailReason.PROXY_REFUSED, "the proxy's host name does not resolve: "
                    + task.proxy().host());
        } catch (IllegalStateException e) {
            throw new SolveException(FailReason.SHUTDOWN, "the browser pool is shutting down");
        } catch (CdpException e) {
            throw new SolveException(FailReason.BROWSER_CRASHED, "no browser context could be created: " + e.getMessage(), e);
        }
    }

    /** Solves in the lease; a failure of the task's proxy (the watch) wins over whatever it caused in the page. */
    private Solution solveWatched(ContextLease lease, ProxyWatch watch, TaskSpec.Turnstile task, Instant deadline,
                                  SolvePhases.Laps laps) throws SolveException, InterruptedException {
        try {
            return solveIn(lease, task, deadline, laps);
        } catch (InterruptedException e) {
            throw watch.proxyFailureBehind(e);
        } catch (CdpClosedException e) {
            if (pool.isClosed()) {
                throw new SolveException(FailReason.SHUTDOWN, "the browser pool is shutting down", e);
            }
            throw new SolveException(FailReason.BROWSER_CRASHED,
                    "the browser running the task went away (" + e.getMessage() + ")", e);
        } catch (NavigationFailedException e) {
            throw watch.proxyFailureBehindNavigation().orElseGet(() -> navigationFailure(task, e, lease));
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
        lease.presentRegion(task.websiteUrl()); // its proxy exit's time zone and languages (none: this machine's)
        if (task.proxy() != null) {
            laps.lap(SolvePhase.IDENTITY);
        }
        WidgetWatch watch = WidgetWatch.install(lease, random);
        boolean fast = task.type() == TaskType.TURNSTILE_PROXYLESS;
        PageWidgets pageWidgets = fast ? null : PageWidgets.install(lease, watch, task);
        String url = task.websiteUrl().toString();
        if (fast) {
            String page = WidgetPage.html(task.websiteKey(), task.action(), task.cData(), task.chlPageData(), watch.tag());
            lease.serveDocument(task.websiteUrl(), FulfilledResponse.html(page));
        }
        laps.lap(SolvePhase.PREPARE); // sent, not awaited: the navigation confirms it
        // Listened to from the commit, so no token waits for the watch to be set up after the load.
        CompletableFuture<JsonNode> loaded = lease.navigateToCommit(url, NAVIGATION_TIMEOUT);
        laps.lap(SolvePhase.NAVIGATE);
        try {
            if (!fast) {
                // The relay's own refusal (403) or failure (502) is not the site's error page: said as what it is.
                failIfPageLost(lease, task);
                refuseErrorPage(lease);
            }
            return awaitToken(lease, watch, pageWidgets, task, deadline, laps, fast ? null : loaded);
        } finally {
            loaded.cancel(false); // a load that never came (or that fast mode ignores) leaves no listener behind
        }
    }

    /** A sitekey in a widget container of the page as rendered ({@code data-sitekey}). */
    private static final java.util.regex.Pattern DATA_SITEKEY =
            java.util.regex.Pattern.compile("data-sitekey=[\"']([0-9A-Za-z_-]{3,100})[\"']");

    /**
     * The token of the Turnstile widget on the page {@code lease} shows (FlareSolverr's {@code tabs_till_verify},
     * PROTOCOL.md §10.2), solved by this engine as M1 solves a page's own widget: its sitekey is found on the page
     * (a {@code data-sitekey} of the page as rendered, else a widget frame's URL), then the page is loaded again in the
     * same context — its cookies, a clearance among them, kept — with the widget watched from the commit, and the
     * token returned is the one the page holds. Empty, with nothing loaded, when the page shows no widget.
     *
     * @param renderedHtml the page as rendered now
     * @throws SolveException the widget failed, or no token came before {@code deadline}
     */
    public Optional<String> solvePageWidget(ContextLease lease, java.net.URI url, String renderedHtml,
                                            Instant deadline, SolvePhases.Laps laps)
            throws SolveException, InterruptedException {
        Optional<String> sitekey = sitekeyShown(lease, renderedHtml);
        if (sitekey.isEmpty()) {
            return Optional.empty();
        }
        TaskSpec.Turnstile task = new TaskSpec.Turnstile(TaskType.TURNSTILE_PROXYLESS_M1, url, sitekey.get(), null,
                null, null, null, null);
        WidgetWatch watch = WidgetWatch.install(lease, random);
        PageWidgets pageWidgets = PageWidgets.install(lease, watch, task);
        CompletableFuture<JsonNode> loaded = lease.navigateToCommit(url.toString(), NAVIGATION_TIMEOUT);
        try {
            failIfPageLost(lease, task);
            refuseErrorPage(lease);
            Solution solved = awaitToken(lease, watch, pageWidgets, task, deadline, laps, loaded);
            return Optional.of(((Solution.Turnstile) solved).token());
        } finally {
            loaded.cancel(false);
        }
    }

    /** The sitekey of the first widget the page shows: in its rendered HTML, else in a widget frame's URL. */
    private static Optional<String> sitekeyShown(ContextLease lease, String renderedHtml) throws InterruptedException {
        java.util.regex.Matcher m = DATA_SITEKEY.matcher(renderedHtml == null ? "" : renderedHtml);
        if (m.find()) {
            return Optional.of(m.group(1));
        }
        for (var frame : lease.frames()) {
            try {
                Optional<WidgetFrameUrl> widget = WidgetFrameUrl.parse(lease.currentUrl(frame, CLICK_COMMAND_TIMEOUT));
                if (widget.isPresent()) {
                    return Optional.of(widget.get().sitekey());
                }
            } catch (CdpClosedException e) {
                throw e;
            } catch (CdpException e) {
                // the frame went away meanwhile
            }
        }
        return Optional.empty();
    }

    /** A 4xx/5xx answer is an error page, not the site's page with its widget: said at once, not after the deadline. */
    private static void refuseErrorPage(ContextLease lease) throws SolveException, InterruptedException {
        OptionalInt status = PageAnswer.status(lease);
        if (status.isPresent() && PageAnswer.isError(status.getAsInt())) {
            // The page may already have gone on to an address refused (the relay's 403): said as what it is.
            Optional<SolveException> standIn = PageAnswer.wentToStandIn(lease);
            if (standIn.isPresent()) {
                throw standIn.get();
            }
            throw new SolveException(FailReason.NAVIGATION_FAILED, PageAnswer.describe(status.getAsInt()));
        }
    }

    /**
     * Reads the widget's events until its token, a failure or the deadline. {@code loaded} is M1's page load (null in
     * fast mode): M1's patience for the page counts from the commit ({@link PageClock}).
     */
    private Solution awaitToken(ContextLease lease, WidgetWatch watch, PageWidgets pageWidgets,
                                TaskSpec.Turnstile task, Instant deadline, SolvePhases.Laps laps,
                                CompletableFuture<JsonNode> loaded) throws SolveException, InterruptedException {
        PageClock page = loaded == null ? null : new PageClock(clock.instant(), loaded);
        TokenRenewal renewal = pageWidgets == null ? null
                : new TokenRenewal(lease, watch, pageWidgets, click, CHECKBOX_WAIT);
        Map<String, String> lastTokens = new HashMap<>(); // each page widget's latest token
        Set<String> expiredTokens = new HashSet<>();      // tokens the page heard expire (its expired-callback's)
        Instant widgetDeadline = null;
        String startedWidget = null;
        Solution.Turnstile held = null; // a token of the sitekey's widget with another action than the task's
        Instant heldUntil = null;
        String heldWidget = null;
        while (true) {
            Instant now = clock.instant();
            if (!now.isBefore(deadline)) {
                throw new SolveException(FailReason.DEADLINE, "no token before the task's deadline");
            }
            if (loaded != null) { // M1 loads the page itself (fast mode serves its own document)
                failIfPageLost(lease, task);
            }
            if (held != null && !now.isBefore(heldUntil)) {
                if (standsInPage(lease, watch, renewal, heldWidget, held.token(), expiredTokens)) {
                    laps.lap(SolvePhase.WIDGET);
                    pageWidgets.solved(heldWidget);
                    return held; // the page shows no widget with the task's action: its own is the one it submits
                }
                held = null; // stale or replaced: the widget's next token is returned as it comes
                widgetDeadline = now.plus(DEFAULT_WIDGET_WATCHDOG);
            }
            if (page != null) {
                lookForTheWidget(page, now, lease, watch, pageWidgets, task);
            }
            if (widgetDeadline != null && !now.isBefore(widgetDeadline)) {
                if (pageWidgets != null && pageWidgets.renderAgain(startedWidget, WIDGET_HUNG)) {
                    widgetDeadline = now.plus(DEFAULT_WIDGET_WATCHDOG); // until the new widget says how long
                    continue;
                }
                throw new SolveException(FailReason.WIDGET_ERROR,
                        WidgetErrors.describe(WIDGET_HUNG) + ": the widget stopped answering");
            }
            WidgetEvent event = watch.next(pollWait(now, deadline, widgetDeadline, held == null ? null : heldUntil, page));
            if (event == null || !concernsTask(event, watch, task.websiteKey())) {
                continue;
            }
            switch (event.event()) {
                case "init" -> {
                    widgetDeadline = clock.instant().plus(event.watchdogMs() > 0
                            ? Duration.ofMillis(event.watchdogMs()) : DEFAULT_WIDGET_WATCHDOG);
                    startedWidget = event.shortId();
                    if (page != null) {
                        page.widgetStarted();
                    }
                }
                case "complete" -> {
                    if (event.token() != null && !event.token().isEmpty()) {
                        if (pageWidgets == null) {
                            laps.lap(SolvePhase.WIDGET);
                            return new Solution.Turnstile(event.token(), lease.userAgent());
                        }
                        Solution.Turnstile solution = new Solution.Turnstile(event.token(), lease.userAgent(),
                                pageWidgets.fallbackRendered() ? Solution.Turnstile.FALLBACK : Solution.Turnstile.PAGE);
                        lastTokens.put(event.shortId(), event.token());
                        boolean holding = heldUntil == null || clock.instant().isBefore(heldUntil);
                        if (holding && pageWidgets.actionDiffers(event.shortId())) {
                            if (held == null || event.shortId().equals(heldWidget)) { // a renewed token replaces its own
                                held = solution;
                                heldWidget = event.shortId();
                                heldUntil = heldUntil != null ? heldUntil : clock.instant().plus(OTHER_ACTION_WAIT);
                            }
                            continue;
                        }
                        if (!standsInPage(lease, watch, renewal, event.shortId(), event.token(), expiredTokens)) {
                            widgetDeadline = clock.instant().plus(DEFAULT_WIDGET_WATCHDOG); // its next token, then
                            continue;
                        }
                        laps.lap(SolvePhase.WIDGET);
                        pageWidgets.solved(event.shortId());
                        return solution;
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
                    try {
                        click.click(lease.page(), lease.frames(), frame.get(), CHECKBOX_WAIT);
                    } catch (CdpClosedException e) {
                        throw e;
                    } catch (CdpException e) {
                        throw new SolveException(FailReason.WIDGET_ERROR, "the interactive widget could not be clicked: "
                                + e.getMessage(), e);
                    }
                }
                case "interactiveTimeout" -> throw new SolveException(FailReason.WIDGET_ERROR,
                        "Turnstile interactive challenge timed out (the click was not accepted)");
                case "tokenExpired" -> {
                    if (pageWidgets == null) {
                        continue;
                    }
                    Optional.ofNullable(lastTokens.get(event.shortId())).ifPresent(expiredTokens::add);
                    if (held != null && event.shortId().equals(heldWidget)) {
                        held = null; // the token kept aside went stale while the page might show the wanted one
                        renewal.renew(event.shortId());
                        widgetDeadline = clock.instant().plus(DEFAULT_WIDGET_WATCHDOG);
                    }
                }
                default -> { }
            }
        }
    }

    /**
     * How long to wait for the widget's next message: {@link #POLL} while M1's page may still need the loop (its
     * {@link PageClock} has something due before a widget of the sitekey starts), else until the next of the loop's own
     * timers, at most {@link #LONG_POLL}.
     */
    static Duration pollWait(Instant now, Instant deadline, Instant widgetDeadline, Instant heldUntil, PageClock page) {
        if (page != null && !page.settled()) {
            return POLL;
        }
        Instant next = deadline;
        for (Instant timer : new Instant[] {widgetDeadline, heldUntil}) {
            if (timer != null && timer.isBefore(next)) {
                next = timer;
            }
        }
        Duration until = Duration.between(now, next);
        if (until.compareTo(LONG_POLL) > 0) {
            return LONG_POLL;
        }
        return until.isNegative() || until.isZero() ? Duration.ofMillis(1) : until;
    }

    /**
     * M1, while no widget of the task's sitekey has shown: starts the page's widgets waiting for {@code execute}, then
     * renders the fallback, or fails fast when the page will not show one (it never finishes loading, it shows only
     * widgets of other sitekeys, or even our own widget does not start).
     */
    private void lookForTheWidget(PageClock page, Instant now, ContextLease lease, WidgetWatch watch,
                                  PageWidgets pageWidgets, TaskSpec.Turnstile task)
            throws SolveException, InterruptedException {
        switch (page.due(now)) {
            case NOTHING -> { }
            case EXECUTE -> {
                if (!watch.hasWidgetFor(task.websiteKey())) {
                    int started = PendingWidgets.execute(lease, watch, task.websiteKey());
                    if (started > 0) {
                        log.debug("started {} widget(s) of the page waiting for execute", started);
                    }
                }
            }
            case FALLBACK -> {
                if (!watch.hasWidgetFor(task.websiteKey())) {
                    // A page loading Cloudflare's api.js may render its widget seconds after the load: it is waited for.
                    if (PageDocuments.loadTurnstile(lease, watch) && page.postponeFallback(now)) {
                        log.debug("no widget of the task's sitekey yet, but the page loads Turnstile: waiting longer");
                        return;
                    }
                    Optional<SolveException> standIn = PageAnswer.wentToStandIn(lease);
                    if (standIn.isPresent()) {
                        throw standIn.get();
                    }
                    Set<String> others = watch.sitekeysSeen();
                    if (!others.isEmpty()) {
                        throw new SolveException(FailReason.NO_WIDGET, "the page shows no Turnstile widget of sitekey "
                                + task.websiteKey() + ", only of " + String.join(", ", others));
                    }
                    pageWidgets.renderFallback();
                    page.fallbackRendered(now);
                } else {
                    page.widgetStarted();
                }
            }
            case UNLOADED -> {
                if (!watch.hasWidgetFor(task.websiteKey())) {
                    throw new SolveException(FailReason.NAVIGATION_FAILED, "the page did not finish loading within "
                            + PageClock.LOAD_PATIENCE.toSeconds() + " s of its commit and shows no widget of the sitekey");
                }
                page.widgetStarted();
            }
            case FALLBACK_SILENT -> throw new SolveException(FailReason.NO_WIDGET, "the page shows no Turnstile widget"
                    + " of sitekey " + task.websiteKey() + ", and one rendered on it did not start (scripts blocked?)");
        }
    }

    /**
     * M1, before a page widget's token is returned: whether the page still holds it, unexpired (its own signals, read
     * by {@link PageToken}; where it has no response field to read, whether it heard the token expire). An expired
     * token is renewed ({@link TokenRenewal}); a replaced one (the page reset or re-ran its widget) is not returned.
     */
    private static boolean standsInPage(ContextLease lease, WidgetWatch watch, TokenRenewal renewal, String shortId,
                                        String token, Set<String> expiredTokens)
            throws SolveException, InterruptedException {
        PageToken.Standing standing = PageToken.of(lease, watch, shortId, token);
        if (standing == PageToken.Standing.UNREAD && expiredTokens.contains(token)) {
            standing = PageToken.Standing.EXPIRED;
        }
        switch (standing) {
            case CURRENT, UNREAD -> {
                return true;
            }
            case EXPIRED -> {
                renewal.renew(shortId);
                return false;
            }
            default -> {
                log.debug("the page no longer holds the token of widget {}: waiting for its next one", shortId);
                return false;
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

    /**
     * Fails when the browser shows the relay's own answer (its 403 refusal or its 502) instead of the page's host:
     * no widget will come. (Through a proxy the relay refuses nothing itself; the proxy's answers are the widget's
     * to meet.)
     */
    private static void failIfPageLost(ContextLease lease, TaskSpec.Turnstile task) throws SolveException {
        Optional<SolveException> pageLost = relayAnswered(lease, task, null);
        if (pageLost.isPresent()) {
            throw pageLost.get();
        }
    }

    /**
     * The relay refused the page's own host (the address policy) or reached none of its addresses: over plain http
     * the browser then shows the relay's answer rather than failing the navigation, so the task ends on this, not
     * at its deadline.
     */
    private static Optional<SolveException> relayAnswered(ContextLease lease, TaskSpec.Turnstile task, Throwable cause) {
        String host = task.websiteUrl().getHost();
        return StandInAnswer.of(lease.relay(), null, host, StandInAnswer.ANY_STATUS, host, cause);
    }

    private static SolveException navigationFailure(TaskSpec.Turnstile task, NavigationFailedException e,
                                                     ContextLease lease) {
        String error = e.errorText();
        String host = task.websiteUrl().getHost();
        Optional<SolveException> refused = relayAnswered(lease, task, e);
        if (refused.isPresent()) {
            return refused.get();
        }
        if (lease.proxied()) {
            return new SolveException(FailReason.NAVIGATION_FAILED, "could not load " + host + " through the proxy "
                    + task.proxy().address() + " (" + error + ")", e);
        }
        return new SolveException(FailReason.NAVIGATION_FAILED, "could not load " + host + " (" + error + ")", e);
    }
}
