package dev.turnpike.bench;

import dev.turnpike.server.browser.cdp.CdpConnection;
import dev.turnpike.server.browser.cdp.CdpSession;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * The reference's browser contexts: plain ones (no proxy, no relay, no auto-attach, no override), as a bare driver
 * makes them, each made ahead of the run that uses it — a warm context, as the pool's are — in the browser where
 * that run holds its slot.
 */
final class PlainContexts {

    /** One ready context: its id, its page's flat session and main frame. */
    record Plain(CdpConnection connection, String id, CdpSession page, String frame) {
    }

    private final Map<CdpConnection, Deque<Plain>> ready = new ConcurrentHashMap<>();

    /** A context made earlier in this browser, or made now when there is none yet. */
    Plain take(CdpConnection connection) throws InterruptedException {
        Plain made = ready.computeIfAbsent(connection, c -> new ConcurrentLinkedDeque<>()).pollLast();
        return made != null ? made : open(connection);
    }

    /** Disposes a used context and makes the next one of its browser. */
    void replace(Plain used) throws InterruptedException {
        CdpSession root = used.connection().browser();
        root.call("Target.disposeBrowserContext", root.params().put("browserContextId", used.id()));
        if (used.connection().isOpen()) {
            ready.computeIfAbsent(used.connection(), c -> new ConcurrentLinkedDeque<>()).add(open(used.connection()));
        }
    }

    private static Plain open(CdpConnection connection) throws InterruptedException {
        return open(connection, null);
    }

    /** A plain context, or one whose only way out is {@code proxyServer} (loopback included) when it is not null. */
    static Plain open(CdpConnection connection, String proxyServer) throws InterruptedException {
        CdpSession root = connection.browser();
        var params = root.params();
        if (proxyServer != null) {
            params.put("proxyServer", proxyServer).put("proxyBypassList", "<-loopback>");
        }
        String context = root.call("Target.createBrowserContext", params).path("browserContextId").asText();
        String target = root.call("Target.createTarget", root.params().put("url", "about:blank")
                .put("browserContextId", context)).path("targetId").asText();
        String session = root.call("Target.attachToTarget", root.params().put("targetId", target)
                .put("flatten", true)).path("sessionId").asText();
        CdpSession page = connection.session(session);
        page.call("Page.enable", null);
        String frame = page.call("Page.getFrameTree", null).path("frameTree").path("frame").path("id").asText();
        return new Plain(connection, context, page, frame);
    }
}
