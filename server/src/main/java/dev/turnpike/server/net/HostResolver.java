package dev.turnpike.server.net;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/** Name → every address of it. Injected, so tests map names to any address without DNS or connections. */
@FunctionalInterface
public interface HostResolver {

    /** @throws UnknownHostException the name does not resolve */
    List<InetAddress> resolve(String host) throws UnknownHostException;

    /** The system resolver (DNS, /etc/hosts); its lookups never block a virtual thread's carrier. */
    static HostResolver system() {
        return SystemResolver.INSTANCE;
    }
}
