package dev.turnpike.server.browser.cdp;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Receives DevTools events of one session. Called on the connection's reader thread, in order: it must
 * return quickly and never block on a command's answer (hand blocking work to a virtual thread).
 */
@FunctionalInterface
public interface CdpEventListener {

    void onEvent(String method, JsonNode params);
}
