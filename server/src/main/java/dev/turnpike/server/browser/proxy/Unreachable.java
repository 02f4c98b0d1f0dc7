package dev.turnpike.server.browser.proxy;

/**
 * A target the address policy allowed and the relay dialled, but none of whose addresses answered.
 *
 * @param host  the host the page asked for
 * @param port  its port
 * @param cause why the last address did not answer (refused, timed out)
 */
public record Unreachable(String host, int port, String cause) {

    @Override
    public String toString() {
        return host + ":" + port + " unreachable: " + cause;
    }
}
