package dev.turnpike.server.browser.pool;

import java.util.Optional;

/**
 * A solver's say over one paused request: answer it itself (e.g. serve the widget page on the target
 * origin), or pass (empty) to let the host policy and the network decide. Called on a virtual thread.
 */
@FunctionalInterface
public interface RequestRule {

    Optional<FulfilledResponse> respond(PausedRequest request);
}
