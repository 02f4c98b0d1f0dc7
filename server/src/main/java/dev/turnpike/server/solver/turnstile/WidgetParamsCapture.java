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
import java.util.Optional;

/**
 * Learns what the page rendered its widgets with, unseen by the page. The page's api.js answers a widget's
 * {@code requestExtraParams} with {@code extraParams} (action, cData, chlPageData, ...) posted <em>to the
 * iframe</em>, where the top page's listener cannot hear it. So every iframe's documents get, before their first
 * script, a script in an isolated world that keeps the first such answer from its parent (the page's session's
 * new-document scripts reach the iframes in the page's process; an out-of-process iframe gets its own while it is
 * still paused); we read it when we need it. Runtime is never enabled; neither the page nor the widget's scripts
 * can see that world, and the message is only read, never changed.
 */
final class WidgetParamsCapture {

    /** The isolated world's name in widget iframes. */
    static final String WORLD = "turnpike-params";
    private static final String KEPT = "turnpikeExtraParams";
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(5);
    private static final ObjectMapper JSON = new ObjectMapper();

    private WidgetParamsCapture() {
    }

    /** Prepares every iframe of the lease's page from now on, wherever it renders; call before it navigates. */
    static WidgetParamsCapture install(ContextLease lease) {
        WidgetParamsCapture capture = new WidgetParamsCapture();
        lease.prepare("Page.addScriptToEvaluateOnNewDocument", lease.page().params()
                .put("source", LISTENER).put("worldName", WORLD));
        lease.prepareChildren(capture::prepare);
        return capture;
    }

    /** On the connection's reader thread, the iframe still paused: only sends, in order. */
    private void prepare(ChildTarget child) {
        if (!"iframe".equals(child.type())) {
            return;
        }
        CdpSession frame = child.session();
        // Page must be on in the iframe's own session for its new-document scripts to run.
        frame.send("Page.enable", null);
        frame.send("Page.addScriptToEvaluateOnNewDocument", frame.params()
                .put("source", LISTENER).put("worldName", WORLD));
    }

    /**
     * The render parameters the widget in this iframe received, or empty when it has not received them (yet), or
     * the iframe is gone.
     */
    Optional<RenderParams> of(PageFrame frame) throws InterruptedException {
        try {
            JsonNode value = ContextLease.evaluateInWorld(frame.session(), frame.frameId(), WORLD,
                    "globalThis." + KEPT + " || null", READ_TIMEOUT);
            return value.isTextual() ? parse(value.asText()) : Optional.empty();
        } catch (CdpClosedException e) {
            throw e;
        } catch (CdpException e) {
            return Optional.empty(); // the iframe went away or navigated under us
        }
    }

    private static Optional<RenderParams> parse(String json) {
        try {
            JsonNode kept = JSON.readTree(json);
            return WidgetFrameUrl.parse(kept.path("frameUrl").asText("")).map(url -> new RenderParams(url.sitekey(),
                    text(kept, "action"), text(kept, "cData"), text(kept, "chlPageData"), url.theme(), url.size(),
                    text(kept, "execution"), text(kept, "appearance"), text(kept, "refreshExpired")));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    /** Only in widget iframes; only the parent's first answer, as the widget itself takes only the first. */
    private static final String LISTENER = """
            (function () {
              var ORIGINS = {'https://challenges.cloudflare.com': 1, 'https://challenges.fed.cloudflare.com': 1};
              if (ORIGINS[location.origin] !== 1) { return; }
              function text(v) { return v === undefined || v === null ? null : String(v); }
              window.addEventListener('message', function (e) {
                var d = e.data;
                if (globalThis.%1$s || e.source !== window.parent || !d || typeof d !== 'object'
                    || d.source !== 'cloudflare-challenge' || d.event !== 'extraParams') { return; }
                globalThis.%1$s = JSON.stringify({action: text(d.action), cData: text(d.cData),
                  chlPageData: text(d.chlPageData), execution: text(d.execution), appearance: text(d.appearance),
                  refreshExpired: text(d.refreshExpired), frameUrl: location.href});
              }, true);
            })();
            """.formatted(KEPT);
}
