package dev.turnpike.server.solver.turnstile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.turnpike.server.browser.cdp.CdpClosedException;
import dev.turnpike.server.browser.cdp.CdpException;
import dev.turnpike.server.browser.cdp.CdpSession;
import dev.turnpike.server.browser.pool.ChildTarget;
import dev.turnpike.server.browser.pool.ContextLease;
import dev.turnpike.server.browser.pool.PageFrame;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Listens, unseen by the page, to what Turnstile widgets tell their page. A script added to an isolated
 * world of every new document hears the widgets' {@code postMessage}s ({@code complete} with the token,
 * {@code fail} with the code, {@code interactiveBegin}, ...) and queues them in that world; we collect
 * them with a long poll — a {@code Runtime.evaluate} in that world awaiting a promise that resolves as
 * soon as a message arrives. Runtime is never enabled (bindings would need it), and the page's scripts
 * can see neither the world nor its queue. Widget iframes ({@link PageFrame}s: out-of-process targets with site
 * isolation, frames of the page's own session without it) are tracked by their URL, which carries the widget id and
 * sitekey.
 *
 * <p>A widget posts to the window that holds it, which is not always the top one: a site may embed its form in an
 * iframe of its own (same origin, or another host, nested). The script runs in every frame's new documents (the
 * page's session's, which reach every frame in the page's process, and those of each out-of-process iframe of
 * another site), and between long polls of the top frame the queues of the other frames are drained without waiting.
 */
final class WidgetWatch {

    /** The isolated world's name; not visible to the page. */
    static final String WORLD = "turnpike-watch";
    private static final String NEXT = "turnpikeNext";
    /** What a poll answers in a document without the listener. */
    private static final String MISSING = "missing";
    private static final Logger log = LoggerFactory.getLogger(WidgetWatch.class);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(15);
    /** The longest wait of a poll while other frames than the top one are drained between polls. */
    static final Duration SUBFRAME_POLL = Duration.ofMillis(250);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ContextLease lease;
    private final String tag;
    private final Deque<WidgetEvent> buffered = new ArrayDeque<>();
    /** Widget frames by short widget id: the latest frame of each widget (its iframe is replaced at each run). */
    private final Map<String, PageFrame> frames = new ConcurrentHashMap<>();
    private final Map<String, String> sitekeys = new ConcurrentHashMap<>();
    /** The frame ids of every widget frame seen. */
    private final java.util.Set<String> widgetFrameIds = ConcurrentHashMap.newKeySet();
    private long contextId = -1;
    /** Execution contexts of our world in frames other than the top one, by session id and frame id. */
    private final Map<String, Long> subframeContexts = new ConcurrentHashMap<>();
    /** The frames worth draining of each session drained, by session id. */
    private final Map<String, SessionFrames> sessionFrames = new ConcurrentHashMap<>();

    private WidgetWatch(ContextLease lease, String tag) {
        this.lease = lease;
        this.tag = tag;
    }

    /**
     * Prepares the listener for the page's next document ({@link ContextLease#prepare}: confirmed by the navigation);
     * call before the page navigates.
     */
    static WidgetWatch install(ContextLease lease, RandomGenerator random) {
        byte[] bytes = new byte[8];
        random.nextBytes(bytes);
        WidgetWatch watch = new WidgetWatch(lease, "turnpike-" + HexFormat.of().formatHex(bytes));
        lease.prepareChildren(watch::prepareFrame);
        lease.prepare("Page.addScriptToEvaluateOnNewDocument", lease.page().params()
                .put("source", watch.listener()).put("worldName", WORLD));
        return watch;
    }

    /** The tag our own pages put on the messages only the page would otherwise hear (failures). */
    String tag() {
        return tag;
    }

    /**
     * The next event, or null when none came within {@code wait}. While frames other than the top one may hear a
     * widget (they are drained between long polls of the top frame, not long-polled themselves), the wait is at most
     * {@link #SUBFRAME_POLL}; a page whose only other frames are widgets' waits as long as asked.
     */
    WidgetEvent next(Duration wait) throws InterruptedException {
        int subframes = 0;
        if (buffered.isEmpty()) {
            subframes = drainSubframes();
        }
        if (buffered.isEmpty()) {
            poll(subframes > 0 && wait.compareTo(SUBFRAME_POLL) > 0 ? SUBFRAME_POLL : wait);
        }
        return buffered.poll();
    }

    /** On the reader thread, an iframe of another site still paused: the listener for its documents, sent only. */
    private void prepareFrame(ChildTarget child) {
        if (!"iframe".equals(child.type())) {
            return;
        }
        CdpSession frame = child.session();
        frame.send("Page.enable", null);
        frame.send("Page.addScriptToEvaluateOnNewDocument", frame.params().put("source", listener())
                .put("worldName", WORLD));
    }

    /**
     * Collects, without waiting, what widgets told frames other than the top one: the page's own iframes (same
     * process) and the out-of-process iframes of other sites that are not widgets, with their own iframes.
     *
     * @return how many frames were drained
     */
    private int drainSubframes() throws InterruptedException {
        CdpSession page = lease.page();
        int drained = drainFramesOf(page, lease.mainFrameId());
        for (PageFrame frame : lease.frames()) {
            if (frame.outOfProcess() && !isWidgetFrame(frame)) {
                drained += drainFramesOf(frame.session(), null);
            }
        }
        return drained;
    }

    /** Drains every frame of the session's tree but {@code skipFrameId} (the top frame, long-polled instead). */
    private int drainFramesOf(CdpSession session, String skipFrameId) throws InterruptedException {
        List<String> frameIds;
        try {
            frameIds = sessionFrames.computeIfAbsent(session.id(), id -> new SessionFrames(session))
                    .frameIds(CALL_TIMEOUT);
        } catch (CdpClosedException e) {
            throw e;
        } catch (CdpException e) {
            sessionFrames.remove(session.id());
            return 0; // the iframe went away
        }
        int drained = 0;
        for (String frameId : frameIds) {
            if (!frameId.equals(skipFrameId)) {
                drainFrame(session, frameId);
                drained++;
            }
        }
        return drained;
    }

    private void drainFrame(CdpSession session, String frameId) throws InterruptedException {
        String key = session.id() + "/" + frameId;
        try {
            Long known = subframeContexts.get(key);
            long context = known != null ? known : session.call("Page.createIsolatedWorld", session.params()
                    .put("frameId", frameId).put("worldName", WORLD), CALL_TIMEOUT).path("executionContextId").asLong();
            subframeContexts.put(key, context);
            JsonNode result = session.call("Runtime.evaluate", session.params()
                    .put("expression", "globalThis." + NEXT + " ? globalThis." + NEXT + "(0) : '" + MISSING + "'")
                    .put("contextId", context).put("awaitPromise", true).put("returnByValue", true), CALL_TIMEOUT);
            if (result.has("exceptionDetails")) {
                subframeContexts.remove(key);
                return;
            }
            if (MISSING.equals(result.path("result").path("value").asText())) {
                session.call("Runtime.evaluate", session.params().put("expression", listener())
                        .put("contextId", context), CALL_TIMEOUT);
                return;
            }
            for (JsonNode item : result.path("result").path("value")) {
                parse(item.asText()).ifPresent(buffered::add);
            }
        } catch (CdpClosedException e) {
            throw e;
        } catch (CdpException e) {
            subframeContexts.remove(key); // the frame navigated or went away: its world is new
        }
    }

    private void poll(Duration wait) throws InterruptedException {
        CdpSession page = lease.page();
        for (int attempt = 0; attempt < 2; attempt++) {
            try {
                if (contextId < 0) {
                    contextId = page.call("Page.createIsolatedWorld", page.params()
                            .put("frameId", lease.mainFrameId()).put("worldName", WORLD), CALL_TIMEOUT)
                            .path("executionContextId").asLong();
                }
                JsonNode result = page.call("Runtime.evaluate", page.params()
                        .put("expression", "globalThis." + NEXT + " ? globalThis." + NEXT + "(" + wait.toMillis()
                                + ") : '" + MISSING + "'")
                        .put("contextId", contextId).put("awaitPromise", true).put("returnByValue", true),
                        wait.plus(CALL_TIMEOUT));
                if (result.has("exceptionDetails")) {
                    contextId = -1;
                    continue;
                }
                if (MISSING.equals(result.path("result").path("value").asText())) {
                    // A document made before the listener was registered for new documents: it listens from now on.
                    log.debug("the page's document had no widget listener; installing it now");
                    page.call("Runtime.evaluate", page.params().put("expression", listener())
                            .put("contextId", contextId), CALL_TIMEOUT);
                    continue;
                }
                for (JsonNode item : result.path("result").path("value")) {
                    parse(item.asText()).ifPresent(buffered::add);
                }
                return;
            } catch (CdpClosedException e) {
                throw e;
            } catch (CdpException e) {
                // The document changed under us (navigation, reload): its world is new.
                contextId = -1;
            }
        }
    }

    private static Optional<WidgetEvent> parse(String json) {
        try {
            JsonNode e = JSON.readTree(json);
            return Optional.of(new WidgetEvent(e.path("event").asText(), text(e, "widgetId"), text(e, "token"),
                    text(e, "code"), e.path("watchdogMs").asLong(0)));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    /** The sitekey of a widget, from its iframe's URL. */
    Optional<String> sitekeyOf(String shortId) throws InterruptedException {
        if (shortId != null && !sitekeys.containsKey(shortId)) {
            resolveFrames();
        }
        return Optional.ofNullable(shortId == null ? null : sitekeys.get(shortId));
    }

    /** The widget's iframe, its latest when it ran more than once. */
    Optional<PageFrame> frameOf(String shortId) throws InterruptedException {
        if (shortId == null) {
            return Optional.empty();
        }
        PageFrame known = frames.get(shortId);
        if (known == null || !lease.frames().contains(known)) {
            resolveFrames();
        }
        return Optional.ofNullable(frames.get(shortId));
    }

    /** Whether the widget iframe of this sitekey has appeared. */
    boolean hasWidgetFor(String sitekey) throws InterruptedException {
        resolveFrames();
        return sitekeys.containsValue(sitekey);
    }

    /** The ids of the widgets of this sitekey whose iframes have appeared. */
    List<String> widgetIdsOf(String sitekey) throws InterruptedException {
        resolveFrames();
        return sitekeys.entrySet().stream().filter(e -> e.getValue().equals(sitekey)).map(Map.Entry::getKey).toList();
    }

    /** The sitekeys of every widget iframe that has appeared. */
    java.util.Set<String> sitekeysSeen() throws InterruptedException {
        resolveFrames();
        return new java.util.TreeSet<>(sitekeys.values());
    }

    /** Whether this frame is a widget's iframe (known by its URL). */
    boolean isWidgetFrame(PageFrame frame) {
        return widgetFrameIds.contains(frame.frameId());
    }

    /**
     * Matches the page's frames not known as widgets yet by their URL: an in-process frame's is the last it navigated
     * to; an out-of-process one's, when its attach-time URL names no widget (it is often attached before it
     * navigates), is asked of the browser.
     */
    private void resolveFrames() throws InterruptedException {
        for (PageFrame frame : lease.frames()) {
            if (isWidgetFrame(frame)) {
                continue;
            }
            Optional<WidgetFrameUrl> widget = WidgetFrameUrl.parse(frame.url());
            if (widget.isEmpty() && frame.outOfProcess()) {
                try {
                    widget = WidgetFrameUrl.parse(lease.currentUrl(frame, CALL_TIMEOUT));
                } catch (CdpClosedException e) {
                    throw e;
                } catch (CdpException e) {
                    continue; // the iframe is gone
                }
            }
            widget.ifPresent(w -> {
                widgetFrameIds.add(frame.frameId());
                frames.put(w.shortId(), frame);
                sitekeys.put(w.shortId(), w.sitekey());
            });
        }
    }

    private String listener() {
        return """
                (function () {
                  var ORIGINS = {'https://challenges.cloudflare.com': 1, 'https://challenges.fed.cloudflare.com': 1};
                  if (globalThis[%1$s] || ORIGINS[location.origin] === 1) { return; }
                  var queue = [], waiters = [];
                  globalThis[%1$s] = function (ms) {
                    if (queue.length) { return Promise.resolve(queue.splice(0)); }
                    return new Promise(function (resolve) {
                      var done = false;
                      function finish() { if (!done) { done = true; resolve(queue.splice(0)); } }
                      waiters.push(finish);
                      setTimeout(finish, ms);
                    });
                  };
                  window.addEventListener('message', function (e) {
                    var d = e.data;
                    if (!d || typeof d !== 'object') { return; }
                    var ours = d.source === %2$s && e.origin === location.origin;
                    if (!ours && !(ORIGINS[e.origin] === 1 && d.source === 'cloudflare-challenge')) { return; }
                    queue.push(JSON.stringify({event: String(d.event), widgetId: d.widgetId || null,
                      token: typeof d.token === 'string' ? d.token : null,
                      code: d.code === undefined || d.code === null ? null : String(d.code),
                      watchdogMs: Number(d.watchdogMs) || 0}));
                    waiters.splice(0).forEach(function (w) { w(); });
                  }, true);
                })();
                """.formatted(WidgetPage.quote(NEXT), WidgetPage.quote(tag));
    }
}
