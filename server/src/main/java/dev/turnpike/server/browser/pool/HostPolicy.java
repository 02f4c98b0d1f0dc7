package dev.turnpike.server.browser.pool;

/**
 * Decides whether the browser may send a request to a host (PROTOCOL.md §6: no sub-request to private
 * addresses, whatever DNS says at that moment). Implementations may resolve the name, so the pool calls
 * it on a virtual thread. The server's address policy is adapted to this.
 */
@FunctionalInterface
public interface HostPolicy {

    /** Lets everything through: for trusted setups (and the pool's own about:blank). */
    HostPolicy ALLOW_ALL = host -> true;

    /** @param host a host name or address literal, without port or brackets */
    boolean allows(String host);
}
