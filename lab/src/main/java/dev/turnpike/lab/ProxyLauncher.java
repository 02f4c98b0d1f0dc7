package dev.turnpike.lab;

import dev.turnpike.lab.core.LabEvents;
import dev.turnpike.lab.proxy.ForwardProxy;
import dev.turnpike.lab.proxy.ProxyAccounts;
import dev.turnpike.lab.proxy.ProxyEvent;
import dev.turnpike.lab.proxy.Upstream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Locale;

/**
 * The seam to the lab's forward proxy ({@code dev.turnpike.lab.proxy.ForwardProxy}): starts it on {@code bind}
 * with the lab's accounts, sending lab hosts to {@code upstream}, logging to {@code events}.
 */
@FunctionalInterface
public interface ProxyLauncher {

    RunningProxy start(InetSocketAddress bind, ProxyAccounts accounts, Upstream upstream, LabEvents events)
            throws IOException;

    /** A started forward proxy. */
    interface RunningProxy extends AutoCloseable {
        int httpPort();

        int socksPort();

        @Override
        void close();
    }

    /** No forward proxy. */
    ProxyLauncher NONE = (bind, accounts, upstream, events) -> null;

    /**
     * The lab's forward proxy, its events logged as {@code proxy.connected}, {@code proxy.auth_failed},
     * {@code proxy.refused_target}, {@code proxy.upstream_failed}, {@code proxy.fault_applied}.
     */
    ProxyLauncher FORWARD_PROXY = (bind, accounts, upstream, events) -> {
        ForwardProxy proxy = ForwardProxy.start(bind, accounts, upstream, (ProxyEvent e) -> events.append(
                "proxy." + e.type().name().toLowerCase(Locale.ROOT), "protocol", e.protocol().name(), "user", e.user(),
                "target", e.target(), "fault", e.fault().name()));
        return new RunningProxy() {
            @Override
            public int httpPort() {
                return proxy.httpAddress().getPort();
            }

            @Override
            public int socksPort() {
                return proxy.socksAddress().getPort();
            }

            @Override
            public void close() {
                proxy.close();
            }
        };
    };
}
