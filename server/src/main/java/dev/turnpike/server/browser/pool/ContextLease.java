package dev.turnpike.server.browser.pool;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.turnpike.server.browser.cdp.CdpConnection;
import dev.turnpike.server.browser.cdp.CdpException;
import dev.turnpike.server.browser.cdp.CdpSession;
import dev.turnpike.server.browser.identity.RegionalIdentity;
import dev.turnpike.server.browser.identity.UserAgentOverride;
import dev.turnpike.server.browser.identity.WantedUserAgent;
import dev.turnpike.server.browser.proxy.ProxyRelay;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One task's browser context: a fresh {@code Target.createBrowserContext} with one page, attached as a
 * flat session with {@code Page} enabled and child targets (out-of-process iframes, workers)
 * auto-attached. Never shared between tasks: {@link #close()} disposes the context (whatever happened)
 * and gives the slot back. Quiet by construction: neither {@code Runtime} nor {@code Console} is ever
 * enabled; scripts run in an isolated world.
 *
 * <p>Its way out is its {@link #relay()}, which the browser context uses as its proxy (loopback included): the
 * address policy is enforced there, per connection, so no request is paused for it. A context for a task without a
 * proxy reaches Cloudflare's challenge host directly ({@link ContextKind#DIRECT}). The one request the
 * browser pauses is a document a solver answers itself ({@link #serveDocument}).
 *
 * <p>When the browser dies under the lease, every command fails with
 * {@link dev.turnpike.server.browser.cdp.CdpClosedException}; {@link #browserCrashed()} then says so.
 */
public final class ContextLease implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ContextLease.class);
    private static final Duration SETUP_TIMEOUT = Duration.ofSeconds(20);
    private static final String ISOLATED_WORLD = "turnpike";

    private final BrowserPool pool;
    final PooledBrowser browser;
    private final String contextId;
    private final ContextKind kind;
    private final String targetId;
    private final CdpSession page;
    /**
     * The identity the context presents: the browser's own from creation until {@link #presentUserAgent} presents
     * another; applied to every child before it runs.
     */
    private volatile UserAgentOverride userAgentOverride;
    /** The time zone and languages the context presents: this machine's until {@link #presentRegion}. */
    private volatile RegionalIdentity region = RegionalIdentity.machine(null);
    /** The local relay all of this context's traffic goes through; closed with the context. */
    private final ProxyRelay relay;
    /** Whether the page's children are attached paused ({@link #pauseChildrenIfNeeded}). */
    private volatile boolean childrenPaused;
    private final Map<String, ChildTarget> children = new ConcurrentHashMap<>();
    /**
     * The iframes rendered in the process of the session holding their parent (all of them without site isolation),
     * by frame id, each with the URL it last navigated to; kept from {@code Page.frameNavigated} and
     * {@code Page.frameDetached} (reason {@code swap} too: the frame went out of process) of every session with Page
     * on.
     */
    private final Map<String, PageFrame> inProcessFrames = new ConcurrentHashMap<>();
    private final List<Consumer<ChildTarget>> childPreparers = new CopyOnWriteArrayList<>();
    private final AtomicBoolean released = new AtomicBoolean();
    private final CompletableFuture<Void> disposed = new CompletableFuture<>();
    /** The document {@link #serveDocument} answers, or null. */
    private volatile ServedDocument served;
    /** Commands sent to prepare the page's next document, confirmed by {@link #navigate} (see {@link #prepare}). */
    private final List<Preparation> preparations = new CopyOnWriteArrayList<>();

    private record Preparation(String method, CompletableFuture<JsonNode> answer) {
    }

    private record ServedDocument(URI url, FulfilledResponse response) {
    }

    private ContextLease(BrowserPool pool, PooledBrowser browser, String contextId, ContextKind kind, String targetId,
                         CdpSession page, UserAgentOverride presented, ProxyRelay relay) {
        this.kind = kind;
        this.relay = relay;
        this.pool = pool;
        this.browser = browser;
        this.contextId = contextId;
        this.targetId = targetId;
        this.page = page;
        this.userAgentOverride = presented;
    }

    /**
     * Creates a context with one blank page on {@code relay}, ready to navigate once the relay is bound; of the kind
     * its task's route needs. The relay is the lease's from now on: if a step fails, it is closed with whatever was
     * made.
     */
    static ContextLease create(BrowserPool pool, PooledBrowser browser, ProxyRelay relay, ContextKind kind)
            throws InterruptedException {
        CdpSession root = browser.connection.browser();
        ObjectNode params = root.params().put("proxyServer", relay.proxyServer())
                .put("proxyBypassList", kind.proxyBypassList);
        String contextId;
        try {
            contextId = root.call("Target.createBrowserContext", params, SETUP_TIMEOUT).path("browserContextId").asText();
        } catch (InterruptedException | RuntimeException e) {
            relay.close();
            throw e;
        }
        try {
            String targetId = root.call("Target.createTarget", root.params().put("url", "about:blank")
                    .put("browserContextId", contextId), SETUP_TIMEOUT).path("targetId").asText();
            String sessionId = root.call("Target.attachToTarget", root.params().put("targetId", targetId)
                    .put("flatten", true), SETUP_TIMEOUT).path("sessionId").asText();
            // Every context presents the browser's own identity from the start, so a task that wants no other one
            // sends nothing more before it navigates (presentUserAgent). Sent together, answered in order.
            UserAgentOverride own = WantedUserAgent.own(pool.identity());
            ContextLease lease = new ContextLease(pool, browser, contextId, kind, targetId,
                    browser.connection.session(sessionId), own, relay);
            lease.watch(lease.page, targetId);
            CompletableFuture<JsonNode> pageEnabled = lease.page.send("Page.enable", null);
            CompletableFuture<JsonNode> presented = lease.page.send("Emulation.setUserAgentOverride",
                    overrideParams(lease.page, own));
            lease.childrenPaused = pool.isolatesSites();
            CompletableFuture<JsonNode> autoAttach = lease.page.send("Target.setAutoAttach",
                    pageAutoAttachParams(lease.page, lease.childrenPaused));
            CdpSession.await(pageEnabled, "Page.enable", SETUP_TIMEOUT);
            CdpSession.await(presented, "Emulation.setUserAgentOverride", SETUP_TIMEOUT);
            CdpSession.await(autoAttach, "Target.setAutoAttach", SETUP_TIMEOUT);
            return lease;
        } catch (InterruptedException | RuntimeException e) {
            root.send("Target.disposeBrowserContext", root.params().put("browserContextId", contextId));
            relay.close();
            throw e;
        }
    }

    /**
     * The page's children are attached paused, so an iframe is prepared (user agent, solvers' scripts) before its first
     * script and resumed in childAttached; the page's workers are paused too (a worker left out by the filter while
     * pausing is on would stay paused for good) and resumed at once, or after their languages. Only when something
     * must reach a child before it runs ({@link #pauseChildrenIfNeeded}): otherwise, as for an iframe's children, the
     * page's children are attached as they run and its workers not at all.
     */
    private static ObjectNode autoAttachParams(CdpSession session) {
        return session.params().put("autoAttach", true).put("waitForDebuggerOnStart", true).put("flatten", true);
    }

    /** The page's own: every child paused, or (nothing to send them first) iframes as they run and no workers. */
    private static ObjectNode pageAutoAttachParams(CdpSession page, boolean paused) {
        return paused ? autoAttachParams(page) : nestedAutoAttachParams(page, false);
    }

    /**
     * An iframe's own children are attached without pausing, and its workers not at all: a worker takes the identity of
     * the frame that starts it and needs nothing from us, and the round trip that resumed each one (the widget's
     * proof-of-work worker) cost a task ~100 ms at the median and ~400 ms at the 95th percentile under eight concurrent
     * solves on two cores ({@code bench/run contexts}). The price: an iframe nested in an iframe of another site gets
     * its user agent override and the solvers' scripts as soon as it is attached, which may be after its first script.
     *
     * <p>A context presenting other languages than the browser's own (its proxy's country's) pays that price: a
     * worker's {@code navigator.languages} follows only an override sent to the worker itself (measured in Chromium
     * 156: not its frame's), so the iframe's children are attached paused, workers included, and resumed after it.
     */
    private static ObjectNode nestedAutoAttachParams(CdpSession session, boolean workers) {
        if (workers) {
            return autoAttachParams(session);
        }
        ObjectNode params = session.params().put("autoAttach", true).put("waitForDebuggerOnStart", false)
                .put("flatten", true);
        ArrayNode filter = params.putArray("filter");
        filter.addObject().put("type", "worker").put("exclude", true);
        filter.addObject();
        return params;
    }

    // ---- what solvers use ----

    /** The page's flat session: Page, DOM, Input, Runtime.evaluate in a context id, ... */
    public CdpSession page() {
        return page;
    }

    public String browserContextId() {
        return contextId;
    }

    public String targetId() {
        return targetId;
    }

    /** What its pages may reach without its relay. */
    ContextKind kind() {
        return kind;
    }

    /**
     * Presents the task's wanted user agent in this context, if {@link WantedUserAgent} finds it consistent with
     * this browser; else the browser's own, with its full client hints ({@link WantedUserAgent#own}); never an
     * error. Call before the first navigation: the page's next document has it (sent now, confirmed by
     * {@link #navigate}), every out-of-process iframe before its first script, and workers inherit it from their frame.
     */
    public void presentUserAgent(String wanted) {
        UserAgentOverride override = WantedUserAgent.decide(wanted, pool.identity())
                .orElseGet(() -> WantedUserAgent.own(pool.identity())).withAcceptLanguage(region.acceptLanguage());
        if (override.equals(userAgentOverride)) {
            return; // presented already (every context presents the browser's own from its creation)
        }
        userAgentOverride = override;
        prepare("Emulation.setUserAgentOverride", overrideParams(page, override));
        pauseChildrenIfNeeded();
        for (ChildTarget child : children.values()) {
            presentIn(child, override, region);
        }
    }

    /**
     * Attaches the page's children paused when something must reach them before their first script, else as they run
     * (sent with {@link #prepare}, so in force for the next document). They must be paused when sites are isolated
     * (an iframe of another site is a target of its own, and its user agent and the solvers' scripts are sent to it),
     * when the context presents another user agent than the browser's own (an unexpected out-of-process iframe would
     * otherwise start with the browser's), and when it presents other languages than the browser's (a worker's
     * {@code navigator.languages} follows only an override sent to the worker). Otherwise — the browser's own identity,
     * its iframes in its page's process — nothing is sent to a child, and the pause only cost every worker a round
     * trip before its first script: the widget's proof of work waited for it (35 ms at the median, 71 on average and
     * up to 470 ms under eight concurrent solves on two cores, BENCHMARKS.md "Turnstile solver", session 6).
     */
    private void pauseChildrenIfNeeded() {
        UserAgentOverride own = WantedUserAgent.own(pool.identity()).withAcceptLanguage(region.acceptLanguage());
        boolean needed = pool.isolatesSites() || !userAgentOverride.equals(own) || ownLanguages(region);
        if (needed != childrenPaused) {
            childrenPaused = needed;
            prepare("Target.setAutoAttach", pageAutoAttachParams(page, needed));
        }
    }

    /**
     * Presents the time zone and languages of the context's exit: for a task through a proxy, those of its exit's
     * country ({@code /cdn-cgi/trace} on {@code target}'s host through the task's proxy, once per proxy while known:
     * the trace {@link BrowserPool#learnExitAhead} started is waited for, else one through this context's relay); else, or when the country cannot be learnt, this machine's own (the reason in the answer). Never an
     * error of the task's. Call before the first navigation, after {@link #presentUserAgent}: the time zone
     * ({@code Emulation.setTimezoneOverride}) and the languages ({@code Accept-Language} and
     * {@code navigator.languages}, through the user agent override, which keeps its client hints) reach the page's
     * next document, every out-of-process iframe before its first script, and the workers of both (a renderer's time
     * zone and its frames' languages are their workers').
     */
    public RegionalIdentity presentRegion(URI target) throws InterruptedException {
        RegionalIdentity chosen = pool.exitIdentities().identityFor(relay.upstream(), relay.address(), target,
                userAgent(), expression -> evaluateIsolated(expression, SETUP_TIMEOUT));
        region = chosen;
        UserAgentOverride override = userAgentOverride.withAcceptLanguage(chosen.acceptLanguage());
        boolean languages = !override.equals(userAgentOverride);
        userAgentOverride = override;
        if (languages) {
            prepare("Emulation.setUserAgentOverride", overrideParams(page, override));
        }
        pauseChildrenIfNeeded();
        if (chosen.overridesTimeZone()) {
            prepare("Emulation.setTimezoneOverride", page.params().put("timezoneId", chosen.timeZone()));
        }
        for (ChildTarget child : children.values()) {
            presentIn(child, languages ? override : null, chosen);
        }
        return chosen;
    }

    /** The time zone and languages the context presents (the machine's own until {@link #presentRegion}). */
    public RegionalIdentity region() {
        return region;
    }

    /**
     * Sends (without waiting) the override to a child frame. Dedicated workers need none: in Chromium 156 they take
     * the user agent and client hints of the frame that starts them (measured: an override sent to the worker
     * target itself changes nothing more, and its {@code navigator.platform} stays the engine's whatever is sent).
     */
    private static void presentIn(ChildTarget child, UserAgentOverride override, RegionalIdentity region) {
        if ("worker".equals(child.type())) {
            if (override != null && region != null && ownLanguages(region)) { // its languages are its own, not its frame's
                child.session().send("Emulation.setUserAgentOverride", overrideParams(child.session(), override));
            }
            return;
        }
        if (!interceptable(child.type())) {
            return;
        }
        if (override != null) {
            child.session().send("Emulation.setUserAgentOverride", overrideParams(child.session(), override));
        }
        if (region != null && region.overridesTimeZone()) {
            // A frame in a renderer that has the zone already is refused ("already in effect"): the zone holds.
            child.session().send("Emulation.setTimezoneOverride",
                    child.session().params().put("timezoneId", region.timeZone()));
        }
    }

    private static ObjectNode overrideParams(CdpSession session, UserAgentOverride override) {
        ObjectNode params = session.params().put("userAgent", override.userAgent())
                .put("acceptLanguage", override.acceptLanguage()).put("platform", override.platform());
        UserAgentOverride.Metadata m = override.metadata();
        ObjectNode metadata = params.putObject("userAgentMetadata");
        ArrayNode brands = metadata.putArray("brands");
        m.brands().forEach(b -> brands.addObject().put("brand", b.brand()).put("version", b.version()));
        ArrayNode fullVersionList = metadata.putArray("fullVersionList");
        m.fullVersionList().forEach(b -> fullVersionList.addObject().put("brand", b.brand()).put("version", b.version()));
        metadata.put("fullVersion", m.fullVersion()).put("platform", m.platform())
                .put("platformVersion", m.platformVersion()).put("architecture", m.architecture())
                .put("bitness", m.bitness()).put("model", m.model()).put("mobile", m.mobile()).put("wow64", false);
        return params;
    }

    /** The exact user agent the page presents (and the solution reports): the task's when it was honoured. */
    public String userAgent() {
        return userAgentOverride.userAgent();
    }

    /** The pool's number for the browser this context lives in. */
    public long browserId() {
        return browser.id;
    }

    /** The local relay all of this context's traffic goes through: its proxy failures, its refused targets. */
    public ProxyRelay relay() {
        return relay;
    }

    /** Whether this context goes through the task's proxy (else directly, through the address policy). */
    public boolean proxied() {
        return relay.upstream() != null;
    }

    /** True once the browser under this lease has died (crash, kill): the task may be retried elsewhere. */
    public boolean browserCrashed() {
        return !browser.connection.isOpen() && !pool.isClosed();
    }

    /** Completes, with a reason, when the browser's DevTools connection goes away. */
    public CompletableFuture<String> browserGone() {
        return browser.connection.closedFuture();
    }

    /**
     * The page's iframes, wherever they render: out-of-process ones (their own targets) and those in the process of
     * their parent (every one without site isolation); not the top frame.
     */
    public List<PageFrame> frames() {
        List<PageFrame> frames = new ArrayList<>();
        for (ChildTarget child : children.values()) {
            if ("iframe".equals(child.type())) {
                frames.add(PageFrame.of(child));
            }
        }
        frames.addAll(inProcessFrames.values());
        return frames;
    }

    /**
     * Where {@code frame} is now: an out-of-process iframe's URL is asked of the browser (its attach-time URL is
     * often blank), an in-process one's is the last it navigated to.
     *
     * @throws CdpException when the frame is gone
     */
    public String currentUrl(PageFrame frame, Duration timeout) throws InterruptedException {
        if (!frame.outOfProcess()) {
            PageFrame known = inProcessFrames.get(frame.frameId());
            if (known == null) {
                throw new CdpException("frame " + frame.frameId() + " is gone");
            }
            return known.url();
        }
        CdpSession root = browser.connection.browser();
        return root.call("Target.getTargetInfo", root.params().put("targetId", frame.frameId()), timeout)
                .path("targetInfo").path("url").asText("");
    }

    /**
     * Runs for every child target attached from now on, while it is still paused before its first script:
     * the place to add a binding or a new-document script to an iframe. Runs on the connection's reader
     * thread: it may only {@code send} commands (they run in order, before the target resumes), never wait.
     */
    public CdpSession.Subscription prepareChildren(Consumer<ChildTarget> preparer) {
        childPreparers.add(preparer);
        return () -> childPreparers.remove(preparer);
    }

    /**
     * Answers the main frame's navigation to {@code url} (its fragment aside) with {@code response} instead of the
     * network, once; call before navigating. Only that document's request is paused (a Fetch pattern of the URL's
     * origin and the Document type): nothing else of the page waits for this process. Sent now, confirmed by
     * {@link #navigate}.
     */
    public void serveDocument(URI url, FulfilledResponse response) {
        if (served != null) {
            throw new IllegalStateException("this context serves a document already");
        }
        served = new ServedDocument(url, response);
        ObjectNode params = page.params();
        params.putArray("patterns").addObject().put("urlPattern", originPattern(url))
                .put("resourceType", "Document").put("requestStage", "Request");
        prepare("Fetch.enable", params);
    }

    /** {@code scheme://host*}, Fetch's wildcards escaped: every document of the origin is paused and checked here. */
    private static String originPattern(URI url) {
        String origin = url.getScheme().toLowerCase(Locale.ROOT) + "://" + url.getHost().toLowerCase(Locale.ROOT);
        return origin.replace("\\", "\\\\").replace("*", "\\*").replace("?", "\\?") + "*";
    }

    /**
     * Sends a command that prepares the page's next document (a user agent, a new-document script, an interception)
     * without waiting for its answer: {@link #navigate} sends the navigation right behind it and then requires every
     * such answer. The page's session runs its commands in the order they were sent, so the navigation starts with the
     * preparation in place; not waiting saved a round trip to a busy browser before every navigation (the
     * {@code prepare} phase: 165 ms at the median under eight concurrent solves on two cores, against 6 ms idle).
     */
    public void prepare(String method, JsonNode params) {
        preparations.add(new Preparation(method, page.send(method, params)));
    }

    /**
     * Navigates the page and waits for its load event, after the answers of the commands sent with {@link #prepare}.
     *
     * @throws NavigationFailedException when the browser reports a net error
     * @throws CdpException when a preparation failed (the page may then have loaded without it)
     */
    public void navigate(String url, Duration timeout) throws InterruptedException {
        CdpSession.await(navigateToCommit(url, timeout), "load of " + url, timeout);
    }

    /**
     * Navigates the page and returns once the browser answers the navigation (its new document committed), without
     * waiting for the load event; requires the answers of the commands sent with {@link #prepare} first.
     *
     * @return the page's next load event (cancel it when it does not matter)
     * @throws NavigationFailedException when the browser reports a net error
     * @throws CdpException when a preparation failed (the page may then have loaded without it)
     */
    public CompletableFuture<JsonNode> navigateToCommit(String url, Duration timeout) throws InterruptedException {
        CompletableFuture<JsonNode> loaded = page.next("Page.loadEventFired", p -> true);
        try {
            CompletableFuture<JsonNode> navigated = page.send("Page.navigate", page.params().put("url", url));
            try {
                for (Preparation preparation : preparations) {
                    CdpSession.await(preparation.answer(), preparation.method(), SETUP_TIMEOUT);
                }
            } finally {
                preparations.clear();
            }
            JsonNode result = CdpSession.await(navigated, "Page.navigate", timeout);
            String error = result.path("errorText").asText("");
            if (!error.isEmpty()) {
                throw new NavigationFailedException(url, error);
            }
            return loaded;
        } catch (InterruptedException | RuntimeException e) {
            loaded.cancel(false);
            throw e;
        }
    }

    /**
     * Evaluates an expression in a fresh isolated world of the main frame (the page's own scripts cannot
     * see it) and returns its value (promises awaited).
     */
    public JsonNode evaluateIsolated(String expression, Duration timeout) throws InterruptedException {
        return evaluateIsolated(page, mainFrameId(), expression, timeout);
    }

    /** The same in any session and frame (e.g. an out-of-process iframe's). */
    public static JsonNode evaluateIsolated(CdpSession session, String frameId, String expression, Duration timeout)
            throws InterruptedException {
        return evaluateInWorld(session, frameId, ISOLATED_WORLD, expression, timeout);
    }

    /**
     * The same in the isolated world of that name, where a script added with
     * {@code Page.addScriptToEvaluateOnNewDocument} for the world left its globals.
     */
    public static JsonNode evaluateInWorld(CdpSession session, String frameId, String worldName, String expression,
                                           Duration timeout) throws InterruptedException {
        long contextId = session.call("Page.createIsolatedWorld", session.params().put("frameId", frameId)
                .put("worldName", worldName), timeout).path("executionContextId").asLong();
        JsonNode result = session.call("Runtime.evaluate", session.params().put("expression", expression)
                .put("contextId", contextId).put("returnByValue", true).put("awaitPromise", true), timeout);
        if (result.has("exceptionDetails")) {
            JsonNode details = result.path("exceptionDetails");
            throw new CdpException("script failed: " + details.path("exception").path("description")
                    .asText(details.path("text").asText()));
        }
        return result.path("result").path("value");
    }

    /** The id of the page's main frame: Chromium gives it its target's id, kept through navigations. */
    public String mainFrameId() {
        return targetId;
    }

    /**
     * Gives the context back: it is disposed on a virtual thread and its slot freed when that is done,
     * so the task's answer does not wait for it. Idempotent.
     */
    @Override
    public void close() {
        if (released.compareAndSet(false, true)) {
            pool.release(this);
        }
    }

    /** Completes when the context has been disposed and its slot returned. */
    public CompletableFuture<Void> released() {
        return disposed;
    }

    // ---- pool internals ----

    /** Disposes the context, then closes its relay; false if the browser did not confirm. */
    boolean dispose() {
        try {
            return disposeContext();
        } finally {
            closeRelay();
        }
    }

    /** Closes the relay of a context that went with its browser. */
    void closeRelay() {
        if (relay != null) {
            relay.close();
        }
    }

    private boolean disposeContext() {
        CdpSession root = browser.connection.browser();
        try {
            root.call("Target.disposeBrowserContext", root.params().put("browserContextId", contextId),
                    Duration.ofSeconds(10));
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (CdpException e) {
            return !browser.connection.isOpen(); // a dead browser took the context with it
        }
    }

    void markDisposed() {
        released.set(true);
        disposed.complete(null);
    }

    /** Whether the context presents other languages than the browser's own: its workers must then be told them. */
    private static boolean ownLanguages(RegionalIdentity region) {
        return !region.acceptLanguage().equals(WantedUserAgent.ACCEPT_LANGUAGE);
    }

    /** Frames, which take a user agent override; workers inherit their frame's. */
    private static boolean interceptable(String type) {
        return "iframe".equals(type) || "page".equals(type);
    }

    /**
     * Listens to one session of this context (whose top frame is {@code topFrameId}): the served document,
     * auto-attached children, and the frames rendered in its process.
     */
    private void watch(CdpSession session, String topFrameId) {
        session.on((method, params) -> {
            switch (method) {
                case "Fetch.requestPaused" -> paused(session, params);
                case "Target.attachedToTarget" -> childAttached(session, params);
                case "Target.detachedFromTarget" -> childDetached(params.path("sessionId").asText());
                case "Page.frameNavigated" -> frameNavigated(session, topFrameId, params.path("frame"));
                case "Page.frameDetached" -> inProcessFrames.computeIfPresent(params.path("frameId").asText(),
                        (id, frame) -> frame.session() == session ? null : frame);
                default -> { }
            }
        });
    }

    /** A frame of {@code session}'s tree below its top one navigated: it renders in that session's process. */
    private void frameNavigated(CdpSession session, String topFrameId, JsonNode frame) {
        String id = frame.path("id").asText("");
        // An out-of-process iframe's own top frame has a parent too (in another process): it is a child target.
        if (id.isEmpty() || id.equals(topFrameId) || frame.path("parentId").asText("").isEmpty()) {
            return;
        }
        inProcessFrames.put(id, new PageFrame(session, id, frame.path("url").asText(""), false));
    }

    private void childDetached(String sessionId) {
        children.remove(sessionId);
        inProcessFrames.values().removeIf(frame -> frame.session().id().equals(sessionId));
    }

    private void childAttached(CdpSession parent, JsonNode params) {
        CdpConnection connection = parent.connection();
        CdpSession session = connection.session(params.path("sessionId").asText());
        JsonNode info = params.path("targetInfo");
        ChildTarget child = new ChildTarget(session, info.path("targetId").asText(), info.path("type").asText(),
                info.path("url").asText());
        watch(session, child.targetId());
        // Sent without waiting (we are on the reader thread); Chromium runs them in this order.
        if (interceptable(child.type())) {
            session.send("Target.setAutoAttach", nestedAutoAttachParams(session, ownLanguages(region)));
        }
        presentIn(child, userAgentOverride, region);
        for (Consumer<ChildTarget> preparer : childPreparers) {
            try {
                preparer.accept(child);
            } catch (RuntimeException e) {
                log.warn("child target preparation failed", e);
            }
        }
        if (params.path("waitingForDebugger").asBoolean()) {
            session.send("Runtime.runIfWaitingForDebugger", null);
        }
        children.put(session.id(), child);
    }

    /** On the reader thread: sends its answer without waiting. */
    private void paused(CdpSession session, JsonNode params) {
        String requestId = params.path("requestId").asText();
        ServedDocument document = served;
        String url = params.path("request").path("url").asText();
        if (document != null && "Document".equals(params.path("resourceType").asText()) && sameDocument(url, document.url)) {
            session.send("Fetch.fulfillRequest", fulfilParams(session, requestId, document.response));
        } else {
            session.send("Fetch.continueRequest", session.params().put("requestId", requestId));
        }
    }

    /** Whether the browser's request URL names the same document as {@code wanted} (fragment and default port aside). */
    static boolean sameDocument(String requested, URI wanted) {
        try {
            URI r = URI.create(requested);
            return r.getScheme().equalsIgnoreCase(wanted.getScheme()) && r.getHost().equalsIgnoreCase(wanted.getHost())
                    && port(r) == port(wanted) && pathAndQuery(r).equals(pathAndQuery(wanted));
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static int port(URI u) {
        if (u.getPort() >= 0) {
            return u.getPort();
        }
        return "http".equalsIgnoreCase(u.getScheme()) ? 80 : 443;
    }

    private static String pathAndQuery(URI u) {
        String path = u.getRawPath() == null || u.getRawPath().isEmpty() ? "/" : u.getRawPath();
        return path + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery());
    }

    private static ObjectNode fulfilParams(CdpSession session, String requestId, FulfilledResponse response) {
        ObjectNode params = session.params().put("requestId", requestId).put("responseCode", response.status());
        ArrayNode headers = params.putArray("responseHeaders");
        response.headers().forEach((name, value) -> headers.addObject().put("name", name).put("value", value));
        params.put("body", Base64.getEncoder().encodeToString(response.body()));
        return params;
    }
}
