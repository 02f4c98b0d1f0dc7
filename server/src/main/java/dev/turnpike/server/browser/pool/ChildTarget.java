package dev.turnpike.server.browser.pool;

import dev.turnpike.server.browser.cdp.CdpSession;

/**
 * A target attached under a task's page: an out-of-process iframe (the Turnstile widget is one), a
 * worker. Its session is flat, on the same connection.
 *
 * @param session  the target's DevTools session
 * @param targetId its target id (for an iframe, also its frame id)
 * @param type     {@code iframe}, {@code worker}, ...
 * @param url      the URL it had when attached
 */
public record ChildTarget(CdpSession session, String targetId, String type, String url) {
}
