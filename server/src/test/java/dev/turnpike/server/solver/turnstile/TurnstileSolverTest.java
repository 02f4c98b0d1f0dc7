package dev.turnpike.server.solver.turnstile;

import dev.turnpike.server.solver.SolvePhases;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.turnpike.lab.Lab;
import dev.turnpike.lab.LabOptions;
import dev.turnpike.lab.core.Sitekey;
import dev.turnpike.lab.core.SitekeyHostile;
import dev.turnpike.lab.core.SitekeyMode;
import dev.turnpike.server.browser.BrowserSettings;
import dev.turnpike.server.browser.OwnProcesses;
import dev.turnpike.server.browser.TestPools;
import dev.turnpike.server.browser.pool.BrowserPool;
import dev.turnpike.server.browser.pool.ContextLease;
import dev.turnpike.server.role.LabLink;
import dev.turnpike.server.solver.SolveException;
import dev.turnpike.server.task.FailReason;
import dev.turnpike.server.task.Solution;
import dev.turnpike.server.task.TaskSpec;
import dev.turnpike.server.task.TaskType;
import dev.turnpike.server.testing.LoopbackTrap;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import dev.turnpike.lab.shapes.ShapePages;
import dev.turnpike.lab.shapes.WidgetShape;

/** Both Turnstile task types against the lab, each pass judged by the lab's siteverify (LAB.md). */
class TurnstileSolverTest {

    static final String HOST = "shop.lab.test";
    static final String TEST_SECRET_PASS = "1x0000000000000000000000000000000AA";
    static final String DUMMY_TOKEN = "XXXX.DUMMY.TOKEN.XXXX";

    @TempDir
    static Path profiles;
    static Lab lab;
    static LabVerifier verifier;
    static ScheduledExecutorService scheduler;
    static BrowserPool pool;
    static TurnstileSolver solver;
    static final List<String> phasesSeen = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** Accepts connections and never answers: a page's subresource there keeps its load event from ever firing. */
    static java.net.ServerSocket silent;
    static final String SILENT_HOST = "silent.lab.test";

    @BeforeAll
    static void start() throws Exception {
        lab = Lab.start(LabOptions.defaults().withSeed(11));
        verifier = new LabVerifier(lab);
        scheduler = Executors.newSingleThreadScheduledExecutor();
        silent = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
        List<String> args = labArgs(lab).stream().map(arg -> arg.replace("--host-resolver-rules=",
                "--host-resolver-rules=MAP " + SILENT_HOST + " 127.0.0.1:" + silent.getLocalPort() + ", ")).toList();
        BrowserSettings settings = BrowserSettings.defaults().withSize(1, 4, 2).withProfileRoot(profiles)
                .withExtraArgs(args).withHousekeepingPeriod(Duration.ofHours(1));
        pool = TestPools.start(settings, scheduler, Clock.systemUTC(), 5, labPolicy(lab));
        solver = new TurnstileSolver(pool, Clock.systemUTC(), new Random(6), phases());
    }

    private static SolvePhases phases() {
        SolvePhases phases = new SolvePhases(System::nanoTime);
        phases.addListener((type, phase, took) -> phasesSeen.add(type.wireName() + " " + phase));
        return phases;
    }

    @AfterAll
    static void stop() throws Exception {
        if (pool != null) {
            pool.close();
        }
        if (silent != null) {
            silent.close();
        }
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
        if (lab != null) {
            lab.close();
        }
        assertThat(OwnProcesses.mentioning(profiles)).isEmpty();
        assertThat(OwnProcesses.profilesIn(profiles)).isEmpty();
    }

    static Sitekey sitekey(String name, SitekeyMode mode) {
        return lab.admin().registerSitekey(new Sitekey("0x4AAAAAAA" + name, "0x4AAAAAAA" + name + "Secret",
                List.of("lab.test"), mode, 12, 0, null));
    }

    static TaskSpec.Turnstile fast(String path, String sitekey, String action, String cData) {
        return new TaskSpec.Turnstile(TaskType.TURNSTILE_PROXYLESS, URI.create("https://" + HOST + path), sitekey,
                action, cData, null, null, null);
    }

    static TaskSpec.Turnstile full(String path, String sitekey, String action, String cData) {
        return new TaskSpec.Turnstile(TaskType.TURNSTILE_PROXYLESS_M1, URI.create("https://" + HOST + path), sitekey,
                action, cData, null, null, null);
    }

    static Solution.Turnstile solve(TaskSpec.Turnstile task) throws Exception {
        return (Solution.Turnstile) solver.solve(task, Instant.now().plusSeconds(120));
    }

    static SolveException failure(TaskSpec.Turnstile task) {
        return (SolveException) org.assertj.core.api.Assertions.catchThrowable(() -> solve(task));
    }

    // ---- fast mode ----

    @Test
    void aSolveReportsEachOfItsPhasesOnceInOrder() throws Exception {
        Sitekey key = sitekey("phases", SitekeyMode.MANAGED);
        synchronized (phasesSeen) {
            phasesSeen.clear();
            solve(fast("/login", key.sitekey(), "login", "phases"));
            assertThat(phasesSeen).containsExactly("TurnstileTaskProxyless CONTEXT", "TurnstileTaskProxyless PREPARE",
                    "TurnstileTaskProxyless NAVIGATE", "TurnstileTaskProxyless WIDGET");
        }
    }

    @Test
    void fastModeSolvesAManagedSitekeyAndSiteverifyAcceptsTheTokenOnce() throws Exception {
        Sitekey key = sitekey("fastManaged", SitekeyMode.MANAGED);
        Solution.Turnstile solution = solve(fast("/login", key.sitekey(), "login", "fast-1"));
        assertThat(solution.userAgent()).isEqualTo(pool.identity().userAgent()).doesNotContain("Headless");
        verifier.assertAcceptedOnce(key.secret(), solution.token(), HOST, "login", "fast-1");
    }

    @Test
    void fastModeSolvesNonInteractiveAndInvisibleSitekeys() throws Exception {
        for (SitekeyMode mode : List.of(SitekeyMode.NON_INTERACTIVE, SitekeyMode.INVISIBLE)) {
            Sitekey key = sitekey("fast" + mode.name().replace("_", ""), mode);
            Solution.Turnstile solution = solve(fast("/" + mode.name().toLowerCase(), key.sitekey(), "signup", "m-" + mode.ordinal()));
            verifier.assertAcceptedOnce(key.secret(), solution.token(), HOST, "signup", "m-" + mode.ordinal());
        }
    }

    /**
     * The widget's checkbox is behind a closed shadow root of the widget iframe's document, as at Cloudflare (the
     * lab's default), or, with {@code shadowMode: none}, in that document itself: both modes click it.
     */
    @ParameterizedTest(name = "{0} mode, checkbox {1}")
    @CsvSource({"fast, closed", "fast, none", "full, closed", "full, none"})
    void anInteractiveWidgetIsPassedWithATrustedClickWhereverItDrawsItsCheckbox(String mode, String shadowMode)
            throws Exception {
        Sitekey key = sitekey(mode + "Interactive" + shadowMode, SitekeyMode.MANAGED);
        lab.admin().setSitekeyHostile(key.sitekey(), SitekeyHostile.NONE.withInteractiveOnly(60_000)
                .withShadowMode(shadowMode));
        String path = "/interactive-" + mode + "-" + shadowMode;
        TaskSpec.Turnstile task;
        if (mode.equals("fast")) {
            task = fast(path, key.sitekey(), "click", "needs-click");
        } else {
            lab.admin().registerPage(HOST, path, """
                    <!doctype html><html><head><title>shop</title>
                    <script src="https://challenges.cloudflare.com/turnstile/v0/api.js" async defer></script></head>
                    <body><form><div class="cf-turnstile" data-sitekey="%s" data-action="click" data-cdata="needs-click">
                    </div></form></body></html>""".formatted(key.sitekey()));
            task = full(path, key.sitekey(), null, null);
        }
        Solution.Turnstile solution = solve(task);
        verifier.assertAcceptedOnce(key.secret(), solution.token(), HOST, "click", "needs-click");
        assertThat(verifier.siteverify(key.secret(), solution.token()).path("success").asBoolean()).isFalse();
    }

    @Test
    void theOfficialTestSitekeysGiveTheDummyToken() throws Exception {
        for (String key : List.of("1x00000000000000000000AA", "1x00000000000000000000BB", "3x00000000000000000000FF")) {
            Solution.Turnstile solution = solve(fast("/test-key", key, null, null));
            assertThat(solution.token()).as(key).isEqualTo(DUMMY_TOKEN);
            JsonNode verdict = verifier.siteverify(TEST_SECRET_PASS, solution.token());
            assertThat(verdict.path("success").asBoolean()).as(verdict.toString()).isTrue();
        }
    }

    @Test
    void theAlwaysFailingTestSitekeyFailsWithItsCodeAtOnce() {
        SolveException e = failure(fast("/test-key", "2x00000000000000000000AB", null, null));
        assertThat(e.reason()).isEqualTo(FailReason.WIDGET_ERROR);
        assertThat(e.getMessage()).contains("600010");
    }

    @Test
    void hostileSitekeysFailWithTheWidgetsCodeNotTheDeadline() throws Exception {
        record Case(String name, SitekeyHostile hostile, String code) {
        }
        for (Case c : List.of(
                new Case("alwaysFail", SitekeyHostile.NONE.withAlwaysFail(true), "600010"),
                new Case("invalidSitekey", SitekeyHostile.NONE.withInvalidSitekey(true), "110100"),
                new Case("domainNotAllowed", SitekeyHostile.NONE.withDomainNotAllowed(true), "110200"),
                new Case("hang", SitekeyHostile.NONE.withHang(2_000), "300030"))) {
            Sitekey key = sitekey("hostile" + c.name(), SitekeyMode.MANAGED);
            lab.admin().setSitekeyHostile(key.sitekey(), c.hostile());
            SolveException e = failure(fast("/hostile", key.sitekey(), "x", "y"));
            assertThat(e).as(c.name()).isNotNull();
            assertThat(e.reason()).as(c.name()).isEqualTo(FailReason.WIDGET_ERROR);
            assertThat(e.getMessage()).as(c.name()).contains(c.code());
        }
    }

    @Test
    void anUnknownSitekeyAndAForeignHostFailAsTheWidgetSays() {
        SolveException unknown = failure(fast("/nothing", "0x4AAAAAAAnobodyKnowsMe", null, null));
        assertThat(unknown.reason()).isEqualTo(FailReason.WIDGET_ERROR);
        assertThat(unknown.getMessage()).contains("110100");
        Sitekey key = sitekey("elsewhere", SitekeyMode.MANAGED);
        SolveException foreign = failure(new TaskSpec.Turnstile(TaskType.TURNSTILE_PROXYLESS,
                URI.create("https://shop.elsewhere.test/"), key.sitekey(), null, null, null, null, null));
        assertThat(foreign.reason()).isEqualTo(FailReason.WIDGET_ERROR);
        assertThat(foreign.getMessage()).contains("110200");
    }

    @Test
    void aSlowWidgetStillGivesAToken() throws Exception {
        Sitekey key = lab.admin().registerSitekey(new Sitekey("0x4AAAAAAAslowKey", "0x4AAAAAAAslowKeySecret",
                List.of("lab.test"), SitekeyMode.MANAGED, 14, 1_500, null));
        Solution.Turnstile solution = solve(fast("/slow", key.sitekey(), "slow", "patience"));
        verifier.assertAcceptedOnce(key.secret(), solution.token(), HOST, "slow", "patience");
    }

    /**
     * The widget's messages end a wait in the page; the page is not polled meanwhile: a widget that takes 8 s longer
     * costs about as many DevTools commands as a quick one (polling every 250 ms cost 64 to 96 more), so a busy browser
     * is not asked again and again while its widget works. The margin covers the pool's own commands that fall in one
     * window and not the other (a warm context made, the previous one disposed: 19 seen under load).
     */
    @Test
    void aSlowerWidgetCostsTheBrowserNoMoreCommands() throws Exception {
        Sitekey quick = lab.admin().registerSitekey(new Sitekey("0x4AAAAAAAquickCount", "0x4AAAAAAAquickCountSecret",
                List.of("lab.test"), SitekeyMode.MANAGED, 10, 0, null));
        Sitekey slow = lab.admin().registerSitekey(new Sitekey("0x4AAAAAAAslowCount", "0x4AAAAAAAslowCountSecret",
                List.of("lab.test"), SitekeyMode.MANAGED, 10, 8_000, null));
        long quickCommands = commandsFor(fast("/count", quick.sitekey(), "count", "quick"));
        long slowCommands = commandsFor(fast("/count", slow.sitekey(), "count", "slow"));
        assertThat(slowCommands - quickCommands).isLessThan(32);
    }

    private static long commandsFor(TaskSpec.Turnstile task) throws Exception {
        long before = pool.devToolsTraffic()[0];
        solve(task);
        return pool.devToolsTraffic()[0] - before;
    }

    @Test
    void aWatchInstalledAfterItsDocumentWasMadeStillHearsTheWidget() throws Exception {
        // The listener is registered for new documents; a document made before that (the registration lost to a
        // race, or made earlier) gets it when first polled. A slow widget finishes well after the load.
        Sitekey key = lab.admin().registerSitekey(new Sitekey("0x4AAAAAAAlateWatch", "0x4AAAAAAAlateWatchSecret",
                List.of("lab.test"), SitekeyMode.MANAGED, 12, 1_500, null));
        lab.admin().registerPage(HOST, "/late-watch", """
                <!doctype html><html><head><script src="https://challenges.cloudflare.com/turnstile/v0/api.js"></script></head>
                <body><div class="cf-turnstile" data-sitekey="%s" data-action="late" data-cdata="watch"></div></body></html>
                """.formatted(key.sitekey()));
        try (ContextLease lease = pool.acquireDirect()) {
            lease.navigate("https://" + HOST + "/late-watch", Duration.ofSeconds(30));
            WidgetWatch watch = WidgetWatch.install(lease, new Random(3));
            String token = null;
            Instant until = Instant.now().plusSeconds(30);
            while (token == null && Instant.now().isBefore(until)) {
                WidgetEvent event = watch.next(Duration.ofMillis(250));
                if (event != null && event.event().equals("complete")) {
                    token = event.token();
                }
            }
            assertThat(token).as("the widget's token, heard by a listener installed late").isNotNull();
            verifier.assertAcceptedOnce(key.secret(), token, HOST, "late", "watch");
        }
    }

    // ---- full mode (M1) ----

    @Test
    void fullModeSolvesThePagesOwnImplicitWidgetWithItsOwnParameters() throws Exception {
        Sitekey key = sitekey("m1Implicit", SitekeyMode.MANAGED);
        lab.admin().registerPage(HOST, "/implicit", """
                <!doctype html><html><head><title>shop</title>
                <script src="https://challenges.cloudflare.com/turnstile/v0/api.js" async defer></script></head>
                <body><form><div class="cf-turnstile" data-sitekey="%s" data-action="checkout" data-cdata="order-77"></div></form>
                </body></html>""".formatted(key.sitekey()));
        Solution.Turnstile solution = solve(full("/implicit", key.sitekey(), null, null));
        verifier.assertAcceptedOnce(key.secret(), solution.token(), HOST, "checkout", "order-77");
    }

    @Test
    void fullModeSolvesAWidgetTheSiteRendersExplicitlyAndLate() throws Exception {
        Sitekey key = sitekey("m1Explicit", SitekeyMode.MANAGED);
        Sitekey other = sitekey("m1Other", SitekeyMode.MANAGED);
        lab.admin().registerPage(HOST, "/explicit", """
                <!doctype html><html><head><title>late</title>
                <script src="https://challenges.cloudflare.com/turnstile/v0/api.js?render=explicit&onload=ready"></script></head>
                <body><div id="newsletter"></div><div id="login"></div><script>
                function ready() {
                  turnstile.render('#newsletter', {sitekey: '%s', action: 'news'});
                  setTimeout(function () {
                    turnstile.render('#login', {sitekey: '%s', action: 'login', cData: 'late-widget',
                      callback: function (t) { document.title = 'done'; }});
                  }, 1500);
                }
                </script></body></html>""".formatted(other.sitekey(), key.sitekey()));
        Solution.Turnstile solution = solve(full("/explicit", key.sitekey(), null, null));
        verifier.assertAcceptedOnce(key.secret(), solution.token(), HOST, "login", "late-widget");
    }

    @Test
    void fullModeSolvesThePagesWidgetWhileThePageIsStillLoading() throws Exception {
        // The image never comes, so neither does the load event; the widget is heard from the page's commit.
        Sitekey key = sitekey("m1Loading", SitekeyMode.MANAGED);
        lab.admin().registerPage(HOST, "/still-loading", """
                <!doctype html><html><head>
                <script src="https://challenges.cloudflare.com/turnstile/v0/api.js" async defer></script></head>
                <body><div class="cf-turnstile" data-sitekey="%s" data-action="wait" data-cdata="loading"></div>
                <img src="https://%s/never.png" alt=""></body></html>""".formatted(key.sitekey(), SILENT_HOST));
        Instant started = Instant.now();
        Solution.Turnstile solution = solve(full("/still-loading", key.sitekey(), null, null));
        verifier.assertAcceptedOnce(key.secret(), solution.token(), HOST, "wait", "loading");
        assertThat(Duration.between(started, Instant.now())).as("well before the 45 s a load was waited for")
                .isLessThan(Duration.ofSeconds(30));
    }

    @Test
    void fullModeRendersAWidgetWhenThePageHasNone() throws Exception {
        Sitekey key = sitekey("m1Fallback", SitekeyMode.MANAGED);
        lab.admin().registerPage(HOST, "/no-widget", "<!doctype html><title>plain</title><p>nothing here</p>");
        Solution.Turnstile solution = solve(full("/no-widget", key.sitekey(), "fallback", "rendered-by-us"));
        verifier.assertAcceptedOnce(key.secret(), solution.token(), HOST, "fallback", "rendered-by-us");
        assertThat(solution.mode()).as("its token carries our parameters, not the page's").isEqualTo("fallback");
    }

    // ---- M1: every shape of embedding (lab's WidgetShape pages) ----

    static final String SHAPES_HOST = "shapes.lab.test";
    static final String FRAMES_HOST = "frames.lab.test";

    @ParameterizedTest(name = "{0}")
    @EnumSource(WidgetShape.class)
    void fullModeSolvesThePagesWidgetHoweverThePageEmbedsIt(WidgetShape shape) throws Exception {
        Sitekey key = shapeSitekey(shape.interactive());
        Solution.Turnstile solution = solve(new TaskSpec.Turnstile(TaskType.TURNSTILE_PROXYLESS_M1,
                URI.create(shapes(key).url(shape)), key.sitekey(), shape.taskAction(), null, null, null, null));
        String hostname = shape == WidgetShape.CROSS_ORIGIN_IFRAME ? FRAMES_HOST : SHAPES_HOST;
        verifier.assertAcceptedOnce(key.secret(), solution.token(), hostname, shape.action(), shape.cData());
        assertThat(solution.mode()).as("the page's own widget").isEqualTo("page");
    }

    /**
     * A page's token that expires while M1 still holds it (here: kept aside 5 s for a widget with the task's action,
     * which the page does not have; the lab's tokens live 4 s, the page hears them expire at 3.6 s) is renewed as the
     * page renders its widget to be (auto: the widget's own; manual: its Refresh link clicked; never: the page's
     * {@code turnstile.reset}), and the renewed token is returned: siteverify accepts it, with the page's parameters.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(value = WidgetShape.class, names = {"REFRESH_EXPIRED_AUTO", "REFRESH_EXPIRED_MANUAL",
            "REFRESH_EXPIRED_NEVER"})
    void fullModeNeverReturnsAPageTokenThatExpiredWhileItWaited(WidgetShape shape) throws Exception {
        Sitekey key = sitekey("shapesExpiring", SitekeyMode.MANAGED);
        lab.admin().setSitekeyHostile(key.sitekey(), SitekeyHostile.NONE.withTokenTtlMs(4_000));
        long since = lab.admin().events().isEmpty() ? 0 : lab.admin().events().getLast().seq();
        Solution.Turnstile solution = solve(new TaskSpec.Turnstile(TaskType.TURNSTILE_PROXYLESS_M1,
                URI.create(shapes(key).url(shape)), key.sitekey(), "not-on-this-page", null, null, null, null));
        verifier.assertAcceptedOnce(key.secret(), solution.token(), SHAPES_HOST, shape.action(), shape.cData());
        assertThat(lab.admin().eventsSince(since).stream().filter(e -> e.type().equals("token.issued") && key.sitekey().equals(e.field("sitekey"))).count())
                .as("the first token expired unreturned; a renewed one was returned").isGreaterThanOrEqualTo(2);
    }

    /**
     * Fast mode renders its own widget on the page's origin with the task's sitekey, action and cData, so wherever and
     * however the page embeds its widget, the token is one the site accepts, given the page's parameters. It does not
     * apply to the cross-origin iframe: that widget lives on another host (the frame's), whose name siteverify reports
     * and the site checks; a task for it names the frame's URL instead.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(value = WidgetShape.class, mode = EnumSource.Mode.EXCLUDE, names = "CROSS_ORIGIN_IFRAME")
    void fastModeGivesATokenTheSiteAcceptsForEveryShapeItAppliesTo(WidgetShape shape) throws Exception {
        Sitekey key = shapeSitekey(shape.interactive());
        Solution.Turnstile solution = solve(new TaskSpec.Turnstile(TaskType.TURNSTILE_PROXYLESS,
                URI.create(shapes(key).url(shape)), key.sitekey(), shape.action(), shape.cData(), null, null, null));
        verifier.assertAcceptedOnce(key.secret(), solution.token(), SHAPES_HOST, shape.action(), shape.cData());
    }

    static Sitekey shapeSitekey(boolean interactive) {
        Sitekey key = sitekey(interactive ? "shapesClick" : "shapes", SitekeyMode.MANAGED);
        if (interactive) {
            lab.admin().setSitekeyHostile(key.sitekey(), SitekeyHostile.NONE.withInteractiveOnly(60_000));
        }
        return key;
    }

    static ShapePages shapes(Sitekey key) {
        Sitekey other = sitekey("shapesOther", SitekeyMode.MANAGED);
        ShapePages pages = new ShapePages(SHAPES_HOST, FRAMES_HOST, key.sitekey(), other.sitekey());
        pages.registerAll(lab.admin());
        return pages;
    }

    // ---- M1: fast, clear failures (each measured from the start of the solve, which includes the commit) ----

    static final Duration CLEAR_FAILURE_WITHIN = Duration.ofSeconds(15);

    record Failing(String name, String path, String html, int status, SitekeyHostile hostile, FailReason reason,
                   String says) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Failing> failingPages() {
        String widget = "<script src=\"https://challenges.cloudflare.com/turnstile/v0/api.js\" async defer></script>"
                + "<div class=\"cf-turnstile\" data-sitekey=\"%s\"></div>";
        return List.of(
                new Failing("no page (404)", "/fail/missing", null, 0, null, FailReason.NAVIGATION_FAILED, "HTTP 404"),
                new Failing("error page (500)", "/fail/error", "<title>oops</title>" + widget, 500, null,
                        FailReason.NAVIGATION_FAILED, "HTTP 500"),
                new Failing("never finishes loading", "/fail/loading",
                        "<title>slow</title><img src=\"https://" + SILENT_HOST + "/never.png\">", 200, null,
                        FailReason.NAVIGATION_FAILED, "did not finish loading"),
                new Failing("only other sitekeys", "/fail/others", widget.replace("%s", "0x4AAAAAAAsomeoneElse"),
                        200, null, FailReason.NO_WIDGET, "only of 0x4AAAAAAAsomeoneElse"),
                new Failing("invalid sitekey", "/fail/invalid", widget, 200,
                        SitekeyHostile.NONE.withInvalidSitekey(true), FailReason.WIDGET_ERROR, "110100"),
                new Failing("domain not allowed", "/fail/domain", widget, 200,
                        SitekeyHostile.NONE.withDomainNotAllowed(true), FailReason.WIDGET_ERROR, "110200"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("failingPages")
    void fullModeFailsClearlyAndFastWhenThePageHasNoWidgetToSolve(Failing c) {
        Sitekey key = sitekey("failing" + Math.abs(c.name().hashCode()), SitekeyMode.MANAGED);
        if (c.hostile() != null) {
            lab.admin().setSitekeyHostile(key.sitekey(), c.hostile());
        }
        lab.admin().registerSitekey(new Sitekey("0x4AAAAAAAsomeoneElse", "0x4AAAAAAAsomeoneElseSecret",
                List.of("lab.test"), SitekeyMode.MANAGED, 12, 0, null));
        if (c.html() != null) {
            lab.admin().registerPage(HOST, c.path(), c.html().replace("%s", key.sitekey()), c.status());
        }
        Instant started = Instant.now();
        SolveException e = failure(full(c.path(), key.sitekey(), null, null));
        Duration took = Duration.between(started, Instant.now());
        assertThat(e).as(c.name()).isNotNull();
        assertThat(e.reason()).as(c.name() + ": " + e.getMessage()).isEqualTo(c.reason());
        assertThat(e.getMessage()).as(c.name()).contains(c.says());
        assertThat(took).as(c.name() + ": not the task's deadline").isLessThan(CLEAR_FAILURE_WITHIN);
    }

    @Test
    void fullModeReportsThePagesWidgetFailureAfterRenderingItOnceMore() {
        Sitekey key = sitekey("m1Failing", SitekeyMode.MANAGED);
        lab.admin().setSitekeyHostile(key.sitekey(), SitekeyHostile.NONE.withAlwaysFail(true));
        lab.admin().registerPage(HOST, "/failing", """
                <!doctype html><html><head><script src="https://challenges.cloudflare.com/turnstile/v0/api.js"></script></head>
                <body><div class="cf-turnstile" data-sitekey="%s"></div></body></html>""".formatted(key.sitekey()));
        var earlier = lab.admin().events();
        long since = earlier.isEmpty() ? 0 : earlier.getLast().seq();
        SolveException e = failure(full("/failing", key.sitekey(), null, null));
        assertThat(e.reason()).isEqualTo(FailReason.WIDGET_ERROR);
        assertThat(e.getMessage()).contains("600010");
        assertThat(lab.admin().eventsSince(since).stream()
                .filter(event -> event.type().equals("widget.failed") && key.sitekey().equals(event.field("sitekey"))))
                .as("the page's widget, then one more: a retryable failure is retried once, not again and again")
                .hasSize(2);
    }

    @Test
    void fullModeDoesNotRetryAWidgetOfADomainTheSitekeyDoesNotAllow() {
        Sitekey key = sitekey("m1Domain", SitekeyMode.MANAGED);
        lab.admin().setSitekeyHostile(key.sitekey(), SitekeyHostile.NONE.withDomainNotAllowed(true));
        lab.admin().registerPage(HOST, "/other-domain", """
                <!doctype html><html><head><script src="https://challenges.cloudflare.com/turnstile/v0/api.js"></script></head>
                <body><div class="cf-turnstile" data-sitekey="%s" data-action="x"></div></body></html>""".formatted(key.sitekey()));
        var earlier = lab.admin().events();
        long since = earlier.isEmpty() ? 0 : earlier.getLast().seq();
        SolveException e = failure(full("/other-domain", key.sitekey(), null, null));
        assertThat(e.getMessage()).contains("110200");
        assertThat(lab.admin().eventsSince(since).stream()
                .filter(event -> event.type().equals("widget.failed") && key.sitekey().equals(event.field("sitekey"))))
                .as("a second widget would fail the same way").hasSize(1);
    }

    @Test
    void anUnreachableSiteFailsAsANavigationFailure() {
        SolveException e = failure(new TaskSpec.Turnstile(TaskType.TURNSTILE_PROXYLESS_M1,
                URI.create("https://nowhere.example/"), "0x4AAAAAAAwhatever", null, null, null, null, null));
        assertThat(e.reason()).isEqualTo(FailReason.NAVIGATION_FAILED);
        assertThat(e.getMessage()).isEqualTo("could not load nowhere.example (its name does not resolve)");
    }

    /**
     * Issue 19, item 3: over plain http a refused page is the relay's 403, which the browser shows rather than failing
     * the navigation. The task ends on the refusal, long before its deadline.
     */
    @Test
    void fullModeEndsAtOnceWhenThePagesOwnAddressIsRefused() throws Exception {
        // 127.0.0.1 on a port that is not the lab's: refused, whatever listens there. (The test browsers' rules map
        // every host but the lab's to ^NOTFOUND, an address literal too: the relay refuses it as unresolvable.)
        java.net.URI page = URI.create("http://127.0.0.1:" + silent.getLocalPort() + "/login");
        SolveException e = (SolveException) org.assertj.core.api.Assertions.catchThrowable(() -> solver.solve(
                new TaskSpec.Turnstile(TaskType.TURNSTILE_PROXYLESS_M1, page, "0x4AAAAAAAwhatever", null, null, null,
                        null, null), Instant.now().plusSeconds(90)));
        assertThat(e.reason()).as(e.getMessage()).isEqualTo(FailReason.NAVIGATION_FAILED);
        assertThat(e.getMessage()).isEqualTo("could not load 127.0.0.1 (its name does not resolve)");
    }

    /**
     * A page that goes on by itself, once loaded, to a refused address shows the relay's refusal (http) or the
     * browser's error page (https), not a site's page: M1 ends on that, naming where the page went, instead of
     * rendering a widget there; and nothing connects to the address.
     */
    @Test
    void fullModeEndsWhenThePageGoesOnToARefusedAddress() throws Exception {
        try (LoopbackTrap trap = new LoopbackTrap(5_000)) {
            for (String scheme : List.of("http", "https")) {
                String target = scheme + "://127.0.0.1:" + trap.port() + "/inside";
                lab.admin().registerPage(HOST, "/goes-local-" + scheme,
                        "<html><body><script>onload = () => location.href = '" + target + "';</script></body></html>");

                SolveException e = failure(full("/goes-local-" + scheme, "0x4AAAAAAAwhatever", null, null));

                assertThat(e.reason()).as(e.getMessage()).isEqualTo(FailReason.NAVIGATION_FAILED);
                assertThat(e.getMessage()).as(scheme).contains(scheme.equals("http") ? target + " (where the page went on to)"
                        : "the page went on to a page the browser could not load (it shows its error page)");
            }
            assertThat(trap.connectionsSoFar()).isZero();
        }
    }

    /** The product's policy for a lab: its host names and its own ports on 127.0.0.1 allowed, nothing else private. */
    static dev.turnpike.server.net.AddressPolicy labPolicy(Lab lab) {
        return LabLink.of(lab).policy(TestPools.LOOPBACK_ONLY);
    }

    static java.util.List<String> labArgs(dev.turnpike.lab.Lab lab) {
        var args = new java.util.ArrayList<>(lab.chromiumArgs());
        args.add(dev.turnpike.server.browser.chromium.ChromiumFlags.LAB_ON_LOOPBACK);
        return args;
    }
}
