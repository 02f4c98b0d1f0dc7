package dev.turnpike.server.solver.challenge;

import dev.turnpike.server.browser.cdp.CdpClosedException;
import dev.turnpike.server.browser.cdp.CdpException;
import dev.turnpike.server.browser.cdp.CdpSession;
import dev.turnpike.server.browser.pool.ChildTarget;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which of a page's child frames are challenge widgets, and which of those are worth looking at for a checkbox on
 * this turn. A frame's URL is asked for only until it is known (the attach-time URL is often blank); a widget is
 * looked at again when its DOM has changed since the last look (a checkbox is drawn into it), when the last look
 * could not finish, and every few turns besides — not every turn: the look (the frame scrolled into view on the page,
 * the widget's whole DOM read) was most of the DevTools commands of a task and CPU the challenge's own proof of work
 * then lacked.
 */
final class ChallengeFrames implements AutoCloseable {

    /** Turns after which a widget unchanged since its last look is looked at anyway (a box laid out late). */
    static final int TURNS_PER_LOOK = 4;

    private final CdpSession browser;
    private final Duration commandTimeout;
    /** By target id, once its URL is known: whether the frame is a challenge widget. */
    private final Map<String, Boolean> challengeFrame = new HashMap<>();
    private final Map<String, Widget> widgets = new HashMap<>();

    /** One widget frame: whether its DOM changed since the last look (set on the reader thread), and when that was. */
    private static final class Widget {
        final CdpSession.Subscription changes;
        volatile boolean changed = true;
        int turnsSinceLook;

        Widget(ChildTarget frame) {
            // Its DOM domain is on from the first look (DOM.getDocument); every event of it is a change to the nodes
            // that look read.
            this.changes = frame.session().on((method, params) -> {
                if (method.startsWith("DOM.")) {
                    changed = true;
                }
            });
        }
    }

    ChallengeFrames(CdpSession browser, Duration commandTimeout) {
        this.browser = browser;
        this.commandTimeout = commandTimeout;
    }

    /** The challenge widgets among {@code children} to look at now; call once per turn. */
    List<ChildTarget> dueForLook(List<ChildTarget> children) throws InterruptedException {
        List<ChildTarget> due = new ArrayList<>();
        for (ChildTarget frame : children) {
            if (!"iframe".equals(frame.type()) || !isChallengeFrame(frame)) {
                continue;
            }
            Widget widget = widgets.computeIfAbsent(frame.targetId(), id -> new Widget(frame));
            widget.turnsSinceLook++;
            if (widget.changed || widget.turnsSinceLook >= TURNS_PER_LOOK) {
                widget.changed = false;
                widget.turnsSinceLook = 0;
                due.add(frame);
            }
        }
        return due;
    }

    /** The look at {@code frame} did not finish (not laid out yet, gone): look again on the next turn. */
    void lookAgain(ChildTarget frame) {
        Widget widget = widgets.get(frame.targetId());
        if (widget != null) {
            widget.changed = true;
        }
    }

    /** {@code frame} is done with (clicked): it is not looked at again. */
    void done(ChildTarget frame) {
        challengeFrame.put(frame.targetId(), false);
        Widget widget = widgets.remove(frame.targetId());
        if (widget != null) {
            widget.changes.close();
        }
    }

    private boolean isChallengeFrame(ChildTarget frame) throws InterruptedException {
        Boolean known = challengeFrame.get(frame.targetId());
        if (known != null) {
            return known;
        }
        String url = frame.url();
        if (url == null || url.isEmpty() || url.startsWith("about:")) {
            try {
                url = browser.call("Target.getTargetInfo", browser.params().put("targetId", frame.targetId()),
                        commandTimeout).path("targetInfo").path("url").asText("");
            } catch (CdpClosedException e) {
                throw e;
            } catch (CdpException e) {
                return false; // gone, or not ready to say: asked again next turn
            }
        }
        if (url.isEmpty() || url.startsWith("about:")) {
            return false; // not navigated yet: asked again next turn
        }
        boolean challenge = ChallengeMarkers.isChallengeFrame(url);
        challengeFrame.put(frame.targetId(), challenge);
        return challenge;
    }

    @Override
    public void close() {
        widgets.values().forEach(w -> w.changes.close());
        widgets.clear();
    }
}
