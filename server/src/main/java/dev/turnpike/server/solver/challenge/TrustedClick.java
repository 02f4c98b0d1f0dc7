package dev.turnpike.server.solver.challenge;

import com.fasterxml.jackson.databind.JsonNode;
import dev.turnpike.server.browser.cdp.CdpException;
import dev.turnpike.server.browser.cdp.CdpSession;
import dev.turnpike.server.browser.pool.ChildTarget;
import dev.turnpike.server.browser.pool.ContextLease;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * Clicks the interactive checkbox of a challenge widget as a person would: the box is found inside the widget's
 * out-of-process iframe (in an isolated world), its place on the page computed from the iframe element's box
 * (found by the frame, so a closed shadow root does not hide it), and the click sent as real input
 * ({@code Input.dispatchMouseEvent}: a short approach, press, release), which the page sees as
 * {@code isTrusted}. Each widget frame is clicked at most once; a new ray brings a new frame.
 */
final class TrustedClick {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(TrustedClick.class);

    private static final String FIND_CHECKBOX = """
            (() => {
              const box = document.querySelector(%s);
              const r = box ? box.getBoundingClientRect() : null;
              return JSON.stringify({url: location.href,
                                     box: r && r.width > 0 && r.height > 0 ? {x: r.x, y: r.y, w: r.width, h: r.height} : null});
            })()""";

    private final ContextLease lease;
    private final Duration timeout;
    private final RandomGenerator random;
    private final Set<String> clickedFrames = new HashSet<>();

    TrustedClick(ContextLease lease, Duration timeout, RandomGenerator random) {
        this.lease = lease;
        this.timeout = timeout;
        this.random = random;
    }

    /** Clicks a checkbox shown by a challenge frame not clicked yet; true if it clicked. */
    boolean clickIfShown() throws InterruptedException {
        for (ChildTarget frame : lease.children()) {
            // The target's URL is the one it had when attached (often none yet): the frame says where it is now.
            if (!"iframe".equals(frame.type()) || clickedFrames.contains(frame.targetId())) {
                continue;
            }
            try {
                JsonNode found = ContextLease.evaluateIsolated(frame.session(), frame.targetId(),
                        FIND_CHECKBOX.formatted(jsString(ChallengeMarkers.CHECKBOX_SELECTOR)), timeout);
                JsonNode seen = lease.page().connection().json().readTree(found.asText());
                JsonNode box = seen.path("box");
                if (!ChallengeMarkers.isChallengeFrame(seen.path("url").asText()) || !box.isObject()) {
                    continue;
                }
                double[] origin = frameOrigin(frame.targetId());
                double x = origin[0] + box.path("x").asDouble() + box.path("w").asDouble() * (0.35 + 0.3 * random.nextDouble());
                double y = origin[1] + box.path("y").asDouble() + box.path("h").asDouble() * (0.35 + 0.3 * random.nextDouble());
                click(x, y);
                clickedFrames.add(frame.targetId());
                return true;
            } catch (CdpException | com.fasterxml.jackson.core.JsonProcessingException e) {
                // The frame went away or is still loading: look again on the next turn.
                log.debug("challenge frame {} not clickable yet: {}", frame.targetId(), e.getMessage());
            }
        }
        return false;
    }

    /** The top-left corner of the iframe's content box, in the page's viewport coordinates. */
    private double[] frameOrigin(String frameId) throws InterruptedException {
        CdpSession page = lease.page();
        long owner = page.call("DOM.getFrameOwner", page.params().put("frameId", frameId), timeout)
                .path("backendNodeId").asLong();
        JsonNode content = page.call("DOM.getBoxModel", page.params().put("backendNodeId", owner), timeout)
                .path("model").path("content");
        return new double[] {content.path(0).asDouble(), content.path(1).asDouble()};
    }

    private void click(double x, double y) throws InterruptedException {
        CdpSession page = lease.page();
        double fromX = Math.max(1, x - 80 - 60 * random.nextDouble());
        double fromY = Math.max(1, y + 30 + 40 * random.nextDouble());
        int steps = 4 + random.nextInt(4);
        for (int i = 1; i <= steps; i++) {
            double t = (double) i / steps;
            mouse(page, "mouseMoved", fromX + (x - fromX) * t, fromY + (y - fromY) * t, 0);
        }
        mouse(page, "mousePressed", x, y, 1);
        Thread.sleep(40 + random.nextInt(60));
        mouse(page, "mouseReleased", x, y, 1);
    }

    private void mouse(CdpSession page, String type, double x, double y, int clickCount) throws InterruptedException {
        var params = page.params().put("type", type).put("x", x).put("y", y);
        if (clickCount > 0) {
            params.put("button", "left").put("buttons", type.equals("mousePressed") ? 1 : 0).put("clickCount", clickCount);
        }
        page.call("Input.dispatchMouseEvent", params, timeout);
    }

    private static String jsString(String s) {
        return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
}
