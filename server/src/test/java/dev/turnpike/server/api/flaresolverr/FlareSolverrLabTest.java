package dev.turnpike.server.api.flaresolverr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.turnpike.fixtures.TestClock;
import dev.turnpike.lab.Lab;
import dev.turnpike.lab.LabOptions;
import dev.turnpike.lab.core.HostKind;
import dev.turnpike.lab.core.LabHost;
import dev.turnpike.lab.proxy.ProxyAccount;
import dev.turnpike.lab.proxy.ProxyFault;
import dev.turnpike.server.browser.OwnProcesses;
import dev.turnpike.server.browser.chromium.ChromiumUnavailableException;
import dev.turnpike.server.config.Config;
import dev.turnpike.server.metrics.TurnpikeMetrics;
import dev.turnpike.server.role.BrowserSolvers;
import dev.turnpike.server.role.LabLink;
import dev.turnpike.server.testing.ApiClient;
import dev.turnpike.server.testing.LoopbackTrap;
import dev.turnpike.server.testing.TestServer;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * FlareSolverr's {@code /v1} against the lab in a real Chromium, wired as the product is ({@link BrowserSolvers}
 * from the settings, keys in the path): every command and parameter of PROTOCOL.md §10, judged by what the lab saw —
 * the clearance replayable by a plain client through the same proxy account, the POST and the cookies arriving at
 * {@code /api/echo}, the proxy's connections, what each request cost.
 */
class FlareSolverrLabTest {

    private static final String A = "lab-a";
    private static final String B = "lab-b";
    private static final long CHALLENGE_PRICE = 20;
    private static final long FETCH_PRICE = 5;

    @TempDir
    static Path profiles;
    static Lab lab;
    static Server main;

    /** A server with its browser solvers, the {@link BrowserSolvers} it built kept to look at its sessions. */
    record Server(TestServer server, BrowserSolvers browsers, String key) implements AutoCloseable {
        JsonNode v1(String key, String json) {
            ApiClient.Answer answer = server.client().send("POST", key + "/v1", json, null);
            return answer.json();
        }

        @Override
        public void close() {
            server.close();
        }
    }

    static Server startServer() throws Exception {
        AtomicReference<BrowserSolvers> built = new AtomicReference<>();
        TestServer.Builder builder = TestServer.builder().noSolver().clock(TestClock.ticking())
                .setting("browser.count", "1")
                .setting("browser.contextsPerBrowser", "4")
                .setting("browser.warmContexts", "1")
                .setting("browser.profileDir", profiles.toString())
                .setting("flaresolverr.enabled", "true")
                .setting("flaresolverr.keyInPath", "true")
                .setting("flaresolverr.sessions.max", "2")
                .setting("flaresolverr.sessions.idleTtl", "30m")
                .setting("price.challenge", Long.toString(CHALLENGE_PRICE))
                .setting("price.fetch", Long.toString(FETCH_PRICE))
                .solverFactory(ctx -> {
                    try {
                        built.set(BrowserSolvers.start(ctx.config(), ctx.clock(), ctx.addressPolicy()));
                        return built.get();
                    } catch (ChromiumUnavailableException e) {
                        throw new IllegalStateException(e.getMessage(), e);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException("interrupted while starting the browser", e);
                    }
                });
        LabLink.of(lab).settings(Config.of(Map.of())).forEach(builder::setting);
        TestServer server = builder.start();
        return new Server(server, built.get(), server.createKey(10_000));
    }

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/lib/chromium/chromium")), "Chromium is not installed");
        lab = Lab.start(LabOptions.defaults().withSeed(31));
        lab.admin().registerProxyAccount(new ProxyAccount(A, "lab-a-pass", "203.0.113.7", ProxyFault.NONE));
        lab.admin().registerProxyAccount(new ProxyAccount(B, "lab-b-pass", "198.51.100.23", ProxyFault.NONE));
        try {
            main = startServer();
        } catch (Exception | Error e) {
            lab.close();
            throw e;
        }
    }

    @AfterAll
    static void stop() {
        if (main != null) {
            main.close();
        }
        if (lab != null) {
            lab.close();
        }
        if (profiles != null) {
            assertThat(OwnProcesses.mentioning(profiles)).isEmpty();
            assertThat(OwnProcesses.profilesIn(profiles)).isEmpty();
        }
    }

    private static String proxy(String account) {
        return "{\"url\":\"http://127.0.0.1:" + lab.proxyHttpPort() + "\",\"username\":\"" + account
                + "\",\"password\":\"" + account + "-pass\"}";
    }

    private static String protectedHost(String host) {
        lab.admin().registerHost(new LabHost(host, HostKind.PROTECTED, "managed", 0, null));
        return "https://" + host + "/";
    }

    private static String plainPage(String host, String html) {
        lab.admin().registerHost(new LabHost(host, HostKind.PLAIN, null, 0, null));
        lab.admin().registerPage(host, "/", html);
        return "https://" + host + "/";
    }

    private static Map<String, String> cookies(JsonNode solution) {
        Map<String, String> out = new LinkedHashMap<>();
        solution.path("cookies").forEach(c -> out.put(c.path("name").asText(), c.path("value").asText()));
        return out;
    }

    private static long proxyConnections(String account, String target) {
        return lab.admin().events().stream().filter(e -> e.type().equals("proxy.connected"))
                .filter(e -> account.equals(e.field("user")))
                .filter(e -> String.valueOf(e.field("target")).startsWith(target)).count();
    }

    // ---- request.get ----

    @Test
    void requestGetPassesTheChallengeWithAReplayableClearanceAndCostsTheChallengePrice() throws Exception {
        String url = protectedHost("fs-get.lab.test");
        long before = main.server().balance(main.key());

        JsonNode answer = main.v1(main.key(), "{\"cmd\":\"request.get\",\"url\":\"" + url + "\",\"proxy\":"
                + proxy(A) + "}");

        assertThat(answer.path("status").asText()).as(answer.toString()).isEqualTo("ok");
        assertThat(answer.path("message").asText()).isEqualTo("Challenge solved!");
        JsonNode s = answer.path("solution");
        assertThat(s.path("url").asText()).isEqualTo(url);
        assertThat(s.path("status").asInt()).isEqualTo(200);
        assertThat(s.path("response").asText()).contains("id=\"lab-ok\"");
        assertThat(s.path("headers").path("content-type").asText()).startsWith("text/html");
        assertThat(s.path("userAgent").asText()).startsWith("Mozilla/5.0").doesNotContain("Headless");
        JsonNode clearance = null;
        for (JsonNode c : s.path("cookies")) {
            if (c.path("name").asText().equals("cf_clearance")) {
                clearance = c;
            }
        }
        assertThat(clearance).isNotNull();
        assertThat(clearance.path("domain").asText()).isEqualTo(".fs-get.lab.test");
        assertThat(clearance.path("httpOnly").asBoolean()).isTrue();
        assertThat(clearance.path("secure").asBoolean()).isTrue();
        assertThat(clearance.path("session").asBoolean()).isFalse();
        assertThat(clearance.has("expires")).isTrue();
        assertThat(clearance.path("expiry").isIntegralNumber()).as("Selenium's expiry, as FlareSolverr 3 answers").isTrue();
        assertThat(clearance.path("expiry").asLong()).isEqualTo((long) clearance.path("expires").asDouble());
        assertThat(clearance.has("size")).isTrue();
        assertThat(clearance.path("sameSite").asText()).isEqualTo("None");

        HttpResponse<String> replay = replay(url, A, s.path("userAgent").asText(), cookies(s));
        assertThat(replay.statusCode()).isEqualTo(200);
        assertThat(replay.body()).contains("id=\"lab-ok\"");
        assertThat(before - main.server().balance(main.key())).isEqualTo(CHALLENGE_PRICE);
    }

    @Test
    void aPlainPageReachedWithoutAProxyIsNotAChallengeAndCostsTheFetchPrice() throws Exception {
        String url = plainPage("fs-plain.lab.test", "<!DOCTYPE html><html><head><title>Plain</title></head>"
                + "<body><p id=\"plain\">plain page</p><script>document.body.dataset.js = 'ran';</script></body></html>");
        long before = main.server().balance(main.key());

        JsonNode answer = main.v1(main.key(), "{\"cmd\":\"request.get\",\"url\":\"" + url
                + "\",\"waitInSeconds\":1,\"returnScreenshot\":true}");

        assertThat(answer.path("message").asText()).as(answer.toString()).isEqualTo("Challenge not detected!");
        JsonNode s = answer.path("solution");
        assertThat(s.path("status").asInt()).isEqualTo(200);
        assertThat(s.path("response").asText()).contains("id=\"plain\"").contains("data-js=\"ran\""); // as rendered
        byte[] png = Base64.getDecoder().decode(s.path("screenshot").asText());
        assertThat(png).startsWith(0x89, 'P', 'N', 'G');
        assertThat(answer.path("endTimestamp").asLong() - answer.path("startTimestamp").asLong()).isGreaterThanOrEqualTo(1000);
        assertThat(before - main.server().balance(main.key())).isEqualTo(FETCH_PRICE);
    }

    @Test
    void returnOnlyCookiesAnswersCookiesWithoutThePage() throws Exception {
        String url = plainPage("fs-only-cookies.lab.test", "<html><body>x</body></html>");
        JsonNode s = main.v1(main.key(), "{\"cmd\":\"request.get\",\"url\":\"" + url + "\",\"returnOnlyCookies\":true,"
                + "\"cookies\":[{\"name\":\"kept\",\"value\":\"1\"}]}").path("solution");
        assertThat(s.has("response")).isFalse();
        assertThat(s.has("headers")).isFalse();
        assertThat(cookies(s)).containsEntry("kept", "1");
    }

    @Test
    void cookiesAreSetBeforeTheNavigationAndReachTheSite() throws Exception {
        String url = protectedHost("fs-cookies.lab.test") + "api/echo";
        JsonNode answer = main.v1(main.key(), "{\"cmd\":\"request.get\",\"url\":\"" + url + "\",\"proxy\":" + proxy(A)
                + ",\"cookies\":[{\"name\":\"mine\",\"value\":\"42\"},{\"name\":\"scoped\",\"value\":\"yes\","
                + "\"domain\":\".fs-cookies.lab.test\",\"path\":\"/api\"}]}");
        assertThat(answer.path("message").asText()).as(answer.toString()).isEqualTo("Challenge solved!");
        String echoed = answer.path("solution").path("response").asText();
        assertThat(echoed).contains("\"mine\":\"42\"").contains("\"scoped\":\"yes\"");
    }

    @Test
    void disableMediaLoadsNeitherImagesNorStylesheets() throws Exception {
        lab.admin().registerHost(new LabHost("fs-pics.lab.test", HostKind.PLAIN, null, 0, null));
        lab.admin().registerHost(new LabHost("fs-css.lab.test", HostKind.PLAIN, null, 0, null));
        String html = "<html><head><link rel=\"stylesheet\" href=\"https://fs-css.lab.test/s.css\"></head><body>"
                + "<img src=\"https://fs-pics.lab.test/a.png\"></body></html>";
        String blocked = plainPage("fs-media-off.lab.test", html);
        String loaded = plainPage("fs-media-on.lab.test", html);

        main.v1(main.key(), "{\"cmd\":\"request.get\",\"url\":\"" + blocked + "\",\"proxy\":" + proxy(B)
                + ",\"disableMedia\":true}");
        assertThat(proxyConnections(B, "fs-pics.lab.test")).isZero();
        assertThat(proxyConnections(B, "fs-css.lab.test")).isZero();

        main.v1(main.key(), "{\"cmd\":\"request.get\",\"url\":\"" + loaded + "\",\"proxy\":" + proxy(B) + "}");
        assertThat(proxyConnections(B, "fs-pics.lab.test")).isPositive();
        assertThat(proxyConnections(B, "fs-css.lab.test")).isPositive();
    }

    // ---- pages that move on by themselves ----

    /** A page that navigates once loaded (a script at its load event, a meta refresh) is answered where it stays. */
    @Test
    void aPageThatMovesOnAtItsLoadIsAnsweredWhereItStays() throws Exception {
        String landing = "<html><head><title>Landed</title></head><body><p id=\"landed\">landed</p></body></html>";
        lab.admin().registerHost(new LabHost("fs-moves.lab.test", HostKind.PLAIN, null, 0, null));
        lab.admin().registerPage("fs-moves.lab.test", "/landing", landing);
        lab.admin().registerPage("fs-moves.lab.test", "/script",
                "<html><body><script>onload = () => location.href = '/landing';</script></body></html>");
        lab.admin().registerPage("fs-moves.lab.test", "/refresh",
                "<html><head><meta http-equiv=\"refresh\" content=\"0;url=/landing\"></head><body>x</body></html>");

        for (String path : new String[] {"/script", "/refresh"}) {
            JsonNode answer = main.v1(main.key(), "{\"cmd\":\"request.get\",\"url\":\"https://fs-moves.lab.test"
                    + path + "\"}");
            assertThat(answer.path("status").asText()).as("%s: %s", path, answer).isEqualTo("ok");
            JsonNode s = answer.path("solution");
            assertThat(s.path("url").asText()).as(path).isEqualTo("https://fs-moves.lab.test/landing");
            assertThat(s.path("status").asInt()).isEqualTo(200);
            assertThat(s.path("response").asText()).contains("id=\"landed\"");
        }
    }

    /**
     * A page that goes on by itself to an address the policy refuses (over http, where the browser shows the relay's
     * refusal as a page, and over https, where it shows its error page) is not answered as the site's page: the
     * request fails saying where the page went, nothing connects there, and it costs nothing.
     */
    @Test
    void aPageThatGoesOnToARefusedAddressFailsWithoutReachingItAndCostsNothing() throws Exception {
        try (LoopbackTrap trap = new LoopbackTrap(5_000)) {
            lab.admin().registerHost(new LabHost("fs-goes-local.lab.test", HostKind.PLAIN, null, 0, null));
            // At its load, over http and https; and later, while the request waits (waitInSeconds).
            for (String scheme : new String[] {"http", "https", "https-later"}) {
                boolean later = scheme.endsWith("-later");
                String target = scheme.replace("-later", "") + "://127.0.0.1:" + trap.port() + "/inside";
                String go = "location.href = '" + target + "'";
                lab.admin().registerPage("fs-goes-local.lab.test", "/" + scheme, "<html><body><script>"
                        + (later ? "setTimeout(() => " + go + ", 300)" : "onload = () => " + go) + ";</script></body></html>");
                long before = main.server().balance(main.key());

                ApiClient.Answer answer = main.server().client().send("POST", main.key() + "/v1",
                        "{\"cmd\":\"request.get\",\"url\":\"https://fs-goes-local.lab.test/" + scheme + "\""
                        + (later ? ",\"waitInSeconds\":2" : "") + "}", null);

                assertThat(answer.status()).as(answer.json().toString()).isEqualTo(500);
                assertThat(answer.json().path("message").asText()).contains(target)
                        .contains("address not allowed (address 127.0.0.1 is loopback)");
                assertThat(main.server().balance(main.key())).isEqualTo(before);
            }
            assertThat(trap.connectionsSoFar()).isZero();
        }
    }

    // ---- tabs_till_verify: the page's Turnstile widget ----

    @Test
    void tabsTillVerifyAnswersTheTokenOfTheWidgetBehindTheChallengeAndCostsTheChallengePrice() throws Exception {
        String url = protectedHost("fs-widget.lab.test") + "form";
        long before = main.server().balance(main.key());
        JsonNode answer = main.v1(main.key(), "{\"cmd\":\"request.get\",\"url\":\"" + url + "\",\"proxy\":" + proxy(A)
                + ",\"tabs_till_verify\":3}");
        assertThat(answer.path("status").asText()).as(answer.toString()).isEqualTo("ok");
        assertThat(answer.path("message").asText()).isEqualTo("Challenge solved!");
        JsonNode s = answer.path("solution");
        String token = s.path("turnstile_token").asText("");
        assertThat(token).isNotEmpty();
        assertThat(s.path("response").asText()).as("the page as rendered, with its widget").contains("cf-turnstile");
        assertThat(main.server().balance(main.key())).isEqualTo(before - CHALLENGE_PRICE);
    }

    @Test
    void tabsTillVerifyOnAnUngatedWidgetPageIsChargedAsASolvedRequest() throws Exception {
        lab.admin().registerHost(new LabHost("fs-form.lab.test", HostKind.TURNSTILE_FORM, null, 0, null));
        long before = main.server().balance(main.key());
        JsonNode answer = main.v1(main.key(), "{\"cmd\":\"request.get\",\"url\":\"https://fs-form.lab.test/form\","
                + "\"proxy\":" + proxy(A) + ",\"tabs_till_verify\":1}");
        assertThat(answer.path("message").asText()).as(answer.toString()).isEqualTo("Challenge not detected!");
        assertThat(answer.path("solution").path("turnstile_token").asText("")).isNotEmpty();
        assertThat(main.server().balance(main.key())).isEqualTo(before - CHALLENGE_PRICE);
    }

    @Test
    void tabsTillVerifyOnAPageWithoutAWidgetAnswersNoTokenAsFlareSolverrDoes() throws Exception {
        String url = plainPage("fs-nowidget.lab.test", "<html><body><p>no widget here</p></body></html>");
        long before = main.server().balance(main.key());
        JsonNode answer = main.v1(main.key(), "{\"cmd\":\"request.get\",\"url\":\"" + url
                + "\",\"tabs_till_verify\":1}");
        assertThat(answer.path("status").asText()).as(answer.toString()).isEqualTo("ok");
        assertThat(answer.path("message").asText()).isEqualTo("Challenge not detected!");
        assertThat(answer.path("solution").has("turnstile_token")).isTrue();
        assertThat(answer.path("solution").path("turnstile_token").isNull()).isTrue();
        assertThat(answer.path("solution").path("response").asText()).contains("no widget here");
        assertThat(main.server().balance(main.key())).isEqualTo(before - FETCH_PRICE);
    }

    // ---- request.post ----

    @Test
    void requestPostSendsTheUrlencodedFormFromTheClearedPage() throws Exception {
        String url = protectedHost("fs-post.lab.test") + "api/echo";
        JsonNode answer = main.v1(main.key(), "{\"cmd\":\"request.post\",\"url\":\"" + url + "\",\"proxy\":" + proxy(A)
                + ",\"postData\":\"a=1&b=two%20words\"}");
        assertThat(answer.path("status").asText()).as(answer.toString()).isEqualTo("ok");
        JsonNode s = answer.path("solution");
        assertThat(s.path("status").asInt()).isEqualTo(200);
        JsonNode echo = ApiClient.mapper().readTree(s.path("response").asText());
        assertThat(echo.path("method").asText()).isEqualTo("POST");
        assertThat(echo.path("contentType").asText()).startsWith("application/x-www-form-urlencoded");
        assertThat(echo.path("form").toString()).contains("{\"name\":\"a\",\"value\":\"1\"}")
                .contains("{\"name\":\"b\",\"value\":\"two words\"}");
        // The POST met the gate: the challenge was passed first, then the form went with the clearance.
        assertThat(answer.path("message").asText()).isEqualTo("Challenge solved!");
        assertThat(echo.path("cookies").toString()).contains("cf_clearance");
    }

    // ---- failures ----

    @Test
    void aBlockedSiteAnswersFlareSolverrsBlockTextAndCostsNothing() throws Exception {
        lab.admin().registerHost(new LabHost("fs-blocked.lab.test", HostKind.BLOCKED, null, 0, null));
        long before = main.server().balance(main.key());
        ApiClient.Answer answer = main.server().client().send("POST", main.key() + "/v1",
                "{\"cmd\":\"request.get\",\"url\":\"https://fs-blocked.lab.test/\",\"proxy\":" + proxy(A) + "}", null);
        assertThat(answer.status()).isEqualTo(500);
        assertThat(answer.json().path("message").asText()).startsWith("Error: Error solving the challenge. Cloudflare has"
                + " blocked this request.");
        assertThat(main.server().balance(main.key())).isEqualTo(before);
    }

    // ---- sessions ----

    @Test
    void aSessionKeepsItsCookiesAndTheProxyItWasMadeWith() throws Exception {
        String url = protectedHost("fs-session.lab.test");
        JsonNode created = main.v1(main.key(), "{\"cmd\":\"sessions.create\",\"session\":\"s1\",\"proxy\":" + proxy(A) + "}");
        assertThat(created.path("message").asText()).as(created.toString()).isEqualTo("Session created successfully.");
        assertThat(created.path("session").asText()).isEqualTo("s1");
        assertThat(main.v1(main.key(), "{\"cmd\":\"sessions.create\",\"session\":\"s1\"}").path("message").asText())
                .isEqualTo("Session already exists.");
        // The operator sees it: metrics (and, from them, the status page) read the pool's sessions.
        TurnpikeMetrics metrics = main.server().standalone().operator().metrics();
        assertThat(metrics.sessions().orElseThrow().count()).isEqualTo(1);
        assertThat(metrics.sessions().orElseThrow().max()).isEqualTo(2);
        assertThat(metrics.scrape()).contains("turnpike_flaresolverr_sessions 1.0");
        try {
            JsonNode first = main.v1(main.key(), "{\"cmd\":\"request.get\",\"url\":\"" + url + "\",\"session\":\"s1\"}");
            assertThat(first.path("message").asText()).as(first.toString()).isEqualTo("Challenge solved!");
            // The request names another proxy: the session's is kept, and so is the clearance bound to its exit IP.
            JsonNode second = main.v1(main.key(), "{\"cmd\":\"request.get\",\"url\":\"" + url
                    + "\",\"session\":\"s1\",\"proxy\":" + proxy(B) + "}");
            assertThat(second.path("message").asText()).as(second.toString()).isEqualTo("Challenge not detected!");
            assertThat(cookies(second.path("solution")).get("cf_clearance"))
                    .isEqualTo(cookies(first.path("solution")).get("cf_clearance"));
            assertThat(proxyConnections(B, "fs-session.lab.test")).isZero();

            String other = main.server().createKey(100);
            assertThat(main.v1(other, "{\"cmd\":\"sessions.list\"}").path("sessions")).isEmpty();
            assertThat(main.v1(main.key(), "{\"cmd\":\"sessions.list\"}").path("sessions").toString()).isEqualTo("[\"s1\"]");
            assertThat(main.v1(other, "{\"cmd\":\"sessions.destroy\",\"session\":\"s1\"}").path("message").asText())
                    .isEqualTo("Error: The session doesn't exist.");
        } finally {
            JsonNode destroyed = main.v1(main.key(), "{\"cmd\":\"sessions.destroy\",\"session\":\"s1\"}");
            assertThat(destroyed.path("message").asText()).isEqualTo("The session has been removed.");
        }
        assertThat(main.v1(main.key(), "{\"cmd\":\"sessions.list\"}").path("sessions")).isEmpty();
        assertThat(main.browsers().sessions().count()).isZero();
    }

    @Test
    void sessionTtlMinutesMakesAnOlderSessionAnew() throws Exception {
        String url = protectedHost("fs-ttl.lab.test");
        main.v1(main.key(), "{\"cmd\":\"sessions.create\",\"session\":\"ttl\",\"proxy\":" + proxy(A) + "}");
        try {
            assertThat(main.v1(main.key(), "{\"cmd\":\"request.get\",\"url\":\"" + url + "\",\"session\":\"ttl\"}")
                    .path("message").asText()).isEqualTo("Challenge solved!");
            main.server().advance(Duration.ofMinutes(2));
            JsonNode again = main.v1(main.key(), "{\"cmd\":\"request.get\",\"url\":\"" + url
                    + "\",\"session\":\"ttl\",\"session_ttl_minutes\":1}");
            assertThat(again.path("message").asText()).as("a new context: its cookies are gone")
                    .isEqualTo("Challenge solved!");
        } finally {
            main.v1(main.key(), "{\"cmd\":\"sessions.destroy\",\"session\":\"ttl\"}");
        }
    }

    @Test
    void sessionsAreCappedSoTasksAlwaysKeepASlotAndAnUnusedOneExpires() throws Exception {
        assertThat(main.v1(main.key(), "{\"cmd\":\"sessions.create\"}").path("status").asText()).isEqualTo("ok");
        assertThat(main.v1(main.key(), "{\"cmd\":\"sessions.create\"}").path("status").asText()).isEqualTo("ok");
        JsonNode third = main.v1(main.key(), "{\"cmd\":\"sessions.create\"}");
        assertThat(third.path("status").asText()).isEqualTo("error");
        assertThat(third.path("message").asText()).isEqualTo("Error: No more than 2 sessions may exist at once;"
                + " destroy one first.");
        String url = plainPage("fs-capped.lab.test", "<html><body>still served</body></html>");
        assertThat(main.v1(main.key(), "{\"cmd\":\"request.get\",\"url\":\"" + url + "\"}").path("status").asText())
                .isEqualTo("ok");
        assertThat(main.browsers().pool().stats().browsers().get(0).busy()).isGreaterThanOrEqualTo(2);

        main.server().advance(Duration.ofMinutes(31)); // the housekeeping, on the server's clock
        assertThat(main.v1(main.key(), "{\"cmd\":\"sessions.list\"}").path("sessions")).isEmpty();
        assertThat(main.browsers().sessions().count()).isZero();
    }

    @Test
    void sessionsAreDestroyedWhenTheServerStops() throws Exception {
        try (Server other = startServer()) {
            other.v1(other.key(), "{\"cmd\":\"sessions.create\",\"session\":\"left\"}");
            assertThat(other.browsers().sessions().count()).isEqualTo(1);
            other.server().close();
            assertThat(other.browsers().sessions().count()).isZero();
            assertThat(other.browsers().pool().isClosed()).isTrue();
        }
    }

    /** A plain Java client (not a browser) through the lab's proxy as {@code account}: LAB.md's pass rule. */
    private static HttpResponse<String> replay(String url, String account, String userAgent, Map<String, String> cookies)
            throws Exception {
        HttpClient client = HttpClient.newBuilder()
                .proxy(ProxySelector.of(new InetSocketAddress("127.0.0.1", lab.proxyHttpPort())))
                .authenticator(new java.net.Authenticator() {
                    @Override
                    protected java.net.PasswordAuthentication getPasswordAuthentication() {
                        return new java.net.PasswordAuthentication(account, (account + "-pass").toCharArray());
                    }
                })
                .sslContext(lab.clientSslContext()).version(HttpClient.Version.HTTP_1_1).build();
        try (client) {
            Map<String, String> headers = new HashMap<>(Map.of("user-agent", userAgent));
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20));
            headers.forEach(request::header);
            request.header("cookie", String.join("; ", cookies.entrySet().stream()
                    .map(e -> e.getKey() + "=" + e.getValue()).toList()));
            return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        }
    }
}
