package dev.turnpike.server.solver.widget;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.turnpike.server.browser.cdp.CdpClosedException;
import dev.turnpike.server.browser.cdp.CdpException;
import dev.turnpike.server.browser.cdp.CdpSession;
import dev.turnpike.server.browser.pool.PageFrame;
import java.time.Duration;
import java.util.List;

/**
 * Where an iframe's content starts on the page's viewport, once it has been brought into view as a person would
 * bring it: scrolled to (centred when it was not wholly visible) in its own document and in every document around
 * it, and not left under another element (a cookie banner, a fixed footer). An iframe may sit in the page, in an
 * iframe of the page's own site (the same session: coordinates there are already the page's), or in an iframe of
 * another site (another session: its own viewport, placed through its owner in turn). A frame rendered in its
 * parent's process (every one without site isolation) is measured in that session's viewport already: it is only
 * brought into view. Only DevTools' DOM is used; no script runs in the page.
 */
final class FramePlacement {

    /** How the owner is aligned when centring leaves it covered: to the top, then to the bottom of the viewport. */
    private static final List<String> ALIGNMENTS = List.of("start", "end");

    private final CdpSession page;
    private final List<PageFrame> others;
    private final Duration timeout;

    FramePlacement(CdpSession page, List<PageFrame> others, Duration timeout) {
        this.page = page;
        this.others = others;
        this.timeout = timeout;
    }

    /**
     * Brings {@code frame} into view and says where the viewport its session's DOM measures in starts on the page's:
     * an out-of-process frame's own content box; for a frame in its parent's process, the top frame of that session
     * (the page's own viewport, 0,0, when that is the page).
     *
     * @throws CdpException when the iframe is not laid out, its owner is found nowhere, or another element covers it
     */
    double[] reveal(PageFrame frame) throws InterruptedException {
        if (frame.outOfProcess()) {
            return revealTarget(frame.frameId());
        }
        CdpSession session = frame.session();
        if (session.id().equals(page.id())) {
            uncovered(page, frame.frameId());
            return new double[] {0, 0};
        }
        contentOrigin(session, ownerOf(session, frame.frameId()), true);
        for (PageFrame other : others) {
            if (other.outOfProcess() && other.session().id().equals(session.id())) {
                return revealTarget(other.frameId());
            }
        }
        throw new CdpException("the widget iframe's session is no frame of the page");
    }

    /** The top-left corner of the out-of-process iframe {@code frameId}'s content box in the page's viewport. */
    private double[] revealTarget(String frameId) throws InterruptedException {
        if (owns(page, frameId)) {
            return uncovered(page, frameId);
        }
        for (PageFrame other : others) {
            if (other.outOfProcess() && !other.frameId().equals(frameId) && owns(other.session(), frameId)) {
                double[] outer = revealTarget(other.frameId());
                double[] inner = contentOrigin(other.session(), ownerOf(other.session(), frameId), true);
                return new double[] {outer[0] + inner[0], outer[1] + inner[1]};
            }
        }
        throw new CdpException("the widget iframe's owner was found in no frame");
    }

    private boolean owns(CdpSession session, String frameId) throws InterruptedException {
        try {
            ownerOf(session, frameId);
            return true;
        } catch (CdpClosedException e) {
            throw e;
        } catch (CdpException e) {
            return false;
        }
    }

    private long ownerOf(CdpSession session, String frameId) throws InterruptedException {
        session.call("DOM.getDocument", session.params().put("depth", 0), timeout);
        return session.call("DOM.getFrameOwner", session.params().put("frameId", frameId), timeout)
                .path("backendNodeId").asLong();
    }

    /** In the page itself: scrolled into view, and, if something else is on top of it there, scrolled again. */
    private double[] uncovered(CdpSession session, String frameId) throws InterruptedException {
        long owner = ownerOf(session, frameId);
        double[] origin = contentOrigin(session, owner, true);
        for (String alignment : ALIGNMENTS) {
            if (!covered(session, owner, frameId)) {
                return origin;
            }
            align(session, owner, alignment);
            origin = contentOrigin(session, owner, false);
        }
        if (covered(session, owner, frameId)) {
            throw new CdpException("another element covers the widget wherever it is scrolled");
        }
        return origin;
    }

    private double[] contentOrigin(CdpSession session, long owner, boolean scroll) throws InterruptedException {
        if (scroll) {
            // Centres the owner when it is not wholly visible, in its document and every one around it.
            session.call("DOM.scrollIntoViewIfNeeded", session.params().put("backendNodeId", owner), timeout);
        }
        JsonNode content = session.call("DOM.getBoxModel", session.params().put("backendNodeId", owner), timeout)
                .path("model").path("content");
        if (content.size() < 8) {
            throw new CdpException("the widget iframe is not laid out");
        }
        return new double[] {content.path(0).asDouble(), content.path(1).asDouble()};
    }

    /**
     * Whether the element on top at the middle of the owner's box is another one: not the owner (the hit test's
     * answer for an out-of-process frame), nor a node of the frame's own document (for one in process, which the hit
     * test enters).
     */
    private boolean covered(CdpSession session, long owner, String frameId) throws InterruptedException {
        JsonNode content = session.call("DOM.getBoxModel", session.params().put("backendNodeId", owner), timeout)
                .path("model").path("content");
        // The box is in viewport coordinates; the hit test takes the document's (the scroll added).
        JsonNode viewport = session.call("Page.getLayoutMetrics", session.params(), timeout).path("cssVisualViewport");
        double x = (content.path(0).asDouble() + content.path(4).asDouble()) / 2 + viewport.path("pageX").asDouble();
        double y = (content.path(1).asDouble() + content.path(5).asDouble()) / 2 + viewport.path("pageY").asDouble();
        try {
            JsonNode top = session.call("DOM.getNodeForLocation", session.params().put("x", Math.round(x))
                    .put("y", Math.round(y)).put("includeUserAgentShadowDOM", false), timeout);
            return top.path("backendNodeId").asLong() != owner && !frameId.equals(top.path("frameId").asText());
        } catch (CdpClosedException e) {
            throw e;
        } catch (CdpException e) {
            return true; // nothing there: off the viewport
        }
    }

    /** Scrolls the owner to the top or bottom of the viewport, as a person's further scrolling would. */
    private void align(CdpSession session, long owner, String alignment) throws InterruptedException {
        String objectId = session.call("DOM.resolveNode", session.params().put("backendNodeId", owner)
                .put("objectGroup", "turnpike-placement"), timeout).path("object").path("objectId").asText();
        ObjectNode params = session.params().put("objectId", objectId)
                .put("functionDeclaration", "function (block) { this.scrollIntoView({block: block, inline: 'nearest'}); }");
        params.putArray("arguments").addObject().put("value", alignment);
        session.call("Runtime.callFunctionOn", params, timeout);
        session.send("Runtime.releaseObjectGroup", session.params().put("objectGroup", "turnpike-placement"));
    }
}
