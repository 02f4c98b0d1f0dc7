package dev.turnpike.server.browser.proxy;

import dev.turnpike.server.net.AddressPolicy;
import dev.turnpike.server.net.Cidr;
import dev.turnpike.server.net.HostResolver;
import dev.turnpike.server.net.HostRules;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a proxyless task's connection to {@code host:port} may go: the browser's host rules applied (the relay, not
 * the browser, resolves names now), the name resolved once, and the addresses judged by the address policy are the
 * only ones dialled. A name that answers a public address to one lookup and a private one to the next cannot slip
 * through: there is no second lookup.
 *
 * @param policy   the server's address policy
 * @param rules    the rules Chromium is started with ({@link HostRules#fromChromiumArgs}), so the relay sends a
 *                 name where the browser would have
 * @param resolver names to addresses (the system's; tests inject their own)
 */
public record DirectRoute(AddressPolicy policy, HostRules rules, HostResolver resolver) {

    /** Where a target goes. */
    public sealed interface Destination {
    }

    /** Dial these, in order. */
    public record Dial(List<InetSocketAddress> addresses) implements Destination {
    }

    /** Dial nothing. */
    public record Refused(Refusal refusal) implements Destination {
    }

    public DirectRoute {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(rules, "rules");
        Objects.requireNonNull(resolver, "resolver");
    }

    /**
     * Whether deciding about this target needs a lookup (a name the rules leave as a name): the caller then decides
     * off any thread that must not block. Everything else — refused by name, unresolvable by rule, an address
     * literal, a name mapped to one — is decided at once.
     */
    public boolean needsLookup(String host, int port) {
        Optional<AddressPolicy.Decision> byName = policy.checkName(host);
        if (byName.isPresent() && !byName.get().allowed()) {
            return false;
        }
        return switch (rules.apply(host, port)) {
            case HostRules.NotFound notFound -> false;
            case HostRules.Mapped mapped -> !Cidr.isLiteral(mapped.host());
            case HostRules.Unmapped unmapped -> !Cidr.isLiteral(host);
        };
    }

    /** Decides about one target; may resolve a name (blocking, see {@link #needsLookup}), never connects. */
    public Destination resolve(String host, int port) {
        Optional<AddressPolicy.Decision> byName = policy.checkName(host);
        if (byName.isPresent() && !byName.get().allowed()) {
            return refused(host, port, byName.get());
        }
        String dialHost = host;
        int dialPort = port;
        switch (rules.apply(host, port)) {
            case HostRules.NotFound notFound -> {
                return refused(host, port, unresolvable());
            }
            case HostRules.Mapped mapped -> {
                dialHost = mapped.host();
                dialPort = mapped.port();
            }
            case HostRules.Unmapped unmapped -> { }
        }
        List<InetAddress> addresses;
        try {
            addresses = Cidr.isLiteral(dialHost) ? List.of(InetAddress.getByName(dialHost)) : resolver.resolve(dialHost);
        } catch (UnknownHostException e) {
            return refused(host, port, unresolvable());
        }
        if (addresses.isEmpty()) {
            return refused(host, port, unresolvable());
        }
        if (byName.isEmpty()) {
            AddressPolicy.Decision decision = policy.check(addresses);
            if (!decision.allowed()) {
                return refused(host, port, decision);
            }
        }
        int finalPort = dialPort;
        return new Dial(addresses.stream().map(a -> new InetSocketAddress(a, finalPort)).toList());
    }

    private static AddressPolicy.Decision unresolvable() {
        return new AddressPolicy.Decision(AddressPolicy.Verdict.REFUSED_UNRESOLVABLE, null);
    }

    private static Refused refused(String host, int port, AddressPolicy.Decision decision) {
        return new Refused(new Refusal(host, port, decision));
    }
}
