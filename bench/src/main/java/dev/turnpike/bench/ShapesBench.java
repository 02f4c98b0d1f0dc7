package dev.turnpike.bench;

import dev.turnpike.lab.Lab;
import dev.turnpike.lab.LabOptions;
import dev.turnpike.lab.core.LabEvent;
import dev.turnpike.lab.core.Sitekey;
import dev.turnpike.lab.core.SitekeyHostile;
import dev.turnpike.lab.core.SitekeyMode;
import dev.turnpike.lab.shapes.ShapePages;
import dev.turnpike.lab.shapes.WidgetShape;
import dev.turnpike.server.browser.BrowserSettings;
import dev.turnpike.server.browser.pool.BrowserPool;
import dev.turnpike.server.solver.SolveException;
import dev.turnpike.server.solver.SolvePhases;
import dev.turnpike.server.solver.turnstile.TurnstileSolver;
import dev.turnpike.server.task.TaskSpec;
import dev.turnpike.server.task.TaskType;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * M1 ({@code TurnstileTaskProxylessM1}) per widget shape at concurrency 1: the solver's time to token (the median of
 * {@code n}), beside the lab's own time for the same widget (its challenge issued → its token issued, from the lab's
 * event log: the proof of work and, for the interactive shapes, the wait for the click). Then the time to the error of
 * each fast failure (a page without a widget to solve).
 */
final class ShapesBench {

    static final String HOST = "shapes.lab.test";
    static final String FRAMES = "frames.lab.test";
    static final String SILENT = "silent.lab.test";

    private ShapesBench() {
    }

    /** {@code -Dshapes=slug,slug} limits the run to those shapes (all by default). */
    static void run(int n) throws Exception {
        Path profiles = Files.createTempDirectory("turnpike-bench-");
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        try (Lab lab = Lab.start(LabOptions.defaults().withSeed(1));
             ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            List<String> flags = TurnstileBench.labFlags(lab).stream().map(arg -> arg.replace("--host-resolver-rules=",
                    "--host-resolver-rules=MAP " + SILENT + " 127.0.0.1:" + silent.getLocalPort() + ", ")).toList();
            BrowserSettings settings = BrowserSettings.defaults().withSize(1, 4, 2).withProfileRoot(profiles)
                    .withExtraArgs(flags);
            try (BrowserPool pool = BenchPools.start(lab, settings, scheduler, 1)) {
                TurnstileSolver solver = new TurnstileSolver(pool, Clock.systemUTC(), new Random(2),
                        new SolvePhases(System::nanoTime));
                Sitekey plain = key(lab, "shapes", false);
                Sitekey clicked = key(lab, "shapesClick", true);
                Sitekey other = key(lab, "shapesOther", false);
                System.out.printf(Locale.ROOT, "Chromium %s, 1 browser, concurrency 1, PoW %d bits, %d cores, n=%d%n%n",
                        pool.installation().version(), plain.powBits(), Runtime.getRuntime().availableProcessors(), n);
                System.out.println("| shape | M1 time to token p50 ms | min | max | lab's own solve p50 ms |");
                System.out.println("|---|---:|---:|---:|---:|");
                String only = System.getProperty("shapes", "");
                for (WidgetShape shape : WidgetShape.values()) {
                    if (!only.isEmpty() && !List.of(only.split(",")).contains(shape.slug())) {
                        continue;
                    }
                    Sitekey key = shape.interactive() ? clicked : plain;
                    ShapePages pages = new ShapePages(HOST, FRAMES, key.sitekey(), other.sitekey());
                    pages.registerAll(lab.admin());
                    TaskSpec.Turnstile task = new TaskSpec.Turnstile(TaskType.TURNSTILE_PROXYLESS_M1,
                            URI.create(pages.url(shape)), key.sitekey(), shape.taskAction(), null, null, null, null);
                    List<Long> solver1 = new ArrayList<>();
                    List<Long> labOwn = new ArrayList<>();
                    for (int i = 0; i < n; i++) {
                        long since = lastSeq(lab);
                        long start = System.nanoTime();
                        solver.solve(task, Instant.now().plusSeconds(120));
                        solver1.add((System.nanoTime() - start) / 1_000_000);
                        labOwn.add(labSolveMs(lab, since, key.sitekey()));
                    }
                    System.out.printf(Locale.ROOT, "| %s | %d | %d | %d | %d |%n", shape.slug(),
                            TurnstileBench.pct(solver1, 50), java.util.Collections.min(solver1),
                            java.util.Collections.max(solver1), TurnstileBench.pct(labOwn, 50));
                }
                failures(lab, solver, plain, Math.max(1, n / 2));
            }
        } finally {
            scheduler.shutdownNow();
            Files.deleteIfExists(profiles);
        }
    }

    /** The time to the error of each page without a widget to solve, from the solve's start (the commit is inside). */
    private static void failures(Lab lab, TurnstileSolver solver, Sitekey plain, int n) throws Exception {
        String api = "<script src=\"https://challenges.cloudflare.com/turnstile/v0/api.js\" async defer></script>";
        Sitekey invalid = key(lab, "benchInvalid", false);
        lab.admin().setSitekeyHostile(invalid.sitekey(), SitekeyHostile.NONE.withInvalidSitekey(true));
        Sitekey foreign = key(lab, "benchForeign", false);
        lab.admin().setSitekeyHostile(foreign.sitekey(), SitekeyHostile.NONE.withDomainNotAllowed(true));
        lab.admin().registerPage(HOST, "/fail/error", "<title>oops</title>", 500);
        lab.admin().registerPage(HOST, "/fail/loading", "<title>slow</title><img src=\"https://" + SILENT + "/x.png\">");
        lab.admin().registerPage(HOST, "/fail/others", api + widget(key(lab, "benchOther", false)));
        lab.admin().registerPage(HOST, "/fail/invalid", api + widget(invalid));
        lab.admin().registerPage(HOST, "/fail/foreign", api + widget(foreign));
        record Case(String name, String path, Sitekey key) {
        }
        System.out.println();
        System.out.println("| failure | time to error p50 ms | min | max | errorDescription |");
        System.out.println("|---|---:|---:|---:|---|");
        for (Case c : List.of(new Case("404 page", "/fail/missing", plain), new Case("500 page", "/fail/error", plain),
                new Case("never finishes loading", "/fail/loading", plain),
                new Case("only another sitekey's widget", "/fail/others", plain),
                new Case("invalid sitekey (110100)", "/fail/invalid", invalid),
                new Case("domain not allowed (110200)", "/fail/foreign", foreign))) {
            List<Long> took = new ArrayList<>();
            String said = "";
            for (int i = 0; i < n; i++) {
                long start = System.nanoTime();
                try {
                    solver.solve(new TaskSpec.Turnstile(TaskType.TURNSTILE_PROXYLESS_M1, URI.create("https://" + HOST
                            + c.path()), c.key().sitekey(), null, null, null, null, null), Instant.now().plusSeconds(120));
                    said = "SOLVED (unexpected)";
                } catch (SolveException e) {
                    said = e.reason() + ": " + e.getMessage();
                }
                took.add((System.nanoTime() - start) / 1_000_000);
            }
            System.out.printf(Locale.ROOT, "| %s | %d | %d | %d | %s |%n", c.name(), TurnstileBench.pct(took, 50),
                    java.util.Collections.min(took), java.util.Collections.max(took), said);
        }
    }

    private static String widget(Sitekey key) {
        return "<div class=\"cf-turnstile\" data-sitekey=\"" + key.sitekey() + "\"></div>";
    }

    private static Sitekey key(Lab lab, String name, boolean interactive) {
        Sitekey key = lab.admin().registerSitekey(new Sitekey("0x4AAAAAAA" + name, "0x4AAAAAAA" + name + "Secret",
                List.of("lab.test"), SitekeyMode.MANAGED, Integer.getInteger("pow", Sitekey.DEFAULT_POW_BITS), 0, null));
        if (interactive) {
            lab.admin().setSitekeyHostile(key.sitekey(), SitekeyHostile.NONE.withInteractiveOnly(60_000));
        }
        return key;
    }

    private static long lastSeq(Lab lab) {
        List<LabEvent> events = lab.admin().events();
        return events.isEmpty() ? 0 : events.getLast().seq();
    }

    /** The lab's own time for the widget that gave the token: its last challenge issued → its token issued. */
    private static long labSolveMs(Lab lab, long since, String sitekey) {
        Instant issued = null;
        Instant token = null;
        for (LabEvent e : lab.admin().eventsSince(since)) {
            if (!sitekey.equals(e.field("sitekey"))) {
                continue;
            }
            if (e.type().equals("challenge.issued")) {
                issued = e.at();
            } else if (e.type().equals("token.issued") && issued != null) {
                token = e.at();
                break;
            }
        }
        return issued == null || token == null ? -1 : Duration.between(issued, token).toMillis();
    }
}
