package dev.turnpike.lab.proxy;

import java.net.InetSocketAddress;
import java.util.Optional;

/**
 * Where the forward proxy sends a tunnel or request for {@code host:port}: a lab host maps to one of the lab's
 * proxied connectors, which read a PROXY protocol v1 header carrying the account's exit IP. Anything else is
 * refused (the lab reaches no other host).
 */
@FunctionalInterface
public interface Upstream {

    /** The lab connector for this target, or empty when the proxy must refuse it. */
    Optional<InetSocketAddress> route(String host, int port);
}
