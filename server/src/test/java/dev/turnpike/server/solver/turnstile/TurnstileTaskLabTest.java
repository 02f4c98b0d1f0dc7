package dev.turnpike.server.solver.turnstile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.turnpike.lab.Lab;
import dev.turnpike.lab.LabOptions;
import dev.turnpike.lab.core.LabEvent;
import dev.turnpike.lab.core.Sitekey;
import dev.turnpike.lab.core.SitekeyHostile;
import dev.turnpike.lab.core.SitekeyMode;
import dev.turnpike.lab.proxy.ProxyAccount;
import dev.turnpike.lab.proxy.ProxyFault;
import dev.turnpike.server.browser.OwnProcesses;
import dev.turnpike.server.browser.chromium.ChromiumInstallation;
import dev.turnpike.server.browser.identity.BrowserIdentity;
import dev.turnpike.server.role.BrowserSolvers;
import dev.turnpike.server.role.LabLink;
import dev.turnpike.server.testing.ApiClient;
import dev.turnpike.server.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Turnstile tasks end to end: over HTTP into a Turnpike server whose solvers are the product's
 * {@link BrowserSolvers}, pointed at an embedded lab by the product's {@link LabLink}, and each pass judged by
 * LAB.md's rule (the lab's siteverify accepts the token once, with the right hostname, action and cData, and
 * refuses it the second time). The server's clock follows the wall clock, so the 120 s deadline is the real one.
 */
class TurnstileTaskLabTest {

    static final String HOST = "shop.lab.test";
    static final String TEST_SECRET_PASS = "1x0000000000000000000000000000000AA";
    static final String DUMMY_TOKEN = "XXXX.DUMMY.TOKEN.XXXX";
    static final long PRICE = 15;
    static final long PRICE_M1 = 30;
    /** A widget error must end the task far sooner than the 120 s deadline would. */
    static final Duration WELL_BEFORE_DEADLINE = Duration.ofSeconds(60);

    @TempDir
    static Path profiles;
    static Lab lab;
    static LabVerifier verifier;
    static TestServer server;
    static ApiClient api;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/lib/chromium/chromium")), "Chromium is not installed");
        lab = Lab.start(LabOptions.defaults().withSeed(23));
        verifier = new LabVerifier(lab);
        server = BrowserLabServer.start(lab, profiles, 4);
        api = server.client();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close(); // closes the BrowserSolvers: every Chromium killed, every profile deleted
        }
        if (lab != null) {
            lab.close();
        }
        if (profiles != null) {
            assertThat(OwnProcesses.mentioning(profiles)).isEmpty();
            assertThat(OwnProcesses.profilesIn(profiles)).isEmpty();
        }
    }

    // ---- running a task through the API ----

    /** One task's life seen from the client: the balance around it and its final getTaskResult answer. */
    record Run(long before, JsonNode created, JsonNode result, long after, Duration elapsed) {

        JsonNode solution() {
            assertThat(result.path("errorId").asInt()).as("the task failed: %s", result).isZero();
            assertThat(result.path("status").asText()).isEqualTo("ready");
            return result.path("solution");
        }
    }

    /**
     * createTask with a fresh key, then getTaskResult every 100 ms until ready or failed. While the task is seen
     * processing, its price must be held (the balance read just before that answer is already lower).
     */
    static Run run(long price, Map<String, Object> task) throws InterruptedException {
        String key = server.createKey(1_000);
        long before = server.balance(key);
        long started = System.nanoTime();
        JsonNode created = api.call("createTask", Map.of("clientKey", key, "task", task));
        assertThat(created.path("errorId").asInt()).as("createTask: %s", created).isZero();
        assertThat(created.path("taskId").asText()).matches("\\d+");
        Map<String, Object> poll = Map.of("clientKey", key, "taskId", created.path("taskId"));
        long limit = started + Duration.ofSeconds(150).toNanos();
        while (System.nanoTime() < limit) {
            long balance = server.balance(key);
            JsonNode result = api.call("getTaskResult", poll);
            if ("processing".equals(result.path("status").asText())) {
                assertThat(balance).as("the price is held while the task runs").isEqualTo(before - price);
                Thread.sleep(100);
                continue;
            }
            Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
            return new Run(before, created, result, server.balance(key), elapsed);
        }
        throw new AssertionError("the task did not end within 150 s");
    }

    static Map<String, Object> task(String type, String path, String sitekey, Object... extras) {
        Map<String, Object> task = new LinkedHashMap<>();
        task.put("type", type);
        task.put("websiteURL", "https://" + HOST + path);
        task.put("websiteKey", sitekey);
        for (int i = 0; i < extras.length; i += 2) {
            task.put((String) extras[i], extras[i + 1]);
        }
        return task;
    }

    /** The solution's shape, the price captured, and LAB.md's pass rule. */
    static void assertPassed(Run run, long price, Sitekey key, String action, String cData) throws Exception {
        JsonNode solution = assertReadyAndCharged(run, price);
        verifier.assertAcceptedOnce(key.secret(), solution.path("token").asText(), HOST, action, cData);
    }

    static JsonNode assertReadyAndCharged(Run run, long price) {
        JsonNode solution = run.solution();
        assertThat(solution.path("token").asText()).isNotEmpty();
        assertThat(solution.path("gRecaptchaResponse").asText()).isEqualTo(solution.path("token").asText());
        assertThat(solution.path("userAgent").asText()).startsWith("Mozilla/5.0").doesNotContain("Headless");
        assertThat(run.result().path("taskId").asText()).isEqualTo(run.created().path("taskId").asText());
        assertThat(run.result().path("cost").asText()).isEqualTo(Long.toString(price));
        assertThat(run.result().path("endTime").asLong()).isGreaterThanOrEqualTo(run.result().path("createTime").asLong());
        assertThat(run.after()).as("the price is captured").isEqualTo(run.before() - price);
        return solution;
    }

    /** ERROR_CAPTCHA_UNSOLVABLE naming the widget's code, no status field, the points given back, well in time. */
    static void assertUnsolvable(Run run, String code) {
        assertThat(run.result().path("errorId").asInt()).as(run.result().toString()).isEqualTo(1);
        assertThat(run.result().path("errorCode").asText()).isEqualTo("ERROR_CAPTCHA_UNSOLVABLE");
        assertThat(run.result().path("errorDescription").asText()).contains(code);
        assertThat(run.result().has("status")).as("a typed YesCaptcha client accepts only processing/ready").isFalse();
        assertThat(run.after()).as("a failure releases the points").isEqualTo(run.before());
        assertThat(run.elapsed()).isLessThan(WELL_BEFORE_DEADLINE);
    }

    static Sitekey sitekey(String name, SitekeyMode mode) {
        return lab.admin().registerSitekey(new Sitekey("0x4AAAAAAA" + name, "0x4AAAAAAA" + name + "Secret",
                List.of("lab.test"), mode, 12, 0, null));
    }

    // ---- the official test sitekeys ----

    @Test
    void thePassingTestSitekeyGivesTheDummyTokenTheTestSecretAccepts() throws Exception {
        Run run = run(PRICE, task("TurnstileTaskProxyless", "/test-key", "1x00000000000000000000AA"));

        JsonNode solution = assertReadyAndCharged(run, PRICE);
        assertThat(solution.path("token").asText()).isEqualTo(DUMMY_TOKEN);
        JsonNode verdict = verifier.siteverify(TEST_SECRET_PASS, DUMMY_TOKEN);
        assertThat(verdict.path("success").asBoolean()).as(verdict.toString()).isTrue();
    }

    @Test
    void theFailingTestSitekeyIsUnsolvableWithItsCode() throws Exception {
        Run run = run(PRICE, task("TurnstileTaskProxyless", "/test-key", "2x00000000000000000000AB"));

        assertUnsolvable(run, "600010");
    }

    // ---- the widget modes, each through another alias and spelling ----

    @Test
    void aManagedSitekeyIsSolvedAndTheTokenVerifiesOnce() throws Exception {
        Sitekey key = sitekey("apiManaged", SitekeyMode.MANAGED);

        Run run = run(PRICE, task("TurnstileTaskProxyless", "/login", key.sitekey(), "action", "login", "cData", "c-1"));

        assertPassed(run, PRICE, key, "login", "c-1");
    }

    @Test
    void aNonInteractiveSitekeyThroughTheAntiCaptchaAliasAndMetadataSpelling() throws Exception {
        Sitekey key = sitekey("apiNonInteractive", SitekeyMode.NON_INTERACTIVE);

        Run run = run(PRICE, task("AntiTurnstileTaskProxyLess", "/signup", key.sitekey(),
                "metadata", Map.of("action", "signup", "cdata", "ni-2")));

        assertPassed(run, PRICE, key, "signup", "ni-2");
    }

    @Test
    void anInvisibleSitekeyThroughTheCloudFlareTurnstileAlias() throws Exception {
        Sitekey key = sitekey("apiInvisible", SitekeyMode.INVISIBLE);

        Run run = run(PRICE, task("CloudFlareTurnstileTask", "/quiet", key.sitekey(),
                "pageAction", "quiet", "turnstileCData", "inv-3"));

        assertPassed(run, PRICE, key, "quiet", "inv-3");
    }

    @Test
    void anInteractiveSitekeyIsPassedWithATrustedClick() throws Exception {
        Sitekey key = sitekey("apiInteractive", SitekeyMode.MANAGED);
        lab.admin().setSitekeyHostile(key.sitekey(), SitekeyHostile.NONE.withInteractiveOnly(60_000));

        Run run = run(PRICE, task("turnstiletaskproxyless", "/click", key.sitekey(),
                "rqData", Map.of("metadataAction", "click", "metadataCdata", "needs-click")));

        assertPassed(run, PRICE, key, "click", "needs-click");
    }

    @Test
    void aSlowWidgetIsStillSolved() throws Exception {
        Sitekey key = lab.admin().registerSitekey(new Sitekey("0x4AAAAAAAapiSlow", "0x4AAAAAAAapiSlowSecret",
                List.of("lab.test"), SitekeyMode.MANAGED, 14, 1_500, null));

        Run run = run(PRICE, task("TurnstileTaskProxyless", "/slow", key.sitekey(), "action", "slow", "cData", "patience"));

        assertPassed(run, PRICE, key, "slow", "patience");
    }

    // ---- full mode: the page's own widget ----

    @Test
    void fullModeSolvesAnImplicitlyRenderedWidgetWithThePagesParameters() throws Exception {
        Sitekey key = sitekey("apiM1Implicit", SitekeyMode.MANAGED);
        lab.admin().registerPage(HOST, "/m1-implicit", """
                <!doctype html><html><head><title>shop</title>
                <script src="https://challenges.cloudflare.com/turnstile/v0/api.js" async defer></script></head>
                <body><form><div class="cf-turnstile" data-sitekey="%s" data-action="checkout" data-cdata="order-77"></div></form>
                </body></html>""".formatted(key.sitekey()));

        Run run = run(PRICE_M1, task("TurnstileTaskProxylessM1", "/m1-implicit", key.sitekey()));

        assertPassed(run, PRICE_M1, key, "checkout", "order-77");
    }

    @Test
    void fullModeSolvesAnExplicitlyRenderedWidget() throws Exception {
        Sitekey key = sitekey("apiM1Explicit", SitekeyMode.MANAGED);
        lab.admin().registerPage(HOST, "/m1-explicit", """
                <!doctype html><html><head><title>late</title>
                <script src="https://challenges.cloudflare.com/turnstile/v0/api.js?render=explicit&onload=ready"></script></head>
                <body><div id="login"></div><script>
                function ready() {
                  setTimeout(function () {
                    turnstile.render('#login', {sitekey: '%s', action: 'login', cData: 'explicit-1'});
                  }, 500);
                }
                </script></body></html>""".formatted(key.sitekey()));

        Run run = run(PRICE_M1, task("TurnstileTaskProxylessM1", "/m1-explicit", key.sitekey()));

        assertPassed(run, PRICE_M1, key, "login", "explicit-1");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"implicit", "explicit"})
    void fullModeSolvesThePagesWidgetAsTheSiteRendersItAndLogsItsRenderParameters(String rendering) throws Exception {
        Sitekey key = sitekey("apiM1Params" + rendering, SitekeyMode.MANAGED);
        String widget = rendering.equals("implicit")
                ? """
                  <script src="https://challenges.cloudflare.com/turnstile/v0/api.js" async defer></script>
                  <form><div class="cf-turnstile" data-sitekey="%s" data-action="pay" data-cdata="basket-9"
                    data-theme="dark" data-size="compact"></div></form>"""
                : """
                  <div id="pay"></div>
                  <script>function ready() { turnstile.render('#pay', {sitekey: '%s', action: 'pay', cData: 'basket-9',
                    theme: 'dark', size: 'compact'}); }</script>
                  <script src="https://challenges.cloudflare.com/turnstile/v0/api.js?render=explicit&onload=ready"></script>""";
        lab.admin().registerPage(HOST, "/m1-params-" + rendering,
                "<!doctype html><html><head><title>pay</title></head><body>" + widget.formatted(key.sitekey()) + "</body></html>");
        List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();

        Run run;
        try (var logs = LogLines.of(PageWidgets.class, lines)) {
            run = run(PRICE_M1, task("TurnstileTaskProxylessM1", "/m1-params-" + rendering, key.sitekey(),
                    "action", "other-action", "cData", "other-cdata"));
        }

        // The site verifies its own action and cData: the token must carry the page's, not the task's.
        assertPassed(run, PRICE_M1, key, "pay", "basket-9");
        String token = run.solution().path("token").asText();
        assertThat(lines).as("what the page's widget was rendered with is logged")
                .anySatisfy(line -> assertThat(line).contains("solved the widget of " + key.sitekey())
                        .contains("action=\"pay\"").contains("cData=\"basket-9\"")
                        .contains("theme=\"dark\"").contains("size=\"compact\""))
                .anySatisfy(line -> assertThat(line).contains("the task asked for action=\"other-action\"")
                        .contains("the token carries the page's"))
                .allSatisfy(line -> assertThat(line).doesNotContain(token));
    }

    @Test
    void fullModeRendersThePagesWidgetOnceMoreWithItsParametersAfterItHung() throws Exception {
        Sitekey key = sitekey("apiM1Again", SitekeyMode.MANAGED);
        lab.admin().setSitekeyHostile(key.sitekey(), SitekeyHostile.NONE.withHang(3_000));
        lab.admin().registerPage(HOST, "/m1-again", """
                <!doctype html><html><head><title>again</title>
                <script src="https://challenges.cloudflare.com/turnstile/v0/api.js" async defer></script></head>
                <body><form><div class="cf-turnstile" data-sitekey="%s" data-action="again" data-cdata="second-try"
                  data-retry="never"></div></form>
                </body></html>""".formatted(key.sitekey()));
        List<LabEvent> earlier = lab.admin().events();
        long since = earlier.isEmpty() ? 0 : earlier.getLast().seq();
        // The page's widget does not retry by itself (data-retry="never"): only a widget we render can pass.
        // No lab mode fails only the first attempt; this makes one: the hang ends once the lab has seen the first
        // challenge hang, long before the widget's 3 s watchdog, so only a widget rendered after that passes.
        Thread healer = Thread.ofVirtual().start(() -> {
            long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < until && lab.admin().eventsSince(since).stream()
                    .noneMatch(e -> e.type().equals("widget.hung") && key.sitekey().equals(e.field("sitekey")))) {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
            lab.admin().setSitekeyHostile(key.sitekey(), SitekeyHostile.NONE);
        });

        Run run = run(PRICE_M1, task("TurnstileTaskProxylessM1", "/m1-again", key.sitekey()));
        healer.join(Duration.ofSeconds(60));

        // The task named no action or cData: these are the page's, captured from its first widget.
        assertPassed(run, PRICE_M1, key, "again", "second-try");
        List<String> widgetEvents = lab.admin().eventsSince(since).stream()
                .filter(e -> key.sitekey().equals(e.field("sitekey")))
                .map(LabEvent::type).filter(type -> type.startsWith("widget.") || type.startsWith("challenge.")).toList();
        assertThat(widgetEvents).as("the page's widget hung once, then the one rendered again passed")
                .startsWith("widget.hung", "challenge.issued");
    }

    // ---- hostile widgets fail with their code, not the deadline ----

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource({"alwaysFail, 600010", "hang, 300030", "invalidSitekey, 110100", "domainNotAllowed, 110200"})
    void aHostileWidgetIsUnsolvableWithItsCodeLongBeforeTheDeadline(String mode, String code) throws Exception {
        SitekeyHostile hostile = switch (mode) {
            case "alwaysFail" -> SitekeyHostile.NONE.withAlwaysFail(true);
            case "hang" -> SitekeyHostile.NONE.withHang(2_000);
            case "invalidSitekey" -> SitekeyHostile.NONE.withInvalidSitekey(true);
            case "domainNotAllowed" -> SitekeyHostile.NONE.withDomainNotAllowed(true);
            default -> throw new IllegalArgumentException(mode);
        };
        Sitekey key = sitekey("apiHostile" + mode, SitekeyMode.MANAGED);
        lab.admin().setSitekeyHostile(key.sitekey(), hostile);

        Run run = run(PRICE, task("TurnstileTaskProxyless", "/hostile", key.sitekey(), "action", "x", "cData", "y"));

        assertUnsolvable(run, code);
    }

    // ---- the client's user agent ----

    /** The UA the lab's widget posted (and sent) when it asked for challenges for {@code sitekey}. */
    static List<String> userAgentsTheLabSaw(String sitekey) {
        return lab.admin().events().stream().filter(e -> e.type().equals("challenge.issued"))
                .filter(e -> sitekey.equals(e.field("sitekey"))).map(e -> e.field("ua")).toList();
    }

    static BrowserIdentity browserIdentity() throws Exception {
        return ChromiumInstallation.discover(null).identity();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"TurnstileTaskProxyless, 15", "TurnstileTaskProxylessM1, 30"})
    void aWantedDesktopChromeOfTheBrowsersVersionIsWhatTheWidgetSeesAndTheSolutionReports(String type, long price)
            throws Exception {
        BrowserIdentity browser = browserIdentity();
        String wanted = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/"
                + browser.fullVersion() + " Safari/537.36";
        Sitekey key = sitekey("apiWantedUa" + price, SitekeyMode.MANAGED);
        lab.admin().registerPage(HOST, "/wanted-ua", """
                <!doctype html><html><head><title>ua</title>
                <script src="https://challenges.cloudflare.com/turnstile/v0/api.js" async defer></script></head>
                <body><div class="cf-turnstile" data-sitekey="%s" data-action="ua" data-cdata="wanted"></div>
                </body></html>""".formatted(key.sitekey()));

        Run run = run(price, task(type, "/wanted-ua", key.sitekey(), "action", "ua", "cData", "wanted",
                "userAgent", wanted));

        assertPassed(run, price, key, "ua", "wanted");
        assertThat(run.solution().path("userAgent").asText()).isEqualTo(wanted);
        // The widget checks the UA it posts against the request's header in both steps (else 110510).
        assertThat(userAgentsTheLabSaw(key.sitekey())).isNotEmpty().containsOnly(wanted);
    }

    /** Firefox; Chrome of another version; Windows Chrome, whose workers would still say Linux x86_64. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "firefox|Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0",
            "older|Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36",
            "windows|Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/MAJOR.0.0.0 Safari/537.36"})
    void aUserAgentTheBrowserCannotPresentConsistentlyIsNotHonouredAndTheTaskStillPasses(String kind, String wanted)
            throws Exception {
        BrowserIdentity browser = browserIdentity();
        Sitekey key = sitekey("apiOtherUa" + kind, SitekeyMode.MANAGED);

        Run run = run(PRICE, task("TurnstileTaskProxyless", "/other-ua", key.sitekey(), "action", "ua", "cData", kind,
                "userAgent", wanted.replace("MAJOR", Integer.toString(browser.major()))));

        assertPassed(run, PRICE, key, "ua", kind);
        assertThat(run.solution().path("userAgent").asText()).isEqualTo(browser.userAgent());
        assertThat(userAgentsTheLabSaw(key.sitekey())).isNotEmpty().containsOnly(browser.userAgent());
    }

    // ---- through the client's proxy ----

    @Test
    void theTurnstileTaskAliasWithAProxyIsSolvedThroughThatProxy() throws Exception {
        lab.admin().registerProxyAccount(new ProxyAccount("tt-user", "tt-pass", "203.0.113.9", ProxyFault.NONE));
        Sitekey key = sitekey("apiProxied", SitekeyMode.MANAGED);
        List<LabEvent> earlier = lab.admin().events();
        long since = earlier.isEmpty() ? 0 : earlier.getLast().seq();

        Run run = run(PRICE, task("TurnstileTask", "/proxied", key.sitekey(), "action", "proxied", "cData", "via-tt",
                "proxy", "http://tt-user:tt-pass@127.0.0.1:" + lab.proxyHttpPort()));

        assertPassed(run, PRICE, key, "proxied", "via-tt");
        List<LabEvent> connections = lab.admin().eventsSince(since).stream()
                .filter(e -> e.type().equals("proxy.connected")).toList();
        assertThat(connections).as("the solve went through the client's proxy account")
                .anySatisfy(e -> assertThat(e.field("user")).isEqualTo("tt-user"))
                .allSatisfy(e -> assertThat(e.field("user")).isEqualTo("tt-user"));
    }
}
