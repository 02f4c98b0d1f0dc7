package dev.turnpike.server.solver.strict;

import dev.turnpike.lab.Lab;
import dev.turnpike.lab.LabOptions;
import dev.turnpike.lab.core.LabEvent;
import dev.turnpike.lab.proxy.ProxyAccount;
import dev.turnpike.lab.proxy.ProxyFault;
import dev.turnpike.server.browser.BrowserSettings;
import dev.turnpike.server.browser.TestPools;
import dev.turnpike.server.browser.chromium.ChromiumFlags;
import dev.turnpike.server.browser.pool.BrowserPool;
import dev.turnpike.server.net.ProxySpec;
import dev.turnpike.server.role.LabLink;
import dev.turnpike.server.solver.SolvePhases;
import dev.turnpike.server.solver.challenge.ChallengeSolver;
import dev.turnpike.server.solver.challenge.ClearanceCache;
import dev.turnpike.server.solver.challenge.ClearanceFlights;
import dev.turnpike.server.solver.turnstile.TurnstileSolver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.Stream;

/**
 * A lab whose judge is strict, a pool of Turnpike's browsers (headless or under Xvfb) and both solvers on it:
 * what the strict-mode tests of the server share. Its proxy accounts ({@link #EXITS}) exit from addresses in different
 * countries, so the country checks judge every proxied solve.
 */
final class StrictLab implements AutoCloseable {

    /** One proxy account of the lab: its exit address and that address's country. */
    record Exit(String account, String ip, String country) {
        ProxyAccount proxyAccount() {
            return new ProxyAccount(account, account + "-pass", ip, ProxyFault.NONE, country);
        }
    }

    /** Countries of different time zones, languages and scripts; one with several zones, one whose language is en. */
    static final List<Exit> EXITS = List.of(new Exit("strict-de", "203.0.113.24", "DE"),
            new Exit("strict-jp", "198.51.100.81", "JP"), new Exit("strict-br", "192.0.2.45", "BR"),
            new Exit("strict-us", "203.0.113.77", "US"));

    final Lab lab;
    final BrowserPool pool;
    final TurnstileSolver turnstile;
    final ChallengeSolver challenge;
    private final ScheduledExecutorService scheduler;
    private final Path profiles;

    private StrictLab(Lab lab, BrowserPool pool, ScheduledExecutorService scheduler, Path profiles) {
        this.lab = lab;
        this.pool = pool;
        this.scheduler = scheduler;
        this.profiles = profiles;
        this.turnstile = new TurnstileSolver(pool, Clock.systemUTC(), new Random(24), SolvePhases.none());
        this.challenge = new ChallengeSolver(pool, ChallengeSolver.Settings.DEFAULTS, SolvePhases.none(),
                new ClearanceCache(Clock.systemUTC(), 100, Duration.ofMinutes(30)),
                ClearanceFlights.off()); // each of the eight contexts meets the judge itself, none waits for another's
    }

    /**
     * @param contexts how many contexts the one browser holds
     * @param settings changes to the pool's settings (the display, a protection turned off)
     */
    static StrictLab start(int contexts, java.util.function.UnaryOperator<BrowserSettings> settings) throws Exception {
        Lab lab = Lab.start(LabOptions.defaults().withSeed(24));
        Path profiles = null;
        try {
            EXITS.forEach(exit -> lab.admin().registerProxyAccount(exit.proxyAccount()));
            profiles = Files.createTempDirectory("turnpike-strict-test-");
            ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
            List<String> args = new ArrayList<>(lab.chromiumArgs());
            args.add(ChromiumFlags.LAB_ON_LOOPBACK);
            // Contexts warmed from the start: eight fresh contexts asked for at once on a busy 2-core machine can
            // take longer than Page.enable's 20 s (seen: a cold first test failed so, with no strict check fired).
            BrowserSettings chosen = settings.apply(BrowserSettings.defaults().withSize(1, contexts, contexts)
                    .withProfileRoot(profiles).withExtraArgs(args).withHousekeepingPeriod(Duration.ofHours(1)));
            BrowserPool pool = TestPools.start(chosen, scheduler, Clock.systemUTC(), 24,
                    LabLink.of(lab).policy(TestPools.LOOPBACK_ONLY));
            return new StrictLab(lab, pool, scheduler, profiles);
        } catch (Exception | Error e) {
            lab.close();
            if (profiles != null) {
                deleteTree(profiles); // a pool that did not start leaves no directory behind either
            }
            throw e;
        }
    }

    /** Where the pool's browser profiles are. */
    Path profiles() {
        return profiles;
    }

    /** The accounts again, after a lab reset. */
    void registerProxyAccounts() {
        EXITS.forEach(exit -> lab.admin().registerProxyAccount(exit.proxyAccount()));
    }

    /** The {@code i}-th task's proxy: the accounts in turn. */
    ProxySpec proxy(int i) {
        Exit exit = EXITS.get(i % EXITS.size());
        return new ProxySpec(ProxySpec.Scheme.HTTP, "127.0.0.1", lab.proxyHttpPort(), exit.account(),
                exit.account() + "-pass");
    }

    static Exit exitOf(ProxySpec proxy) {
        return EXITS.stream().filter(e -> e.account().equals(proxy.username())).findFirst().orElseThrow();
    }

    /** The names of the strict checks that fired since the lab's last reset. */
    Set<String> fired() {
        Set<String> names = new TreeSet<>();
        for (LabEvent e : lab.admin().events()) {
            if (e.type().equals("strict.fired")) {
                names.add(String.valueOf(e.fields().get("check")));
            }
        }
        return names;
    }

    /** The strict.fired events, for a failure's message. */
    List<String> firedDetails() {
        return lab.admin().events().stream().filter(e -> e.type().equals("strict.fired"))
                .map(e -> e.fields().get("check") + " (" + e.fields().get("where") + "): " + e.fields().get("detail"))
                .toList();
    }

    long passed() {
        return lab.admin().events().stream().filter(e -> e.type().equals("strict.passed")).count();
    }

    @Override
    public void close() throws Exception {
        pool.close();
        scheduler.shutdownNow();
        lab.close();
        deleteTree(profiles);
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
