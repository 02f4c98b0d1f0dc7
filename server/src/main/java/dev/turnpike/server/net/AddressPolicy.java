package dev.turnpike.server.net;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Which hosts a solver may be sent to (PROTOCOL.md §6). A host is refused when ANY address it resolves to is
 * loopback, private, link-local, CGNAT, multicast, unspecified or a cloud-metadata address, or when its name
 * is a known metadata name; unless the operator allowed it by name (exact or {@code *.suffix}, allowed without
 * resolving, because lab hosts resolve only inside the browser's host mapping) or by network.
 *
 * <p>The check only resolves names; it never opens a connection. Callers check before they connect.
 */
public final class AddressPolicy {

    /** Why a host is allowed or refused. */
    public enum Verdict {
        ALLOWED_PUBLIC, ALLOWED_BY_NAME, ALLOWED_BY_NETWORK,
        REFUSED_LOOPBACK, REFUSED_PRIVATE, REFUSED_LINK_LOCAL, REFUSED_SHARED, REFUSED_MULTICAST,
        REFUSED_UNSPECIFIED, REFUSED_METADATA, REFUSED_UNRESOLVABLE, REFUSED_MALFORMED;

        public boolean allowed() {
            return name().startsWith("ALLOWED");
        }
    }

    /**
     * The outcome of a check.
     *
     * @param verdict what was decided
     * @param address the address that decided a refusal, or null
     */
    public record Decision(Verdict verdict, InetAddress address) {
        public boolean allowed() {
            return verdict.allowed();
        }

        /** A short text for a client: {@code "address 10.0.0.1 is private"}. */
        public String explanation() {
            String what = switch (verdict) {
                case REFUSED_LOOPBACK -> "loopback";
                case REFUSED_PRIVATE -> "private";
                case REFUSED_LINK_LOCAL -> "link-local";
                case REFUSED_SHARED -> "in the shared (CGNAT) range";
                case REFUSED_MULTICAST -> "multicast";
                case REFUSED_UNSPECIFIED -> "unspecified";
                case REFUSED_METADATA -> "a cloud metadata address";
                case REFUSED_UNRESOLVABLE -> "not resolvable";
                case REFUSED_MALFORMED -> "malformed";
                default -> "allowed";
            };
            return (address == null ? "host" : "address " + address.getHostAddress()) + " is " + what;
        }
    }

    private static final Set<String> METADATA_NAMES = Set.of("metadata.google.internal", "metadata",
            "metadata.goog", "instance-data", "instance-data.ec2.internal", "metadata.azure.internal");
    private static final List<Cidr> METADATA = List.of(Cidr.parse("169.254.169.254/32"),
            Cidr.parse("fd00:ec2::254/128"), Cidr.parse("100.100.100.200/32"));
    private static final List<Cidr> PRIVATE = List.of(Cidr.parse("10.0.0.0/8"), Cidr.parse("172.16.0.0/12"),
            Cidr.parse("192.168.0.0/16"), Cidr.parse("fc00::/7"));
    private static final List<Cidr> LOOPBACK = List.of(Cidr.parse("127.0.0.0/8"), Cidr.parse("::1/128"));
    private static final List<Cidr> LINK_LOCAL = List.of(Cidr.parse("169.254.0.0/16"), Cidr.parse("fe80::/10"));
    private static final List<Cidr> SHARED = List.of(Cidr.parse("100.64.0.0/10"));
    private static final List<Cidr> UNSPECIFIED = List.of(Cidr.parse("0.0.0.0/8"), Cidr.parse("::/128"));
    private static final List<Cidr> MULTICAST = List.of(Cidr.parse("224.0.0.0/4"), Cidr.parse("240.0.0.0/4"),
            Cidr.parse("ff00::/8"));

    /** A port no endpoint is allowed on: the check is about the host alone. */
    private static final int NO_PORT = 0;

    private final HostResolver resolver;
    private final List<String> allowedHosts;
    private final List<Cidr> allowedNetworks;
    private final List<InetSocketAddress> allowedEndpoints;

    /**
     * @param allowedHosts    exact names or {@code *.suffix} patterns, allowed without resolving
     * @param allowedNetworks networks allowed although they would be refused
     */
    public AddressPolicy(HostResolver resolver, List<String> allowedHosts, List<Cidr> allowedNetworks) {
        this(resolver, allowedHosts, allowedNetworks, List.of());
    }

    /**
     * @param allowedEndpoints addresses allowed on one port only although they would be refused (the lab's ports on
     *                         loopback, and not the other services listening there)
     */
    public AddressPolicy(HostResolver resolver, List<String> allowedHosts, List<Cidr> allowedNetworks,
                         List<InetSocketAddress> allowedEndpoints) {
        this.resolver = Objects.requireNonNull(resolver, "resolver");
        this.allowedHosts = allowedHosts.stream().map(h -> h.toLowerCase(Locale.ROOT)).toList();
        this.allowedNetworks = List.copyOf(allowedNetworks);
        this.allowedEndpoints = List.copyOf(allowedEndpoints);
    }

    /** The resolver the policy judges names with; whoever dials after a check resolves with the same. */
    public HostResolver resolver() {
        return resolver;
    }

    /** Refuses every private target; allows nothing by name. */
    public static AddressPolicy strict(HostResolver resolver) {
        return new AddressPolicy(resolver, List.of(), List.of());
    }

    /**
     * Decides about a host name or address literal (IPv6 with or without brackets) on no particular port (no
     * {@linkplain #AddressPolicy(HostResolver, List, List, List) endpoint} allows it). Resolves names with the
     * injected resolver; never connects.
     */
    public Decision check(String host) {
        return check(host, NO_PORT);
    }

    /**
     * Decides about a host (read as a browser reads it: {@link WhatwgHost}) on a port. Resolves names with the
     * injected resolver; never connects. Whoever connects afterwards must not look the name up again:
     * {@link CheckedDialer} resolves once and dials only what it judged.
     */
    public Decision check(String host, int port) {
        Optional<Decision> byName = checkName(host);
        if (byName.isPresent()) {
            return byName.get();
        }
        return check(addressesOf(normalise(host)), port);
    }

    /**
     * Every address of a {@linkplain #normalise normalised} name, looked up once with the injected resolver (an
     * address literal is its own address); empty when it does not resolve.
     */
    List<InetAddress> addressesOf(String name) {
        try {
            return Cidr.isLiteral(name) ? List.of(InetAddress.getByName(name)) : resolver.resolve(name);
        } catch (UnknownHostException e) {
            return List.of();
        }
    }

    /**
     * What the name alone decides, without resolving it: allowed by name, or refused as malformed or as a metadata
     * name; empty when its addresses decide ({@link #check(List)}). For callers that resolve the name themselves and
     * then connect only to the addresses they judged, so that no second lookup can answer differently.
     */
    public Optional<Decision> checkName(String host) {
        String name = host == null || host.isBlank() ? null : normalise(host);
        if (name == null) {
            return Optional.of(new Decision(Verdict.REFUSED_MALFORMED, null));
        }
        if (isAllowedName(name)) {
            return Optional.of(new Decision(Verdict.ALLOWED_BY_NAME, null));
        }
        if (METADATA_NAMES.contains(name)) {
            return Optional.of(new Decision(Verdict.REFUSED_METADATA, null));
        }
        return Optional.empty();
    }

    /** Decides about addresses already resolved, on no particular port: refused when any one of them is refused. */
    public Decision check(List<InetAddress> addresses) {
        return check(addresses, NO_PORT);
    }

    /** Decides about addresses already resolved, to be dialled on {@code port}: refused when any one is refused. */
    public Decision check(List<InetAddress> addresses, int port) {
        if (addresses.isEmpty()) {
            return new Decision(Verdict.REFUSED_UNRESOLVABLE, null);
        }
        boolean byNetwork = false;
        for (InetAddress address : addresses) {
            InetAddress plain = unmapped(address);
            if (allowedNetworks.stream().anyMatch(c -> c.contains(plain))
                    || allowedEndpoints.contains(new InetSocketAddress(plain, port))) {
                byNetwork = true;
                continue;
            }
            Verdict refusal = classify(plain);
            if (refusal != null) {
                return new Decision(refusal, plain);
            }
        }
        return new Decision(byNetwork ? Verdict.ALLOWED_BY_NETWORK : Verdict.ALLOWED_PUBLIC, null);
    }

    private static Verdict classify(InetAddress a) {
        if (in(METADATA, a)) {
            return Verdict.REFUSED_METADATA;
        }
        if (in(LOOPBACK, a)) {
            return Verdict.REFUSED_LOOPBACK;
        }
        if (in(UNSPECIFIED, a)) {
            return Verdict.REFUSED_UNSPECIFIED;
        }
        if (in(LINK_LOCAL, a)) {
            return Verdict.REFUSED_LINK_LOCAL;
        }
        if (in(PRIVATE, a)) {
            return Verdict.REFUSED_PRIVATE;
        }
        if (in(SHARED, a)) {
            return Verdict.REFUSED_SHARED;
        }
        if (in(MULTICAST, a)) {
            return Verdict.REFUSED_MULTICAST;
        }
        return null;
    }

    private static boolean in(List<Cidr> networks, InetAddress a) {
        for (Cidr c : networks) {
            if (c.contains(a)) {
                return true;
            }
        }
        return false;
    }

    /** IPv4-mapped IPv6 ({@code ::ffff:10.0.0.1}) is judged as the IPv4 address it carries. */
    private static InetAddress unmapped(InetAddress a) {
        byte[] b = a.getAddress();
        if (b.length == 16) {
            boolean mapped = true;
            for (int i = 0; i < 10; i++) {
                mapped &= b[i] == 0;
            }
            mapped &= b[10] == (byte) 0xff && b[11] == (byte) 0xff;
            if (mapped) {
                try {
                    return InetAddress.getByAddress(new byte[]{b[12], b[13], b[14], b[15]});
                } catch (UnknownHostException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return a;
    }

    private boolean isAllowedName(String name) {
        for (String pattern : allowedHosts) {
            if (pattern.startsWith("*.") ? name.endsWith(pattern.substring(1)) : name.equals(pattern)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The host as a browser reads it ({@link WhatwgHost}: {@code 0177.0.0.1} is 127.0.0.1, {@code %41.example} is
     * a.example), brackets and a trailing dot removed; null when not a plausible host.
     */
    static String normalise(String host) {
        String h = host.strip();
        if (Cidr.isLiteral(h) && h.indexOf(':') >= 0) {
            h = "[" + h + "]"; // IPv6 given without its brackets
        }
        try {
            WhatwgHost parsed = WhatwgHost.parse(h);
            if (parsed.address() != null) {
                return parsed.text();
            }
            h = parsed.text();
        } catch (IllegalArgumentException e) {
            return null;
        }
        if (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        return h.matches("[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*") ? h : null;
    }
}
