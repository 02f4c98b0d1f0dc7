package dev.turnpike.server.browser.proxy;

import dev.turnpike.server.net.AddressPolicy;
import dev.turnpike.server.net.CheckedDialer;
import dev.turnpike.server.net.Cidr;
import dev.turnpike.server.net.HostRules;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a proxyless task's connection to {@code host:port} may go: the browser's host rules applied (the relay, not
 * the browser, resolves names now), then the {@link CheckedDialer}: the name resolved once, and the addresses judged
 * by the address policy are the only ones dialled. A name that answers a public address to one lookup and a private
 * one to the next cannot slip through: there is no second lookup.
 *
 * @param policy the server's address policy (its resolver resolves the names)
 * @param rules  the rules Chromium is started with ({@link HostRules#fromChromiumArgs}), so the relay sends a name
 *               where the browser would have
 */
public record DirectRoute(AddressPolicy policy, HostRules rules) {

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
    }

    /** The route for browsers started with {@code chromiumArgs}: their host rules. */
    public static DirectRoute forBrowsers(AddressPolicy policy, List<String> chromiumArgs) {
        return new DirectRoute(policy, HostRules.fromChromiumArgs(chromiumArgs));
    }

    /** The dialer every connection of the relay is decided by, the task's proxy's included. */
    public CheckedDialer dialer() {
        return new CheckedDialer(policy);
    }

    /**
     * A target whose name the rules leave as a name: deciding about it takes a lookup ({@link #lookUp}).
     *
     * @param host          what the page asked for
     * @param port          its port
     * @param name          the name to resolve (the host, or what a rule mapped it to)
     * @param dialPort      the port to dial
     * @param allowedByName the policy allowed the host by name: its addresses are not judged
     */
    public record Lookup(String host, int port, String name, int dialPort, boolean allowedByName)
            implements Destination {
    }

    /**
     * Decides about one target without a lookup: refused by name or by rule, or dialled at an address literal (given
     * or mapped to); else the {@link Lookup} to do, off any thread that must not block. Never connects.
     */
    public Destination decide(String host, int port) {
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
        Lookup lookup = new Lookup(host, port, dialHost, dialPort, byName.isPresent());
        return Cidr.isLiteral(dialHost) ? lookUp(lookup) : lookup; // a literal: no lookup, no thread hop
    }

    /** Resolves a {@link Lookup}'s name once (blocking) and judges the addresses it found; never connects. */
    public Destination lookUp(Lookup lookup) {
        return switch (dialer().routeResolved(lookup.name(), lookup.dialPort(), lookup.allowedByName())) {
            case CheckedDialer.Allowed allowed -> new Dial(allowed.addresses());
            case CheckedDialer.Refused refused -> refused(lookup.host(), lookup.port(), refused.decision());
        };
    }

    /** Decides about one target, looking its name up when it must (blocking); never connects. */
    public Destination resolve(String host, int port) {
        Destination decided = decide(host, port);
        return decided instanceof Lookup lookup ? lookUp(lookup) : decided;
    }

    private static AddressPolicy.Decision unresolvable() {
        return new AddressPolicy.Decision(AddressPolicy.Verdict.REFUSED_UNRESOLVABLE, null);
    }

    private static Refused refused(String host, int port, AddressPolicy.Decision decision) {
        return new Refused(new Refusal(host, port, decision));
    }
}
