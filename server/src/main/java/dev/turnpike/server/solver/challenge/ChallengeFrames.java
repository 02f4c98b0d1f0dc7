package dev.turnpike.server.solver.challenge;

import dev.turnpike.server.browser.cdp.CdpClosedException;
import dev.turnpike.server.browser.cdp.CdpException;
import dev.turnpike.server.browser.cdp.CdpSession;
import dev.turnpike.server.browser.pool.ContextLease;
import dev.turnpike.server.browser.pool.PageFrame;
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
 * then lacked. A widget rendered in the page's process ({@link PageFrame}) shares the page's session: any change to
 * the page's DOM the session reports counts as one to the widget's. The session reports none until something reads
 * the page's document ({@code DOM.getDocument}), which a look does only once the widget shows a checkbox, so until
 * then such a widget is looked at every few turns.
 */
final class ChallengeFrames implements AutoCloseable {

    /** Turns after which a widget unchanged since its last look is looked at anyway (a box laid out late). */
    static final int TURNS_PER_LOOK = 4;

    private final ContextLease lease;
    private final Duration commandTimeout;
    /** By frame id, once its URL is known: whether the frame is a challenge widget. */
    private final Map<String, Boolean> challengeFrame = new HashMap<>();
    private final Map<String, Widget> widgets = new HashMap<>();

    /** One widget frame: whether its DOM changed since the last look (set on the reader thread), and when that was. */
    private static final class Widget {
        final CdpSession.Subscription changes;
        volatile boolean changed = true;
        int turnsSinceLook;

        Widget(PageFrame frame) {
            // Its DOM domain is on from the first look (DOM.getDocument); every event of it is a change to the nodes
            // that look read.
            this.changes = frame.session().on((method, params) -> {
                if (method.startsWith("DOM.")) {
                    changed = true;
                }
            });
        }
    }

    ChallengeFrames(ContextLease lease, Duration commandTimeout) {
        this.lease = lease;
        this.commandTimeout = commandTimeout;
    }

    /** The challenge widgets among the page's frames to look at now; call once per turn. */
    List<PageFrame> dueForLook() throws InterruptedException {
        List<PageFrame> due = new ArrayList<>();
        for (PageFrame frame : lease.frames()) {
            if (!isChallengeFrame(frame)) {
                continue;
            }
            Widget widget = widgets.computeIfAbsent(frame.frameId(), id -> new Widget(frame));
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
    void lookAgain(PageFrame frame) {
        Widget widget = widgets.get(frame.frameId());
        if (widget != null) {
            widget.changed = true;
        }
    }

    /** {@code frame} is done with (clicked): it is not looked at again. */
    void done(PageFrame frame) {
        challengeFrame.put(frame.frameId(), false);
        Widget widget = widgets.remove(frame.frameId());
        if (widget != null) {
            widget.changes.close();
        }
    }

    private boolean isChallengeFrame(PageFrame frame) throws InterruptedException {
        Boolean known = challengeFrame.get(frame.frameId());
        if (known != null) {
            return known;
        }
        String url = frame.url();
        if (url == null || url.isEmpty() || url.startsWith("about:")) {
            try {
                url = lease.currentUrl(frame, commandTimeout);
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
        challengeFrame.put(frame.frameId(), challenge);
        return challenge;
    }

    @Override
    public void close() {
        widgets.values().forEach(w -> w.changes.close());
        widgets.clear();
    }
}
