package dev.turnpike.server.browser.proxy;

import dev.turnpike.server.net.AddressPolicy;

/**
 * A target a page asked for and the address policy refused (PROTOCOL.md §6): the connection was never opened.
 *
 * @param host     the host the page asked for
 * @param port     its port
 * @param decision why, with the address that decided it
 */
public record Refusal(String host, int port, AddressPolicy.Decision decision) {

    @Override
    public String toString() {
        return host + ":" + port + " refused: " + decision.explanation();
    }
}
