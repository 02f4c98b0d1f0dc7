package dev.turnpike.server.net;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The one way out of Turnpike: every connection it opens for a task (the page's, through the relay; the task's
 * proxy; the {@code callbackUrl}) is decided here. A name is resolved once, with the policy's resolver, every
 * address it gave is judged by the {@link AddressPolicy}, and only those addresses are dialled: nothing looks the
 * name up again, so a name that answers a public address first and a loopback one later cannot reach loopback.
 */
public final class CheckedDialer {

    /** What may be dialled for a host and port. */
    public sealed interface Route {
    }

    /** Dial these, in order, and nothing else. */
    public record Allowed(List<InetSocketAddress> addresses) implements Route {
    }

    /** Dial nothing. */
    public record Refused(AddressPolicy.Decision decision) implements Route {
    }

    /** Opens a TCP connection to one address already judged. Tests stand in for the network here. */
    @FunctionalInterface
    public interface Connector {
        Socket connect(InetSocketAddress address, Duration timeout) throws IOException;

        /** A plain socket. */
        static Connector tcp() {
            return (address, timeout) -> {
                Socket socket = new Socket();
                try {
                    socket.connect(address, (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
                    return socket;
                } catch (IOException e) {
                    socket.close();
                    throw e;
                }
            };
        }
    }

    private final AddressPolicy policy;
    private final Connector connector;

    public CheckedDialer(AddressPolicy policy) {
        this(policy, Connector.tcp());
    }

    public CheckedDialer(AddressPolicy policy, Connector connector) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.connector = Objects.requireNonNull(connector, "connector");
    }

    public AddressPolicy policy() {
        return policy;
    }

    /** Decides about {@code host:port}: resolves the name once (blocking) and judges what it found. Never connects. */
    public Route route(String host, int port) {
        var byName = policy.checkName(host);
        if (byName.isPresent() && !byName.get().allowed()) {
            return new Refused(byName.get());
        }
        return routeResolved(AddressPolicy.normalise(host), port, byName.isPresent());
    }

    /**
     * Decides about a name the caller already judged by name ({@link AddressPolicy#checkName}), e.g. the address a
     * host rule mapped a page's host to: resolves it once and, unless it was allowed by name, judges its addresses.
     */
    public Route routeResolved(String name, int port, boolean allowedByName) {
        List<InetAddress> addresses = name == null ? List.of() : policy.addressesOf(name);
        AddressPolicy.Decision decision = addresses.isEmpty() || !allowedByName
                ? policy.check(addresses, port)
                : new AddressPolicy.Decision(AddressPolicy.Verdict.ALLOWED_BY_NAME, null);
        if (!decision.allowed()) {
            return new Refused(decision);
        }
        return new Allowed(addresses.stream().map(a -> new InetSocketAddress(a, port)).toList());
    }

    /**
     * A connection to {@code host:port}, opened only to an address judged for it: each in turn until one answers.
     *
     * @throws RefusedAddressException the policy refused the host or one of its addresses; nothing was dialled
     * @throws IOException             no judged address answered
     */
    public Socket connect(String host, int port, Duration timeout) throws IOException {
        Route route = route(host, port);
        if (route instanceof Refused refused) {
            throw new RefusedAddressException(host, refused.decision());
        }
        IOException last = null;
        for (InetSocketAddress address : ((Allowed) route).addresses()) {
            try {
                return connector.connect(address, timeout);
            } catch (IOException e) {
                last = e;
            }
        }
        throw last;
    }
}
