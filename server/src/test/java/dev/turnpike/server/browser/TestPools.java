package dev.turnpike.server.browser;

import dev.turnpike.server.browser.pool.BrowserPool;
import dev.turnpike.server.browser.proxy.DirectRoute;
import dev.turnpike.server.browser.proxy.ProxyRelays;
import dev.turnpike.server.net.AddressPolicy;
import dev.turnpike.server.net.HostResolver;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Pools for browser tests, made as the product makes them: every context leaves through a relay whose direct route
 * applies the browser's own host rules and an address policy. Names resolve only to loopback ({@link #LOOPBACK_ONLY}):
 * a test never asks DNS anything.
 */
public final class TestPools {

    /** {@code localhost} is 127.0.0.1; every other name does not resolve (tests map their hosts by rule). */
    public static final HostResolver LOOPBACK_ONLY = host -> {
        if (host.equalsIgnoreCase("localhost")) {
            return List.of(InetAddress.getLoopbackAddress());
        }
        throw new UnknownHostException(host);
    };

    private TestPools() {
    }

    /** Where no proxy listens (the discard port): the proxy of tests whose task's proxy is down. */
    public static final InetSocketAddress DEAD_PROXY = new InetSocketAddress(InetAddress.getLoopbackAddress(), 9);

    /**
     * A policy that allows these names (exact or {@code *.suffix}) and {@link #DEAD_PROXY}, and refuses every other
     * non-public target.
     */
    public static AddressPolicy allowing(String... hosts) {
        return new AddressPolicy(LOOPBACK_ONLY, List.of(hosts), List.of(), List.of(DEAD_PROXY));
    }

    /** The relays a pool of {@code settings} needs for {@code policy}. */
    public static ProxyRelays relays(BrowserSettings settings, AddressPolicy policy, ProxyRelays.Settings relaySettings) {
        return new ProxyRelays(relaySettings, DirectRoute.forBrowsers(policy, settings.extraArgs()));
    }

    /** Starts a pool whose pages may reach what {@code policy} allows, through the browser's host rules. */
    public static BrowserPool start(BrowserSettings settings, ScheduledExecutorService scheduler, Clock clock, long seed,
                                    AddressPolicy policy) throws Exception {
        return BrowserPool.start(settings, relays(settings, policy, ProxyRelays.Settings.DEFAULTS), scheduler, clock,
                new Random(seed));
    }
}
