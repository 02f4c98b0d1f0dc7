package dev.turnpike.server.solver.challenge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.turnpike.lab.core.ChallengeLoop;
import dev.turnpike.lab.core.HostHostile;
import dev.turnpike.lab.core.HostKind;
import dev.turnpike.lab.core.LabHost;
import dev.turnpike.lab.core.Sitekey;
import dev.turnpike.lab.core.SitekeyHostile;
import dev.turnpike.lab.core.SitekeyMode;
import dev.turnpike.lab.origin.LabOrigin;
import dev.turnpike.lab.proxy.ProxyAccount;
import dev.turnpike.lab.proxy.ProxyFault;
import dev.turnpike.server.browser.chromium.ChromiumInstallation;
import dev.turnpike.server.browser.identity.BrowserIdentity;
import dev.turnpike.server.testing.LoopbackTrap;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code CloudFlare5STask} end to end through the HTTP API against the lab, each success judged by LAB.md's
 * rule: a plain Java HTTP client, sending the returned cookies and headers through the same proxy account, gets
 * the protected page; through the other account (another exit IP) or with another user agent it meets the
 * challenge again.
 */
class ChallengeTaskLabTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The lab's secret of {@link LabOrigin#INTERACTIVE_SITEKEY} (the lab keeps it to itself). */
    private static final String INTERACTIVE_SECRET = "0x4AAAAAAALabChallengeInteractiveSecret";
    /** The lab's secret of {@link LabOrigin#MANAGED_SITEKEY}. */
    private static final String MANAGED_SECRET = "0x4AAAAAAALabChallengeManagedSecret";
    static ChallengeLab lab;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/lib/chromium/chromium")), "Chromium is not installed");
        lab = ChallengeLab.start(4);
    }

    @AfterAll
    static void stop() throws Exception {
        if (lab != null) {
            lab.close();
        }
    }

    // ---- the pass rule ----

    private static JsonNode solve(Map<String, Object> task) throws Exception {
        Map<String, Object> full = new LinkedHashMap<>(Map.of("type", "CloudFlare5STask"));
        full.putAll(task);
        return Tasks.solve(lab.server.client(), lab.clientKey, full);
    }

    private static Map<String, String> cookies(JsonNode solution) {
        Map<String, String> out = new LinkedHashMap<>();
        solution.path("cookies").properties().forEach(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }

    private static Map<String, String> headers(JsonNode solution) {
        Map<String, String> out = new LinkedHashMap<>();
        solution.path("header").properties().forEach(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }

    /** The protected page through the same account; the challenge through the other one and with another UA. */
    private static void assertReplayable(String url, JsonNode solution) throws Exception {
        assertReplayable(url, solution, ChallengeLab.ACCOUNT_A, ChallengeLab.ACCOUNT_B);
    }

    private static void assertReplayable(String url, JsonNode solution, String account, String otherAccount)
            throws Exception {
        HttpResponse<String> same = lab.replay("GET", url, account, headers(solution), cookies(solution));
        assertThat(same.statusCode()).as("same account: %s", same.body()).isEqualTo(200);
        assertThat(same.body()).contains("id=\"lab-ok\"");

        HttpResponse<String> otherIp = lab.replay("GET", url, otherAccount, headers(solution), cookies(solution));
        assertThat(otherIp.statusCode()).isIn(403, 503); // 503 for the legacy page
        assertThat(otherIp.headers().firstValue("cf-mitigated")).hasValue("challenge");

        Map<String, String> otherAgent = new LinkedHashMap<>(headers(solution));
        otherAgent.put("user-agent", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Firefox/140.0");
        HttpResponse<String> otherUa = lab.replay("GET", url, account, otherAgent, cookies(solution));
        assertThat(otherUa.statusCode()).isIn(403, 503);
        assertThat(otherUa.headers().firstValue("cf-mitigated")).hasValue("challenge");
    }

    private static void assertSolutionShape(JsonNode solution, String url) {
        assertThat(solution.path("cookies").isObject()).isTrue();
        assertThat(solution.path("cf_clearance").asText()).isNotEmpty()
                .isEqualTo(solution.path("cookies").path("cf_clearance").asText());
        assertThat(solution.path("userAgent").asText()).startsWith("Mozilla/5.0").doesNotContain("Headless");
        assertThat(solution.path("header").path("user-agent").asText()).isEqualTo(solution.path("userAgent").asText());
        solution.path("header").fieldNames().forEachRemaining(n -> assertThat(n).isLowerCase());
        assertThat(solution.path("header").has("sec-ch-ua")).isTrue();
        assertThat(solution.path("tlsVersion").asText()).matches("chrome\\d+");
        assertThat(solution.path("url").asText()).isEqualTo(url);
    }

    private static void protectedHost(String host, String cType, HostHostile hostile) {
        lab.lab.admin().registerHost(new LabHost(host, HostKind.PROTECTED, cType, 0, hostile));
    }

    // ---- challenges that clear ----

    @Test
    void managedChallengeThroughAnHttpProxyGivesAReplayableClearance() throws Exception {
        protectedHost("managed.lab.test", "managed", null);
        String url = "https://managed.lab.test/";

        JsonNode solution = solve(Map.of("websiteURL", url, "proxy", lab.httpProxy(ChallengeLab.ACCOUNT_A)));

        assertSolutionShape(solution, url);
        assertThat(solution.path("status").asInt()).isEqualTo(200);
        assertThat(solution.path("body").asText()).contains("id=\"lab-ok\"");
        assertReplayable(url, solution);
    }

    @Test
    void nonInteractiveChallengeThroughASocks5ProxyWithPassword() throws Exception {
        protectedHost("pow.lab.test", "non-interactive", null);
        String url = "https://pow.lab.test/";

        JsonNode solution = solve(Map.of("websiteURL", url, "proxy", lab.socksProxy(ChallengeLab.ACCOUNT_A)));

        assertSolutionShape(solution, url);
        assertReplayable(url, solution);
    }

    @Test
    void interactiveChallengeIsPassedWithATrustedClick() throws Exception {
        protectedHost("click.lab.test", "interactive", null);
        String url = "https://click.lab.test/";

        JsonNode solution = solve(Map.of("websiteURL", url, "proxy", lab.httpProxy(ChallengeLab.ACCOUNT_A)));

        assertSolutionShape(solution, url);
        assertReplayable(url, solution);
    }

    @Test
    void interactiveChallengeDrawingItsCheckboxInThePlainDocumentIsPassedToo() throws Exception {
        // The challenge's widget page draws in the plain document instead of a closed shadow root (the default).
        lab.lab.admin().registerSitekey(new Sitekey(LabOrigin.INTERACTIVE_SITEKEY, INTERACTIVE_SECRET, List.of("*"),
                SitekeyMode.MANAGED, Sitekey.DEFAULT_POW_BITS, 0,
                SitekeyHostile.NONE.withInteractiveOnly(0).withShadowMode("none")));
        try {
            protectedHost("plain-click.lab.test", "interactive", null);
            String url = "https://plain-click.lab.test/";

            JsonNode solution = solve(Map.of("websiteURL", url, "proxy", lab.httpProxy(ChallengeLab.ACCOUNT_A)));

            assertSolutionShape(solution, url);
            assertReplayable(url, solution);
        } finally {
            lab.lab.admin().setSitekeyHostile(LabOrigin.INTERACTIVE_SITEKEY, SitekeyHostile.NONE.withInteractiveOnly(0));
        }
    }

    /**
     * While a challenge works by itself, the solver's watch asks the browser little: a challenge whose widget takes
     * 6 s longer (a 3 s delay on each of its steps) costs 24 more DevTools commands, not hundreds. Each look for a
     * checkbox reads the widget's DOM first and measures and scrolls only once a checkbox is there. When the look
     * placed the frame first, those 6 s cost 235 more: the placement read the page's document, after which every
     * change to the page's DOM marked the widget changed, so it was placed again on every 250 ms turn, each time
     * with layouts and hit tests in the renderer the proof of work wanted. The pool makes no warm contexts here, so
     * each window holds one context's set-up.
     */
    @Test
    void aChallengeWorkingLongerByItselfCostsTheBrowserFewMoreCommands() throws Exception {
        protectedHost("quick-watch.lab.test", "managed", null);
        protectedHost("slow-watch.lab.test", "managed", null);
        long quick = commandsFor("https://quick-watch.lab.test/");
        lab.lab.admin().registerSitekey(new Sitekey(LabOrigin.MANAGED_SITEKEY, MANAGED_SECRET, List.of("*"),
                SitekeyMode.MANAGED, Sitekey.DEFAULT_POW_BITS, 3_000, SitekeyHostile.NONE));
        long slow;
        try {
            slow = commandsFor("https://slow-watch.lab.test/");
        } finally {
            lab.lab.admin().registerSitekey(new Sitekey(LabOrigin.MANAGED_SITEKEY, MANAGED_SECRET, List.of("*"),
                    SitekeyMode.MANAGED, Sitekey.DEFAULT_POW_BITS, 0, SitekeyHostile.NONE));
        }
        assertThat(slow - quick).as("commands: %d quick, %d slow", quick, slow).isLessThan(36);
    }

    private static long commandsFor(String url) throws Exception {
        long before = lab.pool.devToolsTraffic()[0];
        JsonNode solution = solve(Map.of("websiteURL", url, "proxy", lab.httpProxy(ChallengeLab.ACCOUNT_A)));
        assertThat(solution.path("url").asText()).isEqualTo(url);
        return lab.pool.devToolsTraffic()[0] - before;
    }

    @Test
    void legacy503UnderAttackPageIsDetectedAndPassed() throws Exception {
        protectedHost("legacy.lab.test", "managed", new HostHostile(null, false, false, true, 0, false));
        String url = "https://legacy.lab.test/";

        JsonNode solution = solve(Map.of("websiteURL", url, "proxy", lab.httpProxy(ChallengeLab.ACCOUNT_A)));

        assertSolutionShape(solution, url);
        assertReplayable(url, solution);
        assertThat(lab.lab.admin().events()).filteredOn(e -> e.type().equals("challengePage.served"))
                .filteredOn(e -> "legacy.lab.test".equals(e.field("host")))
                .extracting(e -> e.field("legacy")).contains("true");
    }

    // ---- the client's user agent ----

    @Test
    void aWantedUserAgentIsTheOneTheClearanceIsBoundToAndTheBrowsersOwnIsChallenged() throws Exception {
        protectedHost("wanted-ua.lab.test", "managed", null);
        String url = "https://wanted-ua.lab.test/";
        BrowserIdentity browser = ChromiumInstallation.discover(null).identity();
        String wanted = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/"
                + browser.fullVersion() + " Safari/537.36";

        JsonNode solution = solve(Map.of("websiteURL", url, "proxy", lab.httpProxy(ChallengeLab.ACCOUNT_A),
                "userAgent", wanted));

        assertSolutionShape(solution, url);
        assertThat(solution.path("userAgent").asText()).isEqualTo(wanted);
        assertThat(solution.path("header").path("user-agent").asText()).isEqualTo(wanted);
        assertThat(solution.path("header").path("sec-ch-ua").asText()).contains("\"Chromium\";v=\"" + browser.major() + "\"");
        assertThat(solution.path("header").path("sec-ch-ua-platform").asText()).isEqualTo("\"Linux\"");
        assertReplayable(url, solution);

        Map<String, String> browsersOwn = new LinkedHashMap<>(headers(solution));
        browsersOwn.put("user-agent", browser.userAgent());
        HttpResponse<String> own = lab.replay("GET", url, ChallengeLab.ACCOUNT_A, browsersOwn, cookies(solution));
        assertThat(own.statusCode()).as("the clearance is bound to the wanted UA, not the browser's").isEqualTo(403);
        assertThat(own.headers().firstValue("cf-mitigated")).hasValue("challenge");
    }

    @Test
    void aUserAgentTheBrowserCannotPresentConsistentlyIsNotHonoured() throws Exception {
        protectedHost("firefox-ua.lab.test", "non-interactive", null);
        String url = "https://firefox-ua.lab.test/";
        BrowserIdentity browser = ChromiumInstallation.discover(null).identity();

        JsonNode solution = solve(Map.of("websiteURL", url, "proxy", lab.httpProxy(ChallengeLab.ACCOUNT_A),
                "userAgent", "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"));

        assertSolutionShape(solution, url);
        assertThat(solution.path("userAgent").asText()).isEqualTo(browser.userAgent());
        assertReplayable(url, solution);
    }

    @Test
    void rqDataJsonIsPostedFromTheClearedContextWithFieldTypesKept() throws Exception {
        protectedHost("json.lab.test", "managed", null);
        String url = "https://json.lab.test/api/echo";
        Map<String, Object> rqData = new LinkedHashMap<>();
        rqData.put("mode", "JSON");
        rqData.put("name1", "value1");
        rqData.put("name2", 123456);
        rqData.put("flag", true);

        JsonNode solution = solve(Map.of("websiteURL", url, "proxy", lab.httpProxy(ChallengeLab.ACCOUNT_A),
                "rqData", rqData));

        assertThat(solution.path("status").asInt()).isEqualTo(200);
        JsonNode echo = JSON.readTree(solution.path("body").asText());
        assertThat(echo.path("method").asText()).isEqualTo("POST");
        assertThat(echo.path("contentType").asText()).startsWith("application/json");
        assertThat(echo.path("json").path("name1").asText()).isEqualTo("value1");
        assertThat(echo.path("json").path("name2").isInt()).isTrue();
        assertThat(echo.path("json").path("name2").asInt()).isEqualTo(123456);
        assertThat(echo.path("json").path("flag").isBoolean()).isTrue();
        assertThat(echo.path("json").has("mode")).isFalse();
        assertThat(echo.path("cookies").path("cf_clearance").asText()).isEqualTo(solution.path("cf_clearance").asText());
        assertThat(echo.path("headers").path("user-agent").asText()).isEqualTo(solution.path("userAgent").asText());
        assertReplayable("https://json.lab.test/", solution);
    }

    @Test
    void rqDataFormIsPostedUrlEncoded() throws Exception {
        protectedHost("form-post.lab.test", "non-interactive", null);
        String url = "https://form-post.lab.test/api/echo";
        Map<String, Object> rqData = new LinkedHashMap<>();
        rqData.put("mode", "FORM");
        rqData.put("user", "a b&c");
        rqData.put("count", 7);

        JsonNode solution = solve(Map.of("websiteURL", url, "proxy", lab.socksProxy(ChallengeLab.ACCOUNT_A),
                "rqData", rqData));

        assertThat(solution.path("status").asInt()).isEqualTo(200);
        JsonNode echo = JSON.readTree(solution.path("body").asText());
        assertThat(echo.path("method").asText()).isEqualTo("POST");
        assertThat(echo.path("contentType").asText()).startsWith("application/x-www-form-urlencoded");
        assertThat(echo.path("form").toString()).isEqualTo(
                "[{\"name\":\"user\",\"value\":\"a b&c\"},{\"name\":\"count\",\"value\":\"7\"}]");
    }

    @Test
    void pageRefreshWithANewRayIsFollowedUntilCleared() throws Exception {
        String host = "refresh.lab.test";
        protectedHost(host, "managed", new HostHostile(null, false, false, false, 6_000, false));
        String url = "https://" + host + "/";
        // A slow widget first: the page (6 s of life) re-issues itself with a new ray before a token exists.
        Sitekey known = lab.lab.context().sitekeys().find(LabOrigin.MANAGED_SITEKEY).orElse(null);
        List<String> hostnames = new java.util.ArrayList<>(known == null ? List.of() : known.hostnames());
        hostnames.add(host);
        Sitekey normal = known == null
                ? new Sitekey(LabOrigin.MANAGED_SITEKEY, "0x4AAAAAAALabChallengeManagedSecret", hostnames,
                        SitekeyMode.MANAGED, Sitekey.DEFAULT_POW_BITS, 0, SitekeyHostile.NONE)
                : new Sitekey(known.sitekey(), known.secret(), hostnames, known.mode(), known.powBits(), known.delayMs(),
                        known.hostile());
        lab.lab.admin().registerSitekey(new Sitekey(normal.sitekey(), normal.secret(), normal.hostnames(),
                normal.mode(), normal.powBits(), 4_000, normal.hostile()));
        CompletableFuture<JsonNode> result = CompletableFuture.supplyAsync(() -> {
            try {
                return Tasks.run(lab.server.client(), lab.clientKey,
                        Map.of("type", "CloudFlare5STask", "websiteURL", url, "proxy", lab.httpProxy(ChallengeLab.ACCOUNT_A)));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        try {
            long until = System.nanoTime() + 90_000_000_000L;
            while (rays(host).size() < 2 && System.nanoTime() < until && !result.isDone()) {
                Thread.sleep(100);
            }
        } finally {
            lab.lab.admin().registerSitekey(normal); // then the widget is quick again, and the next page clears
        }

        JsonNode answer = result.get(150, TimeUnit.SECONDS);
        assertThat(answer.path("errorId").asInt()).as("%s", answer).isZero();
        assertThat(rays(host)).as("the page refreshed itself with a new ray at least once").hasSizeGreaterThanOrEqualTo(2)
                .doesNotHaveDuplicates();
        assertReplayable(url, answer.path("solution"));
    }

    private static List<String> rays(String host) {
        return lab.lab.admin().events().stream().filter(e -> e.type().equals("challengePage.served"))
                .filter(e -> host.equals(e.field("host"))).filter(e -> "/".equals(e.field("path")))
                .map(e -> e.field("ray")).toList();
    }

    @Test
    void bindingStrictClearanceHoldsOnlyForTheExitIpItWasSolvedThrough() throws Exception {
        protectedHost("strict.lab.test", "managed", new HostHostile(null, true, false, false, 0, false));
        String url = "https://strict.lab.test/";

        JsonNode solution = solve(Map.of("websiteURL", url, "proxy", lab.httpProxy(ChallengeLab.ACCOUNT_B)));

        assertReplayable(url, solution, ChallengeLab.ACCOUNT_B, ChallengeLab.ACCOUNT_A);
    }

    @Test
    void aSecondTaskForTheSameSiteThroughTheSameProxyStartsClearedWithoutAChallenge() throws Exception {
        protectedHost("again.lab.test", "managed", null);
        String url = "https://again.lab.test/";
        JsonNode first = solve(Map.of("websiteURL", url, "proxy", lab.httpProxy(ChallengeLab.ACCOUNT_A)));
        int challengesBefore = rays("again.lab.test").size();

        JsonNode second = solve(Map.of("websiteURL", url, "proxy", lab.httpProxy(ChallengeLab.ACCOUNT_A)));

        assertThat(rays("again.lab.test")).as("no challenge page served for the second task").hasSize(challengesBefore);
        assertThat(second.path("cf_clearance").asText()).isEqualTo(first.path("cf_clearance").asText());
        assertSolutionShape(second, url);
        assertThat(second.path("body").asText()).contains("id=\"lab-ok\"");
        assertReplayable(url, second);
    }

    @Test
    void identicalTasksSentAtOnceShareOneChallengeSolveAndEachReplaysWithCurl() throws Exception {
        String host = "burst.lab.test";
        protectedHost(host, "managed", null);
        String url = "https://" + host + "/";
        Map<String, Object> task = Map.of("websiteURL", url, "proxy", lab.httpProxy(ChallengeLab.ACCOUNT_A));

        List<JsonNode> solutions;
        try (var clients = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            List<java.util.concurrent.Future<JsonNode>> sent = new java.util.ArrayList<>();
            for (int i = 0; i < 8; i++) {
                sent.add(clients.submit(() -> solve(task)));
            }
            solutions = new java.util.ArrayList<>();
            for (var one : sent) {
                solutions.add(one.get(150, TimeUnit.SECONDS));
            }
        }

        assertThat(rays(host)).as("one challenge page served for 8 identical tasks").hasSize(1);
        for (JsonNode solution : solutions) {
            assertSolutionShape(solution, url);
            assertThat(solution.path("body").asText()).contains("id=\"lab-ok\"");
            ChallengeLab.Fetched replayed = lab.curl(url, ChallengeLab.ACCOUNT_A, headers(solution), cookies(solution));
            assertThat(replayed.status()).as("curl through the same account: %s", replayed.body()).isEqualTo(200);
            assertThat(replayed.body()).contains("id=\"lab-ok\"");
        }
    }

    @Test
    void aClearanceIsNotHandedToATaskWithAnotherProxy() throws Exception {
        protectedHost("mine.lab.test", "managed", null);
        String url = "https://mine.lab.test/";
        JsonNode viaA = solve(Map.of("websiteURL", url, "proxy", lab.httpProxy(ChallengeLab.ACCOUNT_A)));
        int challengesBefore = rays("mine.lab.test").size();

        JsonNode viaB = solve(Map.of("websiteURL", url, "proxy", lab.httpProxy(ChallengeLab.ACCOUNT_B)));

        assertThat(rays("mine.lab.test")).as("the task through B met and solved the challenge")
                .hasSizeGreaterThan(challengesBefore);
        assertThat(viaB.path("cf_clearance").asText()).isNotEqualTo(viaA.path("cf_clearance").asText());
        assertReplayable(url, viaB, ChallengeLab.ACCOUNT_B, ChallengeLab.ACCOUNT_A);
    }

    // ---- failures, each with its own code and description, long before the deadline ----

    private static JsonNode fail(String url, String proxy) throws Exception {
        long start = System.nanoTime();
        JsonNode result = Tasks.run(lab.server.client(), lab.clientKey,
                Map.of("type", "CloudFlare5STask", "websiteURL", url, "proxy", proxy));
        long seconds = (System.nanoTime() - start) / 1_000_000_000L;
        assertThat(result.path("errorId").asInt()).as("%s", result).isNotZero();
        assertThat(seconds).as("ended before the 120 s deadline: %s", result).isLessThan(90);
        return result;
    }

    @Test
    void blockedPageFailsAtOnceSayingSo() throws Exception {
        protectedHost("blocked.lab.test", "managed", new HostHostile(null, false, true, false, 0, false));

        JsonNode result = fail("https://blocked.lab.test/", lab.httpProxy(ChallengeLab.ACCOUNT_A));

        assertThat(result.path("errorCode").asText()).isEqualTo("ERROR_CAPTCHA_UNSOLVABLE");
        assertThat(result.path("errorDescription").asText()).contains("blocked by Cloudflare");
    }

    @Test
    void challengeLoopIsCutAfterCappedAttemptsSayingSo() throws Exception {
        protectedHost("loop.lab.test", "non-interactive",
                new HostHostile(ChallengeLoop.GATE_REJECTS, false, false, false, 0, false));

        JsonNode result = fail("https://loop.lab.test/", lab.httpProxy(ChallengeLab.ACCOUNT_A));

        assertThat(result.path("errorCode").asText()).isEqualTo("ERROR_CAPTCHA_UNSOLVABLE");
        assertThat(result.path("errorDescription").asText()).contains("challenge loop", "3 attempts");
    }

    @Test
    void proxyRefusingConnectionsFailsAsRefused() throws Exception {
        faultyAccount("refuser", ProxyFault.REFUSE);
        protectedHost("faults.lab.test", "managed", null);

        JsonNode result = fail("https://faults.lab.test/", lab.httpProxy("refuser"));

        assertThat(result.path("errorCode").asText()).isEqualTo("ERROR_PROXY_CONNECT_REFUSED");
        assertThat(result.path("errorDescription").asText()).contains("refused");
    }

    @Test
    void stalledProxyFailsAsReadTimeout() throws Exception {
        faultyAccount("staller", ProxyFault.STALL);
        protectedHost("faults.lab.test", "managed", null);

        JsonNode result = fail("https://faults.lab.test/", lab.socksProxy("staller"));

        assertThat(result.path("errorCode").asText()).isEqualTo("ERROR_PROXY_READ_TIMEOUT");
    }

    @Test
    void rejectedCredentialsFailAsNotAuthorised() throws Exception {
        faultyAccount("rejected", ProxyFault.WRONG_CREDENTIALS);
        protectedHost("faults.lab.test", "managed", null);

        JsonNode result = fail("https://faults.lab.test/", lab.httpProxy("rejected"));

        assertThat(result.path("errorCode").asText()).isEqualTo("ERROR_PROXY_NOT_AUTHORISED");
        assertThat(result.path("errorDescription").asText()).contains("rejected the credentials");
    }

    @Test
    void proxyDroppingMidStreamFailsAsAProxyReadFailure() throws Exception {
        faultyAccount("dropper", ProxyFault.DROP);
        protectedHost("faults.lab.test", "managed", null);

        JsonNode result = fail("https://faults.lab.test/", lab.httpProxy("dropper"));

        assertThat(result.path("errorCode").asText()).as("%s", result).isEqualTo("ERROR_PROXY_READ_TIMEOUT");
        assertThat(result.path("errorDescription").asText()).contains("dropped mid-stream");
    }

    @Test
    void proxyAnsweringItsOwnBadGatewayFailsAsAProxyErrorAndCostsNothing() throws Exception {
        assertProxyBadGatewayFailsFree("https://faults.lab.test/");
    }

    /** Over plain HTTP the browser shows the relay's 502 as the page itself: it must not pass for the site's. */
    @Test
    void proxysOwnBadGatewayShownAsAPlainHttpPageIsNotASolution() throws Exception {
        assertProxyBadGatewayFailsFree("http://faults.lab.test/");
    }

    // ---- pages that move on by themselves ----

    /**
     * A page that navigates once loaded (a script at its load event, a meta refresh) is answered where it stays, with
     * that document's own body: the browser no longer holds the first one's.
     */
    @Test
    void aPageThatMovesOnAtItsLoadIsAnsweredWhereItStays() throws Exception {
        lab.lab.admin().registerHost(new LabHost("moves.lab.test", HostKind.PLAIN, null, 0, null));
        lab.lab.admin().registerPage("moves.lab.test", "/landing",
                "<html><head><title>Landed</title></head><body><p id=\"landed\">landed</p></body></html>");
        lab.lab.admin().registerPage("moves.lab.test", "/script",
                "<html><body><script>onload = () => location.href = '/landing';</script></body></html>");
        lab.lab.admin().registerPage("moves.lab.test", "/refresh",
                "<html><head><meta http-equiv=\"refresh\" content=\"0;url=/landing\"></head><body>x</body></html>");

        for (String path : List.of("/script", "/refresh")) {
            JsonNode solution = solve(Map.of("websiteURL", "https://moves.lab.test" + path,
                    "proxy", lab.httpProxy(ChallengeLab.ACCOUNT_A)));

            assertThat(solution.path("url").asText()).as(path).isEqualTo("https://moves.lab.test/landing");
            assertThat(solution.path("status").asInt()).isEqualTo(200);
            assertThat(solution.path("body").asText()).as("the raw body, as served")
                    .isEqualTo("<html><head><title>Landed</title></head><body><p id=\"landed\">landed</p></body></html>");
        }
    }

    /**
     * A page that goes on to an address its proxy will not reach shows the proxy's refusal, not the site's page: the
     * task fails as the proxy's refusal, saying where the page went, and costs nothing.
     */
    @Test
    void aPageThatGoesOnWhereItsProxyWillNotGoFailsAsTheProxysRefusalAndCostsNothing() throws Exception {
        try (LoopbackTrap trap = new LoopbackTrap(5_000)) {
            lab.lab.admin().registerHost(new LabHost("goes-local.lab.test", HostKind.PLAIN, null, 0, null));
            String target = "http://127.0.0.1:" + trap.port() + "/inside";
            lab.lab.admin().registerPage("goes-local.lab.test", "/",
                    "<html><body><script>onload = () => location.href = '" + target + "';</script></body></html>");
            String key = lab.server.createKey(100);

            JsonNode result = Tasks.run(lab.server.client(), key, Map.of("type", "CloudFlare5STask",
                    "websiteURL", "https://goes-local.lab.test/", "proxy", lab.httpProxy(ChallengeLab.ACCOUNT_A)));

            assertThat(result.path("errorCode").asText()).as("%s", result).isEqualTo("ERROR_PROXY_CONNECT_REFUSED");
            assertThat(result.path("errorDescription").asText()).contains(target);
            assertThat(lab.server.client().call("getBalance", Map.of("clientKey", key)).path("balance").asDouble())
                    .isEqualTo(100);
            assertThat(trap.connectionsSoFar()).isZero();
        }
    }

    private static void assertProxyBadGatewayFailsFree(String url) throws Exception {
        faultyAccount("gateway", ProxyFault.BAD_GATEWAY);
        protectedHost("faults.lab.test", "managed", null);
        String key = lab.server.createKey(100);

        JsonNode result = Tasks.run(lab.server.client(), key, Map.of("type", "CloudFlare5STask",
                "websiteURL", url, "proxy", lab.httpProxy("gateway")));

        assertThat(result.path("status").asText()).as("%s", result).isNotEqualTo("ready");
        assertThat(result.path("errorCode").asText()).as("%s", result).isEqualTo("ERROR_PROXY_CONNECT_REFUSED");
        assertThat(result.path("errorDescription").asText()).contains("502 Bad Gateway");
        JsonNode balance = lab.server.client().call("getBalance", Map.of("clientKey", key));
        assertThat(balance.path("balance").asDouble()).as("a failure is never charged: %s", balance).isEqualTo(100);
    }

    private static void faultyAccount(String user, ProxyFault fault) {
        lab.lab.admin().registerProxyAccount(new ProxyAccount(user, user + "-pass", "192.0.2.99", fault));
    }
}
