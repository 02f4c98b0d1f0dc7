package dev.turnpike.server.solver.challenge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.turnpike.server.browser.cdp.CdpClosedException;
import dev.turnpike.server.browser.cdp.CdpException;
import dev.turnpike.server.browser.cdp.CdpSession;
import dev.turnpike.server.browser.pool.BrowserPool;
import dev.turnpike.server.browser.pool.PageFrame;
import dev.turnpike.server.browser.pool.ContextLease;
import dev.turnpike.server.browser.pool.NavigationFailedException;
import dev.turnpike.server.browser.session.BrowserSessions;
import dev.turnpike.server.net.ProxySpec;
import dev.turnpike.server.solver.SolveException;
import dev.turnpike.server.solver.StandInAnswer;
import dev.turnpike.server.solver.SolvePhase;
import dev.turnpike.server.solver.SolvePhases;
import dev.turnpike.server.solver.PresentedIdentity;
import dev.turnpike.server.solver.ProxyWatch;
import dev.turnpike.server.solver.Solver;
import dev.turnpike.server.solver.challenge.ChallengeDetector.Detection;
import dev.turnpike.server.solver.challenge.ChallengePage.Snapshot;
import dev.turnpike.server.solver.turnstile.TurnstileSolver;
import dev.turnpike.server.solver.widget.TrustedClick;
import dev.turnpike.server.task.FailReason;
import dev.turnpike.server.task.Solution;
import dev.turnpike.server.task.TaskSpec;
import dev.turnpike.server.task.TaskType;
import java.io.IOException;
import java.net.URI;
import dev.turnpike.server.net.RefusedAddressException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code CloudFlare5STask} (PROTOCOL.md §4.2): opens the challenge page through the client's proxy in a fresh
 * browser context, lets the page's own scripts pass the challenge (a trusted click when the widget asks for one;
 * a page refresh with a new ray is followed, not fought), and returns the replay bundle — the zone's cookies,
 * the exact user agent and the headers the browser sent — with the final page or the answer to the
 * {@code rqData} POST, sent from the cleared context.
 *
 * <p>Every task goes through a {@link dev.turnpike.server.browser.proxy.ProxyRelay}: credentials (HTTP, HTTPS, SOCKS4/5) stay out of the browser,
 * and the relay's first proxy failure fails the task at once with its own reason. Blocked pages fail at once;
 * a challenge that comes back after {@link Settings#maxSolveAttempts} solves that looked successful fails as a
 * loop. The relay and the context are released whatever happens, the deadline's interruption included.
 */
public final class ChallengeSolver implements Solver {

    private static final Logger log = LoggerFactory.getLogger(ChallengeSolver.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The request headers a replaying client must send for the clearance to hold (lower case). */
    static final List<String> REPLAY_HEADERS = List.of("user-agent", "accept", "accept-language", "sec-ch-ua",
            "sec-ch-ua-mobile", "sec-ch-ua-platform");

    /**
     * Navigation errors of a stream that the proxy accepted and then cut. The relay cannot see them (its handshake
     * succeeded), and through a proxy they cannot be told from the site cutting the stream; the nearest proxy code
     * is the read failure, and the description says what happened.
     */
    static final Set<String> DROPPED_STREAM_ERRORS = Set.of("net::ERR_CONNECTION_CLOSED", "net::ERR_CONNECTION_RESET",
            "net::ERR_EMPTY_RESPONSE");

    /**
     * @param maxSolveAttempts solves that "succeed" and meet the challenge again before the task fails as a loop
     * @param turn             how long one turn waits for the next load event before checking the widget again
     * @param commandTimeout   the longest a single DevTools command may take
     * @param pageTimeout      the longest a navigation may wait for its load event
     */
    public record Settings(int maxSolveAttempts, Duration turn, Duration commandTimeout, Duration pageTimeout) {
        public static final Settings DEFAULTS = new Settings(3, Duration.ofMillis(250), Duration.ofSeconds(15),
                Duration.ofSeconds(60));

        public Settings {
            if (maxSolveAttempts < 1) {
                throw new IllegalArgumentException("maxSolveAttempts must be at least 1");
            }
            Objects.requireNonNull(turn, "turn");
            Objects.requireNonNull(commandTimeout, "commandTimeout");
            Objects.requireNonNull(pageTimeout, "pageTimeout");
        }
    }

    /** Turns without a load event after which the page is read again anyway (a document replaced in place). */
    private static final int TURNS_PER_LOOK = 4;
    /**
     * Looks at a passed page that has moved on since its document came (a script or a meta refresh navigating at
     * load) before it is answered as it stands.
     */
    private static final int MAX_UNSETTLED_LOOKS = 8;

    private final BrowserPool pool;
    private final Settings settings;
    private final SolvePhases phases;
    private final ClearanceCache clearances;
    private final ClearanceFlights flights;
    private final ChallengeDetector detector = new ChallengeDetector();
    /** FlareSolverr's sessions on this pool, or null: page requests naming a session then fail. */
    private final BrowserSessions sessions;
    /** The Turnstile engine that solves a page's own widget for a page request asking its token, or null. */
    private final TurnstileSolver pageWidgets;

    /**
     * @param pool        the browsers
     * @param clearances  clearances of earlier solves a task for the same site, proxy and user agent starts with
     * @param flights     identical tasks at once wait for one solve instead of each solving
     */
    public ChallengeSolver(BrowserPool pool, Settings settings, SolvePhases phases, ClearanceCache clearances,
                           ClearanceFlights flights) {
        this(pool, settings, phases, clearances, flights, null, null);
    }

    /**
     * @param sessions    FlareSolverr's sessions on the same pool, or null when none may be made
     * @param pageWidgets the Turnstile engine on the same pool, for page requests asking the token of the page's
     *                    widget ({@code tabs_till_verify}); null: such requests fail
     */
    public ChallengeSolver(BrowserPool pool, Settings settings, SolvePhases phases, ClearanceCache clearances,
                           ClearanceFlights flights, BrowserSessions sessions, TurnstileSolver pageWidgets) {
        this.sessions = sessions;
        this.pageWidgets = pageWidgets;
        this.clearances = Objects.requireNonNull(clearances, "clearances");
        this.flights = Objects.requireNonNull(flights, "flights");
        this.phases = Objects.requireNonNull(phases, "phases");
        this.pool = Objects.requireNonNull(pool, "pool");
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    @Override
    public Set<TaskType> types() {
        return Set.of(TaskType.CLOUDFLARE_CHALLENGE, TaskType.PAGE_REQUEST);
    }

    /** FlareSolverr's sessions on this solver's pool, or null. */
    public BrowserSessions sessions() {
        return sessions;
    }

    /**
     * What one run asks of the engine: a {@code CloudFlare5STask}, or a page request of FlareSolverr's {@code /v1}
     * ({@code page} set; its proxy may be null, then the page is reached directly, address-checked).
     */
    private record Job(URI websiteUrl, ProxySpec proxy, TaskSpec.RqData rqData, String userAgent,
                       TaskSpec.PageRequest page, Instant deadline) {
        TaskType type() {
            return page != null ? TaskType.PAGE_REQUEST : TaskType.CLOUDFLARE_CHALLENGE;
        }

        String route() {
            return proxy == null ? "directly" : "through the proxy";
        }
    }

    @Override
    public Solution solve(TaskSpec spec, Instant deadline) throws SolveException, InterruptedException {
        Job task = switch (spec) {
            case TaskSpec.Challenge c when c.proxy() != null -> new Job(c.websiteUrl(), c.proxy(), c.rqData(),
                    c.userAgent(), null, deadline);
            case TaskSpec.PageRequest p -> new Job(p.websiteUrl(), p.proxy(), p.post(), null, p, deadline);
            default -> throw new SolveException(FailReason.INTERNAL, "not a challenge task with a proxy: " + spec.type());
        };
        SolvePhases.Laps laps = phases.start(task.type());
        if (task.page() != null && task.page().session() != null) {
            return solveInSession(task, laps);
        }
        ClearanceCache.Key key = new ClearanceCache.Key(task.websiteUrl().getHost(), task.proxy(), task.userAgent());
        Optional<JsonNode> kept = clearances.clearanceFor(key);
        // Without a clearance kept, an identical task solving now is waited for rather than solved alongside.
        try (ClearanceFlights.Seat seat = kept.isPresent() ? ClearanceFlights.Seat.ALONE : flights.board(key, deadline)) {
            if (seat.waited()) {
                laps.lap(SolvePhase.CLEARANCE_WAIT);
            }
            if (task.proxy() != null) {
                pool.learnExitAhead(task.proxy(), task.websiteUrl()); // while the context is taken
            }
            return solveIn(task, laps, new Start(key, kept.or(seat::clearance), seat), acquire(task), false);
        }
    }

    /**
     * A page request in the caller's session: its context (cookies kept, its proxy fixed at creation) is used, not
     * disposed; no clearance of other solves is mixed into it, and none waited for.
     */
    private Solution solveInSession(Job task, SolvePhases.Laps laps) throws SolveException, InterruptedException {
        if (sessions == null) {
            throw new SolveException(FailReason.INTERNAL, "sessions are not available on this server");
        }
        TaskSpec.PageRequest request = task.page();
        Duration ttl = request.sessionTtlMinutes() > 0 ? Duration.ofMinutes(request.sessionTtlMinutes()) : null;
        BrowserSessions.Use use;
        try {
            use = sessions.use(request.owner(), request.session(), task.proxy(), ttl);
        } catch (BrowserSessions.SessionsFullException e) {
            throw new SolveException(FailReason.SESSIONS_FULL, e.getMessage());
        } catch (RefusedAddressException e) {
            throw new SolveException(FailReason.PROXY_REFUSED, "the proxy's address is not allowed: "
                    + e.decision().explanation());
        } catch (UnknownHostException e) {
            throw new SolveException(FailReason.PROXY_REFUSED, "the proxy's host name does not resolve");
        } catch (IllegalStateException e) {
            throw new SolveException(FailReason.SHUTDOWN, "the browser pool is shutting down", e);
        }
        try (use) {
            Job inSession = new Job(task.websiteUrl(), use.proxy(), task.rqData(), null, request, task.deadline());
            ClearanceCache.Key key = new ClearanceCache.Key(task.websiteUrl().getHost(), use.proxy(), null);
            return solveIn(inSession, laps, new Start(key, Optional.empty(), ClearanceFlights.Seat.ALONE),
                    use.lease(), true);
        }
    }

    /** Where a task's run starts: its clearance key, the clearance it starts with, its seat in the key's flight. */
    private record Start(ClearanceCache.Key key, Optional<JsonNode> clearance, ClearanceFlights.Seat seat) {
    }

    /** Runs the task in {@code lease}, disposed at the end unless {@code keep} (a session's). */
    private Solution solveIn(Job task, SolvePhases.Laps laps, Start start, ContextLease lease, boolean keep)
            throws SolveException, InterruptedException {
        try (ProxyWatch watch = ProxyWatch.onCurrentThread(lease.relay())) {
            try (ChallengePage page = ChallengePage.watch(lease, settings.commandTimeout())) {
                // Before the first request: cf_clearance is bound to the user agent that asked for it.
                lease.presentUserAgent(task.userAgent());
                laps.lap(SolvePhase.CONTEXT);
                lease.presentRegion(task.websiteUrl()); // the proxy exit's time zone and languages
                laps.lap(SolvePhase.IDENTITY);
                return PresentedIdentity.attach(new Run(task, page, laps, start).solve(), lease.region());
            } catch (InterruptedException e) {
                throw watch.proxyFailureBehind(e);
            } catch (SolveException e) {
                // A later navigation that got no answer (the browser's error page): the proxy's failure, if it failed.
                throw e.reason() == FailReason.NAVIGATION_FAILED ? watch.proxyFailureBehindNavigation().orElse(e) : e;
            } catch (NavigationFailedException e) {
                Optional<SolveException> proxy = watch.proxyFailureBehindNavigation();
                if (proxy.isPresent()) {
                    throw proxy.get();
                }
                String host = task.websiteUrl().getHost();
                Optional<SolveException> standIn = StandInAnswer.of(lease.relay(), task.proxy(), host,
                        StandInAnswer.ANY_STATUS, host, e);
                if (standIn.isPresent()) {
                    throw standIn.get();
                }
                if (task.proxy() != null && DROPPED_STREAM_ERRORS.contains(e.errorText())) {
                    throw new SolveException(FailReason.PROXY_READ_TIMEOUT, "the connection through the proxy "
                            + task.proxy().address() + " was dropped mid-stream (" + e.errorText() + ")", e);
                }
                throw new SolveException(FailReason.NAVIGATION_FAILED, "the page could not be loaded " + task.route()
                        + ": " + e.errorText(), e);
            } catch (CdpClosedException e) {
                throw new SolveException(FailReason.BROWSER_CRASHED, "the browser running the task went away", e);
            } catch (CdpException e) {
                throw watch.proxyFailure().orElseGet(() -> new SolveException(FailReason.INTERNAL,
                        "the browser did not answer: " + e.getMessage(), e));
            }
        } finally {
            if (!keep) {
                lease.close();
            }
        }
    }

    /**
     * A context whose only way out is a local relay to the task's proxy (a warm one when ready): credentials of
     * every proxy kind stay out of the browser, and a page cannot reach this machine directly.
     */
    private ContextLease acquire(Job task) throws SolveException, InterruptedException {
        try {
            return task.proxy() == null ? pool.acquireDirect() : pool.acquireThrough(task.proxy());
        } catch (RefusedAddressException e) {
            throw new SolveException(FailReason.PROXY_REFUSED, "the proxy's address is not allowed: "
                    + e.decision().explanation());
        } catch (UnknownHostException e) {
            throw new SolveException(FailReason.PROXY_REFUSED, "the proxy's host name does not resolve: "
                    + task.proxy().host());
        } catch (IllegalStateException e) {
            throw new SolveException(FailReason.SHUTDOWN, "the browser pool is shutting down", e);
        } catch (CdpClosedException e) {
            throw new SolveException(FailReason.BROWSER_CRASHED, "the browser went away while a context was made", e);
        } catch (CdpException e) {
            throw new SolveException(FailReason.BROWSER_CRASHED, "no browser context could be created: " + e.getMessage(), e);
        }
    }

    /** One task's walk through the challenge. */
    private final class Run {
        private final Job task;
        private final ChallengePage page;
        private final TrustedClick clicker;
        /** The challenge's widget frames: each is clicked at most once (a new ray brings a new frame). */
        private final ChallengeFrames frames;
        private final SolvePhases.Laps laps;
        private final Start start;

        Run(Job task, ChallengePage page, SolvePhases.Laps laps, Start start) {
            this.start = start;
            this.laps = laps;
            this.task = task;
            this.page = page;
            this.clicker = new TrustedClick(new SplittableRandom(), settings.commandTimeout());
            this.frames = new ChallengeFrames(page.lease(), settings.commandTimeout());
        }

        Solution solve() throws SolveException, InterruptedException {
            try {
                return walk();
            } finally {
                frames.close();
            }
        }

        private Solution walk() throws SolveException, InterruptedException {
            String url = withoutFragment(task.websiteUrl());
            if (start.clearance().isPresent()) {
                log.debug("{}: starting with the clearance of an earlier solve", start.key());
                page.setCookie(start.clearance().get());
            }
            if (task.page() != null) {
                PageRequests.prepare(page, task.page(), url, settings.commandTimeout());
            }
            page.navigate(url, settings.pageTimeout());
            boolean look = true;
            boolean challengeShown = false;
            int turnsWithoutLook = 0;
            int unsettledLooks = 0;
            while (true) {
                var load = page.nextLoad();
                Snapshot snapshot = look ? page.snapshot() : null;
                boolean unsettled = false;
                if (snapshot != null) {
                    turnsWithoutLook = 0;
                    if (snapshot.errorPage()) {
                        throw wentOnAndFailed();
                    }
                    Detection detection = detector.detect(snapshot.page());
                    challengeShown = detection.verdict() == Verdict.CHALLENGE;
                    switch (detection.verdict()) {
                        case BLOCKED -> throw new SolveException(FailReason.BLOCKED, "blocked by Cloudflare ("
                                + detection.evidence() + "): the site refuses this proxy's exit IP or this request"
                                + " outright; solving again will not help");
                        case PASSED -> {
                            if (snapshot.loaded() && snapshot.document() != null) {
                                failIfStandIn(snapshot.document());
                                // A page that moves on by itself once loaded (a script, a meta refresh) is followed
                                // until it stays, within a few looks.
                                boolean lastLook = unsettledLooks >= MAX_UNSETTLED_LOOKS;
                                Optional<Solution> solution = snapshot.showsDocument() || lastLook
                                        ? cleared(snapshot, lastLook) : Optional.empty();
                                if (solution.isPresent()) {
                                    load.cancel(false);
                                    return solution.get();
                                }
                                unsettledLooks++;
                                unsettled = true;
                            }
                        }
                        case CHALLENGE -> {
                            if (page.submissionsChallengedAgain() >= settings.maxSolveAttempts()) {
                                throw loop(page.submissionsChallengedAgain() + " solves of the challenge looked"
                                        + " successful, yet the challenge came back each time");
                            }
                        }
                    }
                }
                if (challengeShown) {
                    clickCheckboxIfShown();
                }
                // A new document announces itself with a load event; between loads the page is read again only
                // every few turns (serialising it competes with the proof of work for the CPU), and so is a widget
                // frame for a checkbox unless its DOM changed (ChallengeFrames).
                boolean unread = look && snapshot == null; // the document was being replaced: read it next turn
                boolean loaded = awaitQuietly(load, settings.turn());
                turnsWithoutLook++;
                look = loaded || unread || unsettled || turnsWithoutLook >= TURNS_PER_LOOK;
            }
        }

        /**
         * Clicks the checkbox of a challenge widget frame not clicked yet, if one shows it. Called every turn while
         * the challenge is up; {@link ChallengeFrames} says which widgets are worth a look on this turn.
         */
        private void clickCheckboxIfShown() throws InterruptedException {
            for (PageFrame frame : frames.dueForLook()) {
                try {
                    if (clicker.clickIfShown(page.lease().page(), frame)) {
                        frames.done(frame);
                        return;
                    }
                } catch (CdpClosedException e) {
                    throw e;
                } catch (CdpException e) {
                    // The frame went away or is still loading: look again on the next turn.
                    frames.lookAgain(frame);
                    log.debug("challenge frame {} not clickable yet: {}", frame.frameId(), e.getMessage());
                }
            }
        }

        /**
         * The page the browser shows is the site's, not the relay's or the proxy's answer in its place (a page that
         * went on to an address the policy refuses, or that its proxy would not reach).
         */
        private void failIfStandIn(ChallengePage.DocumentResponse document) throws SolveException {
            String host = StandInAnswer.hostOf(document.url());
            Optional<SolveException> standIn = StandInAnswer.of(page.lease().relay(), task.proxy(), host,
                    document.status(), wentTo(document.url()), null);
            if (standIn.isPresent()) {
                throw standIn.get();
            }
        }

        /** The failure when the browser shows its error page: the page went on to a URL that got no answer. */
        private SolveException wentOnAndFailed() {
            Optional<ChallengePage.DocumentFailure> failure = page.lastFailure();
            String url = failure.map(ChallengePage.DocumentFailure::url).orElse(withoutFragment(task.websiteUrl()));
            String error = failure.map(ChallengePage.DocumentFailure::errorText).orElse("the browser shows its error page");
            return StandInAnswer.of(page.lease().relay(), task.proxy(), StandInAnswer.hostOf(url),
                    StandInAnswer.ANY_STATUS, wentTo(url), null).orElseGet(() -> new SolveException(
                    FailReason.NAVIGATION_FAILED, "could not load " + wentTo(url) + " " + task.route() + ": " + error));
        }

        /** How a failure names a page: its host when it is the task's, else the URL the page went on to. */
        private String wentTo(String url) {
            String host = StandInAnswer.hostOf(url);
            return host.equalsIgnoreCase(task.websiteUrl().getHost()) ? host : url + " (where the page went on to)";
        }

        /**
         * The answer, or empty when the page moved on while it was read (its document replaced: look again), unless
         * this is the {@code lastLook}: then the body is the page as rendered.
         */
        private Optional<Solution> cleared(Snapshot snapshot, boolean lastLook) throws SolveException, InterruptedException {
            ChallengePage.DocumentResponse document = snapshot.document();
            String body = null;
            if (task.page() == null && task.rqData() == null) {
                Optional<String> raw = page.responseBody(document);
                if (raw.isEmpty() && !lastLook && page.replaced(document)) {
                    return Optional.empty();
                }
                // Not kept by the browser (a document larger than its buffer), or still moving: the page as rendered.
                body = raw.orElseGet(() -> snapshot.page().html());
            }
            laps.lap(SolvePhase.CHALLENGE);
            Map<String, String> sent = page.requestHeaders(document.requestId());
            Map<String, String> headers = new LinkedHashMap<>();
            for (String name : REPLAY_HEADERS) {
                String value = sent.get(name);
                if (value != null) {
                    headers.put(name, value);
                }
            }
            String userAgent = headers.computeIfAbsent("user-agent", n -> page.lease().userAgent());
            String tls = "chrome" + pool.identity().major();
            ChallengePage.Cookies jar = page.cookies(document.url());
            Map<String, String> cookies = jar.values();
            Optional<JsonNode> clearance = jar.named(ChallengeMarkers.CLEARANCE_COOKIE);
            clearance.ifPresent(cookie -> clearances.remember(start.key(), cookie));
            // Those waiting on this solve start now, while this task reads its page or sends its POST.
            clearance.ifPresentOrElse(start.seat()::cleared, start.seat()::notChallenged);
            if (task.page() != null) {
                return Optional.of(pageAnswer(snapshot, userAgent, jar));
            }
            if (task.rqData() == null) {
                log.debug("cleared {} with status {}", document.url(), document.status());
                laps.lap(SolvePhase.SOLUTION);
                return Optional.of(new Solution.Challenge(cookies, userAgent, headers, tls, document.status(),
                        document.url(), body));
            }
            laps.lap(SolvePhase.SOLUTION);
            PostAnswer answer = post(withoutFragment(task.websiteUrl()), RqDataBody.of(task.rqData()));
            // The POST's cookies may have changed (__cf_bm): report what a replaying client holds now.
            cookies = page.cookies(document.url()).values();
            laps.lap(SolvePhase.RQDATA);
            return Optional.of(new Solution.Challenge(cookies, userAgent, headers, tls, answer.status(), answer.url(),
                    answer.body()));
        }

        private record PostAnswer(int status, String url, Map<String, String> headers, String body) {
        }

        /**
         * FlareSolverr's answer: the page as rendered after {@code waitInSeconds} (or the answer to the
         * {@code request.post} POST, sent from the cleared page), the real status and response headers of the
         * document, every cookie of the final URL, optionally a screenshot and the token of the page's Turnstile
         * widget (solved by the Turnstile engine in this context, the page loaded again for it).
         */
        private Solution pageAnswer(Snapshot snapshot, String userAgent, ChallengePage.Cookies cleared)
                throws SolveException, InterruptedException {
            Snapshot first = snapshot;
            TaskSpec.PageRequest request = task.page();
            boolean challenged = page.challengeDocuments() > 0;
            String turnstileToken = null;
            if (request.options().turnstileToken() && task.rqData() == null) {
                if (pageWidgets == null) {
                    throw new SolveException(FailReason.INTERNAL, "no Turnstile engine here to solve the page's widget");
                }
                Optional<String> token = pageWidgets.solvePageWidget(page.lease(), URI.create(snapshot.url()),
                        snapshot.page().html(), task.deadline(), laps);
                if (token.isPresent()) { // the page was loaded again for its widget: that page is the answer
                    turnstileToken = token.get();
                    Snapshot after = page.snapshot();
                    snapshot = after != null && after.document() != null ? after : snapshot;
                }
            }
            if (request.waitMillis() > 0) {
                Thread.sleep(request.waitMillis());
                Snapshot later = page.snapshot();
                if (later != null && later.errorPage()) {
                    throw wentOnAndFailed(); // the page went on while we waited, somewhere that did not answer
                }
                if (later != null && later.document() != null) {
                    failIfStandIn(later.document());
                    snapshot = later;
                }
            }
            int status = snapshot.document().status();
            String url = snapshot.url();
            Map<String, String> headers = new LinkedHashMap<>(snapshot.document().headers());
            String body = snapshot.page().html();
            if (task.rqData() != null) {
                PostAnswer answer = post(withoutFragment(task.websiteUrl()), RqDataBody.of(task.rqData()));
                status = answer.status();
                url = answer.url();
                headers = answer.headers();
                body = answer.body();
            }
            String screenshot = request.options().screenshot() ? PageRequests.screenshot(page.lease(),
                    settings.commandTimeout()) : null;
            laps.lap(SolvePhase.SOLUTION);
            boolean onlyCookies = request.options().onlyCookies();
            // The cookies read as the page was cleared, unless the page has moved on since (loaded again, waited, POSTed).
            boolean unchanged = snapshot == first && task.rqData() == null && request.waitMillis() == 0
                    && url.equals(snapshot.document().url());
            ChallengePage.Cookies jar = unchanged ? cleared : page.cookies(url);
            return new Solution.Page(url, status, onlyCookies ? Map.of() : headers, onlyCookies ? null : body,
                    PageRequests.cookies(jar.all()), userAgent, challenged, screenshot, turnstileToken);
        }

        /**
         * Sends the rqData POST from the cleared page with {@code fetch} (same cookies, user agent and proxy as
         * the page; same origin), in an isolated world so the page's scripts see nothing of it.
         */
        private PostAnswer post(String url, RqDataBody body) throws SolveException, InterruptedException {
            String script = """
                    (async () => {
                      const r = await fetch(%s, {method: 'POST', headers: {'Content-Type': %s}, body: %s,
                                                 credentials: 'include', redirect: 'follow', cache: 'no-store'});
                      const headers = {};
                      r.headers.forEach((v, k) => { headers[k] = v; });
                      return JSON.stringify({status: r.status, url: r.url, headers, body: await r.text()});
                    })()""".formatted(jsonString(url), jsonString(body.contentType()), jsonString(body.body()));
            JsonNode answer;
            try {
                answer = JSON.readTree(page.lease().evaluateIsolated(script, settings.pageTimeout()).asText());
            } catch (IOException e) {
                throw new SolveException(FailReason.INTERNAL, "the POST's answer could not be read", e);
            } catch (CdpException e) {
                throw new SolveException(FailReason.NAVIGATION_FAILED, "the rqData POST to " + url + " failed: "
                        + e.getMessage(), e);
            }
            Map<String, String> headers = new LinkedHashMap<>();
            answer.path("headers").properties().forEach(e -> headers.put(e.getKey(), e.getValue().asText()));
            PostAnswer post = new PostAnswer(answer.path("status").asInt(), answer.path("url").asText(url), headers,
                    answer.path("body").asText(""));
            Detection detection = detector.detect(new PageSnapshot(post.status(), headers, "", post.body()));
            if (detection.verdict() == Verdict.BLOCKED) {
                throw new SolveException(FailReason.BLOCKED, "the rqData POST was blocked by Cloudflare ("
                        + detection.evidence() + ")");
            }
            if (detection.verdict() == Verdict.CHALLENGE) {
                throw loop("the page was cleared, but the rqData POST met the challenge again (" + detection.evidence() + ")");
            }
            return post;
        }

        private SolveException loop(String what) {
            return new SolveException(FailReason.CHALLENGE_LOOP, "challenge loop: " + what + "; gave up after "
                    + settings.maxSolveAttempts() + " attempts (" + page.challengeDocuments()
                    + " challenge pages served, " + page.submissions() + " solves sent)");
        }
    }

    /** True if the event came within {@code wait}; false (and the future cancelled) otherwise. */
    private static boolean awaitQuietly(java.util.concurrent.CompletableFuture<?> event, Duration wait)
            throws InterruptedException {
        try {
            event.get(wait.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
            event.cancel(false);
            return false;
        }
    }

    private static String withoutFragment(URI uri) {
        String s = uri.toString();
        int hash = s.indexOf('#');
        return hash < 0 ? s : s.substring(0, hash);
    }

    private static String jsonString(String s) {
        try {
            return JSON.writeValueAsString(s);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
