package dev.turnpike.server.solver.turnstile;

import com.fasterxml.jackson.databind.JsonNode;
import dev.turnpike.server.browser.cdp.CdpSession;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The frames of one DevTools session (a page's or an out-of-process iframe's) where a widget may post to its own
 * window: every frame of its tree but those of Cloudflare's challenge origins. The tree is read
 * ({@code Page.getFrameTree}) only after the session said it changed ({@code Page.frameAttached},
 * {@code frameNavigated}, {@code frameDetached}; Page is enabled in every session the watch drains), not before
 * every drain: a page whose frames stay as they are costs no round trip per poll.
 */
final class SessionFrames {

    private final CdpSession session;
    private volatile boolean changed = true;
    private List<String> frameIds = List.of();

    SessionFrames(CdpSession session) {
        this.session = session;
        // On the reader thread: only a flag. Lives as long as the session (dropped with it when its target goes).
        session.on((method, params) -> {
            switch (method) {
                case "Page.frameAttached", "Page.frameNavigated", "Page.frameDetached" -> changed = true;
                default -> { }
            }
        });
    }

    /**
     * The frame ids, read again when the tree changed since the last read.
     *
     * @throws dev.turnpike.server.browser.cdp.CdpException when the session went away
     */
    List<String> frameIds(Duration timeout) throws InterruptedException {
        if (changed) {
            changed = false; // before the read: a change during it is read next time
            try {
                List<String> read = new ArrayList<>();
                collect(session.call("Page.getFrameTree", session.params(), timeout).path("frameTree"), read);
                frameIds = List.copyOf(read);
            } catch (RuntimeException | InterruptedException e) {
                changed = true;
                throw e;
            }
        }
        return frameIds;
    }

    private static void collect(JsonNode tree, List<String> into) {
        String id = tree.path("frame").path("id").asText("");
        String origin = tree.path("frame").path("securityOrigin").asText("");
        if (!id.isEmpty() && !WidgetFrameUrl.isChallengeOrigin(origin)) {
            into.add(id);
        }
        for (JsonNode child : tree.path("childFrames")) {
            collect(child, into);
        }
    }
}
