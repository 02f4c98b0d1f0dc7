package dev.turnpike.server.solver.widget;

import com.fasterxml.jackson.databind.JsonNode;
import dev.turnpike.server.browser.cdp.CdpClosedException;
import dev.turnpike.server.browser.cdp.CdpException;
import dev.turnpike.server.browser.cdp.CdpSession;
import dev.turnpike.server.browser.pool.PageFrame;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Clicks the checkbox of an interactive Turnstile widget as a person would, for both solvers (a site's widget and
 * a challenge page's). The checkbox lives in the widget's iframe, behind a closed shadow root of that iframe's
 * document, where no {@code querySelector} reaches: it is found through DevTools' DOM with {@code pierce} (which
 * lists closed shadow roots too) — the iframe's own document when it is out of process, its owner element's content
 * document when it renders in the page's process ({@link PageFrame}) — measured there, and placed on the page (out
 * of process through the iframe's owner element; in process its box is in the page's viewport already). The click is
 * real input ({@code Input.dispatchMouseEvent} on the page, so {@code isTrusted}): the pointer comes in from
 * elsewhere along a slightly curved path, then a press and a release apart. The iframe is first brought into view as
 * a person would scroll to it, wherever the page nests it ({@link FramePlacement}). No script runs in the page or the
 * iframe, in any world, except the page's own {@code scrollIntoView} on the iframe when another element (a banner)
 * covers it once centred.
 */
public final class TrustedClick {

    private static final Duration POLL = Duration.ofMillis(50);

    private final RandomGenerator random;
    private final Duration commandTimeout;

    /**
     * @param random         the approach path, the point inside the box, the pauses
     * @param commandTimeout the longest one DevTools command may take
     */
    public TrustedClick(RandomGenerator random, Duration commandTimeout) {
        this.random = Objects.requireNonNull(random, "random");
        this.commandTimeout = Objects.requireNonNull(commandTimeout, "commandTimeout");
    }

    /**
     * Clicks the checkbox of the widget {@code frame} once it shows one, waiting up to {@code findFor}. The widget's
     * iframe may sit in the page or in one of {@code others} (iframes of other sites the page embeds, the widget's
     * own parents): it is scrolled into view in each, as a person would scroll to it.
     *
     * @throws CdpException when no checkbox appeared in time, or the iframe is not laid out on the page, or another
     *                      element covers it wherever it is scrolled
     */
    public void click(CdpSession page, List<PageFrame> others, PageFrame frame, Duration findFor)
            throws InterruptedException {
        click(page, others, frame, findFor, WidgetControl.CHECKBOX);
    }

    /** The same for another control of the widget (its "Refresh" link once expired). */
    public void click(CdpSession page, List<PageFrame> others, PageFrame frame, Duration findFor,
                      WidgetControl control) throws InterruptedException {
        long until = System.nanoTime() + findFor.toNanos();
        while (!clickIfShown(page, others, frame, control)) {
            if (System.nanoTime() > until) {
                throw new CdpException(control == WidgetControl.CHECKBOX ? "the interactive widget shows no checkbox"
                        : "the widget shows no " + control);
            }
            Thread.sleep(POLL.toMillis());
        }
    }

    /** The same for a widget whose iframe sits in the page itself. */
    public void click(CdpSession page, PageFrame frame, Duration findFor) throws InterruptedException {
        click(page, List.of(), frame, findFor);
    }

    /** {@link #clickIfShown(CdpSession, List, PageFrame)} for a widget whose iframe sits in the page itself. */
    public boolean clickIfShown(CdpSession page, PageFrame frame) throws InterruptedException {
        return clickIfShown(page, List.of(), frame);
    }

    /**
     * Clicks the checkbox of the widget {@code frame} if it shows one now (present and laid out); false when it
     * does not (yet).
     *
     * @throws CdpException when the iframe went away or is not laid out on the page, or stays covered
     */
    public boolean clickIfShown(CdpSession page, List<PageFrame> others, PageFrame frame)
            throws InterruptedException {
        return clickIfShown(page, others, frame, WidgetControl.CHECKBOX);
    }

    /** Clicks this control of the widget {@code frame} if it shows it now; false when it does not (yet). */
    public boolean clickIfShown(CdpSession page, List<PageFrame> others, PageFrame frame, WidgetControl control)
            throws InterruptedException {
        CdpSession widget = frame.session();
        // The widget's DOM first: while it shows no control (a challenge working by itself, a widget still loading)
        // a look is one or two commands, not the placement's six or more layouts and hit tests on every try.
        long node = control(frame, control);
        if (node == 0) {
            return false;
        }
        // Then into view: a frame off the viewport is not laid out (its checkbox has no box), as for a person.
        double[] origin = new FramePlacement(page, others, commandTimeout).reveal(frame);
        double[] box = contentBox(widget, node);
        if (box == null) {
            return false;
        }
        // Somewhere inside the middle of the box, not its exact centre.
        double x = origin[0] + box[0] + box[2] * (0.3 + 0.4 * random.nextDouble());
        double y = origin[1] + box[1] + box[3] * (0.3 + 0.4 * random.nextDouble());
        moveTo(page, x, y);
        settle(page, x, y);
        Thread.sleep(40 + random.nextInt(80));
        mouse(page, "mousePressed", x, y, 1);
        Thread.sleep(50 + random.nextInt(70));
        mouse(page, "mouseReleased", x, y, 0);
        if (frame.outOfProcess()) {
            // We have seen the widget's DOM for the last time: stop the iframe reporting its mutations to us (in
            // process, its session is the page's, whose DOM other readers still use).
            widget.send("DOM.disable", null);
        }
        return true;
    }

    /** The backend node id of the control in the frame's document, or 0 while it is absent. */
    private long control(PageFrame frame, WidgetControl control) throws InterruptedException {
        JsonNode document = document(frame);
        return document == null ? 0 : find(document, control);
    }

    /** {x, y, width, height} of {@code node} in the viewport of the frame's session, or null while it is not laid out. */
    private double[] contentBox(CdpSession widget, long node) throws InterruptedException {
        try {
            return quadBox(widget.call("DOM.getContentQuads", widget.params().put("backendNodeId", node),
                    commandTimeout));
        } catch (CdpClosedException e) {
            throw e;
        } catch (CdpException e) {
            return null; // not rendered (yet): "Could not compute content quads"
        }
    }

    /**
     * The frame's document, closed shadow roots included: out of process, its session's own; in process, its owner
     * element's content document, described alone (not the whole page's DOM at every look). Null while the owner
     * has no document yet.
     */
    private JsonNode document(PageFrame frame) throws InterruptedException {
        CdpSession session = frame.session();
        if (frame.outOfProcess()) {
            return session.call("DOM.getDocument", session.params().put("depth", -1).put("pierce", true),
                    commandTimeout).path("root");
        }
        long owner = session.call("DOM.getFrameOwner", session.params().put("frameId", frame.frameId()),
                commandTimeout).path("backendNodeId").asLong();
        JsonNode content = session.call("DOM.describeNode", session.params().put("backendNodeId", owner)
                .put("depth", -1).put("pierce", true), commandTimeout).path("node").path("contentDocument");
        return content.isMissingNode() ? null : content;
    }

    /**
     * The backend node id of the first control in document order, looking into shadow roots (closed ones included) but
     * not into nested frames (their boxes would be in another viewport) nor the browser's own user-agent shadow roots;
     * 0 when there is none.
     */
    private static long find(JsonNode node, WidgetControl control) {
        if (control.matches(node.path("nodeName").asText(), name -> attribute(node, name))) {
            return node.path("backendNodeId").asLong();
        }
        for (JsonNode shadow : node.path("shadowRoots")) {
            if (!"user-agent".equals(shadow.path("shadowRootType").asText())) {
                long found = find(shadow, control);
                if (found != 0) {
                    return found;
                }
            }
        }
        for (JsonNode child : node.path("children")) {
            long found = find(child, control);
            if (found != 0) {
                return found;
            }
        }
        return 0;
    }

    private static String attribute(JsonNode node, String name) {
        JsonNode attributes = node.path("attributes");
        for (int i = 0; i + 1 < attributes.size(); i += 2) {
            if (attributes.get(i).asText().equalsIgnoreCase(name)) {
                return attributes.get(i + 1).asText();
            }
        }
        return null;
    }

    private static double[] quadBox(JsonNode quads) {
        JsonNode q = quads.path("quads").path(0);
        if (q.size() < 8) {
            return null;
        }
        double minX = Math.min(Math.min(q.get(0).asDouble(), q.get(2).asDouble()), Math.min(q.get(4).asDouble(), q.get(6).asDouble()));
        double maxX = Math.max(Math.max(q.get(0).asDouble(), q.get(2).asDouble()), Math.max(q.get(4).asDouble(), q.get(6).asDouble()));
        double minY = Math.min(Math.min(q.get(1).asDouble(), q.get(3).asDouble()), Math.min(q.get(5).asDouble(), q.get(7).asDouble()));
        double maxY = Math.max(Math.max(q.get(1).asDouble(), q.get(3).asDouble()), Math.max(q.get(5).asDouble(), q.get(7).asDouble()));
        if (maxX - minX <= 0 || maxY - minY <= 0) {
            return null;
        }
        return new double[] {minX, minY, maxX - minX, maxY - minY};
    }

    /** From a random point some way off, in 12–20 steps along a gentle curve, a few ms apart. */
    private void moveTo(CdpSession page, double x, double y) throws InterruptedException {
        double startX = Math.max(1, x - 150 - random.nextDouble() * 250);
        double startY = Math.max(1, y + (random.nextDouble() - 0.5) * 200);
        double bend = (random.nextDouble() - 0.5) * 80;
        int steps = 12 + random.nextInt(9);
        for (int i = 1; i <= steps; i++) {
            double t = (double) i / steps;
            double ease = t * t * (3 - 2 * t);
            double px = startX + (x - startX) * ease;
            double py = startY + (y - startY) * ease + bend * Math.sin(Math.PI * t);
            page.send("Input.dispatchMouseEvent", page.params().put("type", "mouseMoved").put("x", px).put("y", py)
                    .put("button", "none").put("buttons", 0));
            Thread.sleep(6 + random.nextInt(12));
        }
        mouse(page, "mouseMoved", x, y, 0);
    }

    /**
     * A hand slows down over the box: the last few pixels in several moves a frame or two apart. The approach from
     * elsewhere crosses into the widget's frame only at its last step or two, and the frame sees only its own
     * pointer events (moves within one frame are coalesced into one); a detector there counting moves before the
     * press would otherwise see a pointer that jumped. Each move waits for its answer, which Chromium sends once the
     * renderer has acknowledged the event: a frame in its page's process shares the page's main thread, and moves
     * sent while that thread is busy (a challenge's script, a loaded machine) would reach the frame as one.
     */
    private void settle(CdpSession page, double x, double y) throws InterruptedException {
        int moves = 5 + random.nextInt(3);
        double fromX = x - 6 - random.nextDouble() * 4;
        double fromY = y + (random.nextDouble() - 0.5) * 6;
        for (int i = 0; i < moves; i++) {
            double t = (double) i / moves;
            mouse(page, "mouseMoved", fromX + (x - fromX) * t, fromY + (y - fromY) * t, 0);
            Thread.sleep(35 + random.nextInt(25)); // two or three frames: a headful compositor coalesces more
        }
        mouse(page, "mouseMoved", x, y, 0);
    }

    private void mouse(CdpSession page, String type, double x, double y, int buttons) throws InterruptedException {
        boolean move = type.equals("mouseMoved");
        page.call("Input.dispatchMouseEvent", page.params().put("type", type).put("x", x).put("y", y)
                .put("button", move ? "none" : "left").put("buttons", buttons).put("clickCount", move ? 0 : 1),
                commandTimeout);
    }
}
