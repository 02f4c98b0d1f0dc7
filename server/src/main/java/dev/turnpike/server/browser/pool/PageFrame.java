package dev.turnpike.server.browser.pool;

import dev.turnpike.server.browser.cdp.CdpSession;

/**
 * A frame of a task's page below its top one (an iframe), wherever Chromium renders it. Out of process (site
 * isolation puts a cross-site iframe in a renderer of its own), it is a target with its own session, and the frame
 * is that session's top frame. In process (the default: {@code ChromiumFlags.NO_SITE_ISOLATION}), it is one frame
 * of the session that holds its parent: its isolated worlds ({@code Page.createIsolatedWorld} with its frame id),
 * its DOM (through its owner element, {@code pierce} reaching its document and shadow roots) and its new-document
 * scripts (the session's own) are that session's, and the box of a node in it is in that session's top frame's
 * viewport, not its own. Input always goes to the page's session at page coordinates: Chromium routes it to
 * whichever process renders the frame under the pointer.
 *
 * @param session      the session holding the frame's document: its own, or its parent's
 * @param frameId      its frame id (out of process, also its target id)
 * @param url          its URL when last heard of (out of process: when attached, often still blank; see
 *                     {@link ContextLease#currentUrl})
 * @param outOfProcess whether it is a target of its own
 */
public record PageFrame(CdpSession session, String frameId, String url, boolean outOfProcess) {

    static PageFrame of(ChildTarget target) {
        return new PageFrame(target.session(), target.targetId(), target.url(), true);
    }
}
