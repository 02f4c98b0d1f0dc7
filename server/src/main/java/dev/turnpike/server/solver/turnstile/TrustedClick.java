package dev.turnpike.server.solver.turnstile;

import com.fasterxml.jackson.databind.JsonNode;
import dev.turnpike.server.browser.cdp.CdpException;
import dev.turnpike.server.browser.cdp.CdpSession;
import dev.turnpike.server.browser.pool.ChildTarget;
import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Clicks the checkbox of an interactive widget as a person would: real input events from the browser
 * ({@code Input.dispatchMouseEvent}, so {@code isTrusted}), the pointer moving in from elsewhere along a
 * slightly curved path, a press and a release apart. The checkbox lives in the widget's out-of-process
 * iframe, behind a closed shadow root the page cannot open: we find it through the iframe's own target,
 * and the iframe's place through its owner element in the page.
 */
final class TrustedClick {

    static final String CHECKBOX = "label.cb-lb input[type=checkbox], input[type=checkbox]";
    private static final Duration STEP_TIMEOUT = Duration.ofSeconds(10);

    private final RandomGenerator random;

    TrustedClick(RandomGenerator random) {
        this.random = random;
    }

    /** Clicks the widget's checkbox; waits up to {@code findFor} for it to appear. */
    void click(CdpSession page, ChildTarget frame, Duration findFor) throws InterruptedException {
        CdpSession widget = frame.session();
        double[] box = null;
        long until = System.nanoTime() + findFor.toNanos();
        while (box == null) {
            box = checkboxBox(widget);
            if (box == null) {
                if (System.nanoTime() > until) {
                    throw new CdpException("the interactive widget shows no checkbox");
                }
                Thread.sleep(50);
            }
        }
        page.call("DOM.getDocument", page.params().put("depth", 0), STEP_TIMEOUT);
        long owner = page.call("DOM.getFrameOwner", page.params().put("frameId", frame.targetId()), STEP_TIMEOUT)
                .path("backendNodeId").asLong();
        double[] frameBox = quadBox(page.call("DOM.getContentQuads",
                page.params().put("backendNodeId", owner), STEP_TIMEOUT));
        if (frameBox == null) {
            throw new CdpException("the widget iframe is not laid out");
        }
        // Somewhere inside the middle of the box, not its exact centre.
        double x = frameBox[0] + box[0] + box[2] * (0.3 + 0.4 * random.nextDouble());
        double y = frameBox[1] + box[1] + box[3] * (0.3 + 0.4 * random.nextDouble());
        moveTo(page, x, y);
        Thread.sleep(40 + random.nextInt(80));
        mouse(page, "mousePressed", x, y, 1);
        Thread.sleep(50 + random.nextInt(70));
        mouse(page, "mouseReleased", x, y, 0);
    }

    /** {x, y, width, height} of the checkbox in the iframe's viewport, or null while it is absent. */
    private double[] checkboxBox(CdpSession widget) throws InterruptedException {
        JsonNode root = widget.call("DOM.getDocument", widget.params().put("depth", 0), STEP_TIMEOUT);
        long node = widget.call("DOM.querySelector", widget.params().put("nodeId", root.path("root").path("nodeId")
                .asLong()).put("selector", CHECKBOX), STEP_TIMEOUT).path("nodeId").asLong();
        if (node == 0) {
            return null;
        }
        return quadBox(widget.call("DOM.getContentQuads", widget.params().put("nodeId", node), STEP_TIMEOUT));
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

    private static void mouse(CdpSession page, String type, double x, double y, int buttons) throws InterruptedException {
        page.call("Input.dispatchMouseEvent", page.params().put("type", type).put("x", x).put("y", y)
                .put("button", type.equals("mouseMoved") ? "none" : "left").put("buttons", buttons)
                .put("clickCount", type.equals("mouseMoved") ? 0 : 1), STEP_TIMEOUT);
    }
}
