package dev.turnpike.server.solver.turnstile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.lab.Lab;
import dev.turnpike.lab.LabOptions;
import dev.turnpike.lab.core.Sitekey;
import dev.turnpike.lab.core.SitekeyHostile;
import dev.turnpike.lab.core.SitekeyMode;
import dev.turnpike.server.browser.BrowserSettings;
import dev.turnpike.server.browser.Eventually;
import dev.turnpike.server.browser.OwnProcesses;
import dev.turnpike.server.browser.TestPools;
import dev.turnpike.server.browser.cdp.CdpException;
import dev.turnpike.server.browser.chromium.ChromiumFlags;
import dev.turnpike.server.browser.pool.BrowserPool;
import dev.turnpike.server.browser.pool.ContextLease;
import dev.turnpike.server.browser.pool.PageFrame;
import dev.turnpike.server.solver.SolvePhases;
import dev.turnpike.server.task.Solution;
import dev.turnpike.server.task.TaskSpec;
import dev.turnpike.server.task.TaskType;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The widget's frame renders in its page's process by default (site isolation off) and in a process of its own with
 * an operator's {@code --site-per-process}; the solvers find, watch and click it either way: the same kinds of
 * widget against a browser of each.
 */
class WidgetFrameEitherWayTest {

    static final String HOST = "either.lab.test";

    /** Site isolation as the pool's browser has it. */
    enum SiteIsolation {
        /** The defaults: {@link ChromiumFlags#NO_SITE_ISOLATION}. */
        OFF(List.of()),
        /** The operator's way back. */
        ON(List.of(ChromiumFlags.SITE_PER_PROCESS));

        final List<String> extraArgs;

        SiteIsolation(List<String> extraArgs) {
            this.extraArgs = extraArgs;
        }
    }

    @org.junit.jupiter.api.io.TempDir
    static Path profiles;
    static Lab lab;
    static LabVerifier verifier;
    static ScheduledExecutorService scheduler;
    static final Map<SiteIsolation, BrowserPool> pools = new EnumMap<>(SiteIsolation.class);
    static final Map<SiteIsolation, TurnstileSolver> solvers = new EnumMap<>(SiteIsolation.class);

    @BeforeAll
    static void start() throws Exception {
        lab = Lab.start(LabOptions.defaults().withSeed(13));
        verifier = new LabVerifier(lab);
        scheduler = Executors.newSingleThreadScheduledExecutor();
        for (SiteIsolation isolation : SiteIsolation.values()) {
            List<String> args = new ArrayList<>(TurnstileSolverTest.labArgs(lab));
            args.addAll(isolation.extraArgs);
            BrowserSettings settings = BrowserSettings.defaults().withSize(1, 2, 0)
                    .withProfileRoot(profiles.resolve(isolation.name())).withExtraArgs(args)
                    .withHousekeepingPeriod(Duration.ofHours(1));
            BrowserPool pool = TestPools.start(settings, scheduler, Clock.systemUTC(), 3 + isolation.ordinal(),
                    TurnstileSolverTest.labPolicy(lab));
            pools.put(isolation, pool);
            solvers.put(isolation, new TurnstileSolver(pool, Clock.systemUTC(), new Random(4), SolvePhases.none()));
        }
    }

    @AfterAll
    static void stop() throws Exception {
        List<AutoCloseable> started = new ArrayList<>(pools.values());
        started.add(() -> scheduler.shutdownNow());
        started.add(lab);
        for (AutoCloseable each : started) {
            each.close();
        }
        assertThat(OwnProcesses.mentioning(profiles)).isEmpty();
    }

    static Sitekey sitekey(String name, SitekeyMode mode) {
        return lab.admin().registerSitekey(new Sitekey("0x4AAAAAAA" + name, "0x4AAAAAAA" + name + "Secret",
                List.of("lab.test"), mode, 12, 0, null));
    }

    static String pageWith(SiteIsolation isolation, String name, Sitekey key) {
        String path = "/" + name + "-" + isolation.name().toLowerCase();
        lab.admin().registerPage(HOST, path, """
                <!doctype html><html><head><title>either</title>
                <script src="https://challenges.cloudflare.com/turnstile/v0/api.js" async defer></script></head>
                <body><form><div class="cf-turnstile" data-sitekey="%s" data-action="either" data-cdata="%s">
                </div></form></body></html>""".formatted(key.sitekey(), name));
        return path;
    }

    static Solution.Turnstile solve(SiteIsolation isolation, TaskType type, String path, Sitekey key, String cData)
            throws Exception {
        String action = type == TaskType.TURNSTILE_PROXYLESS ? "either" : null;
        TaskSpec.Turnstile task = new TaskSpec.Turnstile(type, URI.create("https://" + HOST + path), key.sitekey(),
                action, type == TaskType.TURNSTILE_PROXYLESS ? cData : null, null, null, null);
        return (Solution.Turnstile) solvers.get(isolation).solve(task, Instant.now().plusSeconds(120));
    }

    @ParameterizedTest
    @EnumSource(SiteIsolation.class)
    void theWidgetsFrameIsATargetOfItsOwnOnlyWithSiteIsolation(SiteIsolation isolation) throws Exception {
        Sitekey key = sitekey("frameKind" + isolation, SitekeyMode.NON_INTERACTIVE);
        String path = pageWith(isolation, "frame-kind", key);
        try (ContextLease lease = pools.get(isolation).acquireDirect()) {
            lease.navigate("https://" + HOST + path, Duration.ofSeconds(30));
            List<PageFrame> widgets = new ArrayList<>();
            Eventually.await("the widget's frame", Duration.ofSeconds(30), () -> {
                widgets.clear();
                lease.frames().stream().filter(frame -> isWidget(lease, frame)).forEach(widgets::add);
                return !widgets.isEmpty();
            });
            assertThat(widgets).allMatch(frame -> frame.outOfProcess() == (isolation == SiteIsolation.ON));
        }
    }

    private static boolean isWidget(ContextLease lease, PageFrame frame) {
        try {
            return WidgetFrameUrl.parse(lease.currentUrl(frame, Duration.ofSeconds(5))).isPresent();
        } catch (CdpException e) {
            return false; // gone meanwhile
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @ParameterizedTest
    @EnumSource(SiteIsolation.class)
    void fastModeSolvesNonInteractiveAndInteractiveWidgets(SiteIsolation isolation) throws Exception {
        Sitekey plain = sitekey("eitherPlain" + isolation, SitekeyMode.NON_INTERACTIVE);
        Solution.Turnstile solved = solve(isolation, TaskType.TURNSTILE_PROXYLESS, "/plain", plain, "plain");
        verifier.assertAcceptedOnce(plain.secret(), solved.token(), HOST, "either", "plain");

        Sitekey click = sitekey("eitherClick" + isolation, SitekeyMode.MANAGED);
        lab.admin().setSitekeyHostile(click.sitekey(), SitekeyHostile.NONE.withInteractiveOnly(60_000));
        Solution.Turnstile clicked = solve(isolation, TaskType.TURNSTILE_PROXYLESS, "/click", click, "click");
        verifier.assertAcceptedOnce(click.secret(), clicked.token(), HOST, "either", "click");
    }

    @ParameterizedTest
    @EnumSource(SiteIsolation.class)
    void fullModeSolvesThePagesInteractiveWidgetBehindItsClosedShadowRoot(SiteIsolation isolation) throws Exception {
        Sitekey key = sitekey("eitherM1" + isolation, SitekeyMode.MANAGED);
        lab.admin().setSitekeyHostile(key.sitekey(), SitekeyHostile.NONE.withInteractiveOnly(60_000)
                .withShadowMode("closed"));
        String path = pageWith(isolation, "m1", key);
        Solution.Turnstile solved = solve(isolation, TaskType.TURNSTILE_PROXYLESS_M1, path, key, null);
        verifier.assertAcceptedOnce(key.secret(), solved.token(), HOST, "either", "m1");
    }
}
