package dev.turnpike.lab.http;

import dev.turnpike.lab.core.Hosts;
import dev.turnpike.lab.proxy.Upstream;
import java.net.InetSocketAddress;
import java.util.Locale;
import java.util.Optional;

/**
 * Where the forward proxy sends lab traffic: a lab host on 443 to the lab's proxied HTTPS connector, on 80 to its
 * proxied HTTP connector (both read the PROXY protocol header carrying the exit IP); anything else nowhere.
 */
public final class LabUpstream implements Upstream {

    private final Hosts hosts;
    private final int proxiedHttpsPort;
    private final int proxiedHttpPort;

    public LabUpstream(Hosts hosts, int proxiedHttpsPort, int proxiedHttpPort) {
        this.hosts = hosts;
        this.proxiedHttpsPort = proxiedHttpsPort;
        this.proxiedHttpPort = proxiedHttpPort;
    }

    @Override
    public Optional<InetSocketAddress> route(String host, int port) {
        if (host == null || !isLabHost(host.toLowerCase(Locale.ROOT), hosts)) {
            return Optional.empty();
        }
        return switch (port) {
            case 443 -> Optional.of(new InetSocketAddress("127.0.0.1", proxiedHttpsPort));
            case 80 -> Optional.of(new InetSocketAddress("127.0.0.1", proxiedHttpPort));
            default -> Optional.empty();
        };
    }

    /** The Turnstile hosts, every registered host, and any name under {@code lab.test}. */
    public static boolean isLabHost(String host, Hosts hosts) {
        return LabRouter.isChallengesHost(host) || host.endsWith(".lab.test") || hosts.find(host).isPresent();
    }
}
