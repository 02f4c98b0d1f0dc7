package dev.turnpike.server.solver.widget;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.turnpike.server.browser.cdp.CdpClosedException;
import dev.turnpike.server.browser.cdp.CdpException;
import dev.turnpike.server.browser.cdp.CdpSession;
import dev.turnpike.server.browser.pool.ChildTarget;
import java.time.Duration;
import java.util.List;

/**
 * Where an iframe's content starts on the page's viewport, once it has been brought into view as a person would
 * bring it: scrolled to (centred when it was not wholly visible) in its own document and in every document around
 * it, and not left under another element (a cookie banner, a fixed footer). An iframe may sit in the page, in an
 * iframe of the page's own site (the same session: coordinates there are already the page's), or in an iframe of
 * another site (another session: its own viewport, placed through its owner in turn). Only DevTools' DOM is used;
 * no script runs in the page.
 */
final class FramePlacement {

    /** How the owner is aligned when centring leaves it covered: to the top, then to the bottom of the viewport. */
    private static final List<String> ALIGNMENTS = List.of("start", "end");

    private final CdpSession page;
    private final List<ChildTarget> others;
    private final Duration timeout;

    FramePlacement(CdpSession page, List<ChildTarget> others, Duration timeout) {
        this.page = page;
        this.others = others;
        this.timeout = timeout;
    }

    /**
     * The top-left corner of the iframe {@code frameId}'s content box in the page's viewport, after scrolling it into
     * view.
     *
     * @throws CdpException when the iframe is not laid out, its owner is found nowhere, or another element covers it
     */
    double[] reveal(String frameId) throws InterruptedException {
        if (owns(page, frameId)) {
            return uncovered(page, frameId);
        }
        for (ChildTarget other : others) {
            if ("iframe".equals(other.type()) && !other.targetId().equals(frameId) && owns(other.session(), frameId)) {
                double[] outer = reveal(other.targetId());
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
            if (!covered(session, owner)) {
                return origin;
            }
            align(session, owner, alignment);
            origin = contentOrigin(session, owner, false);
        }
        if (covered(session, owner)) {
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

    /** Whether the element on top at the middle of the owner's box is another one (the owner's own box is its). */
    private boolean covered(CdpSession session, long owner) throws InterruptedException {
        JsonNode content = session.call("DOM.getBoxModel", session.params().put("backendNodeId", owner), timeout)
                .path("model").path("content");
        // The box is in viewport coordinates; the hit test takes the document's (the scroll added).
        JsonNode viewport = session.call("Page.getLayoutMetrics", session.params(), timeout).path("cssVisualViewport");
        double x = (content.path(0).asDouble() + content.path(4).asDouble()) / 2 + viewport.path("pageX").asDouble();
        double y = (content.path(1).asDouble() + content.path(5).asDouble()) / 2 + viewport.path("pageY").asDouble();
        try {
            long top = session.call("DOM.getNodeForLocation", session.params().put("x", Math.round(x))
                    .put("y", Math.round(y)).put("includeUserAgentShadowDOM", false), timeout)
                    .path("backendNodeId").asLong();
            return top != owner;
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
