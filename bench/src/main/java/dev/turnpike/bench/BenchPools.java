package dev.turnpike.bench;

import dev.turnpike.lab.Lab;
import dev.turnpike.server.browser.BrowserSettings;
import dev.turnpike.server.browser.pool.BrowserPool;
import dev.turnpike.server.browser.proxy.DirectRoute;
import dev.turnpike.server.browser.proxy.ProxyRelays;
import dev.turnpike.server.net.AddressPolicy;
import dev.turnpike.server.net.HostResolver;
import dev.turnpike.server.role.LabLink;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Random;
import java.util.concurrent.ScheduledExecutorService;

/** Pools made as the product makes them against a lab: every context leaves through a relay with the lab's policy. */
final class BenchPools {

    private BenchPools() {
    }

    /**
     * A pool whose relays allow the lab's names and its own ports, the forward proxy's among them (the policy
     * {@code --lab} gives the server), and apply the browsers' host rules; the rules map every other name to nothing,
     * so no lookup leaves this machine.
     */
    static BrowserPool start(Lab lab, BrowserSettings settings, ScheduledExecutorService scheduler, long seed)
            throws Exception {
        AddressPolicy policy = LabLink.of(lab).policy(HostResolver.system());
        return BrowserPool.start(settings, new ProxyRelays(ProxyRelays.Settings.DEFAULTS,
                DirectRoute.forBrowsers(policy, settings.extraArgs())), scheduler,
                Clock.systemUTC(), new Random(seed));
    }

    /** After a run: says so when a browser left a profile directory under {@code profiles}, then removes the root. */
    static void reportLeftoverProfiles(Path profiles) throws IOException {
        try (var left = Files.list(profiles)) {
            long count = left.count();
            if (count > 0) {
                System.out.println("LEFTOVER profile directories in " + profiles + ": " + count);
            }
        }
        Files.deleteIfExists(profiles);
    }
}
