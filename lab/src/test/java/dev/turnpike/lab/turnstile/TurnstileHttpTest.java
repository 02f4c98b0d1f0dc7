package dev.turnpike.lab.turnstile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.turnpike.lab.Lab;
import dev.turnpike.lab.LabHttp;
import dev.turnpike.lab.LabOptions;
import dev.turnpike.fixtures.TestClock;
import dev.turnpike.lab.core.Sitekey;
import dev.turnpike.lab.core.SitekeyHostile;
import dev.turnpike.lab.core.SiteverifyFault;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Turnstile without a browser: the widget's two steps, tokens and siteverify, over HTTP. */
class TurnstileHttpTest {

    static final String CHALLENGES = "challenges.cloudflare.com";
    static final String UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36";
    static final ObjectMapper JSON = new ObjectMapper();
    static final TestClock CLOCK = new TestClock(Instant.parse("2026-03-01T12:00:00Z"));
    static Lab lab;
    static LabHttp http;

    static final String SITEKEY = "0x4AAAAAAAtestSitekeyA";
    static final String SECRET = "0x4AAAAAAAtestSecretA";

    @BeforeAll
    static void start() {
        lab = Lab.start(LabOptions.defaults().withSeed(11).withClock(CLOCK));
        http = new LabHttp(lab);
    }

    @AfterAll
    static void stop() {
        lab.close();
    }

    @BeforeEach
    void freshLab() {
        lab.admin().reset();
        lab.admin().registerSitekey(new Sitekey(SITEKEY, SECRET, java.util.List.of("shop.lab.test"), null, 8, 0, null));
    }

    // ---- helpers ----

    JsonNode post(String path, Object body, String ua) throws Exception {
        var request = http.request(CHALLENGES, path).header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        if (ua != null) {
            request.header("User-Agent", ua);
        }
        HttpResponse<String> response = http.send(request.build());
        assertThat(response.statusCode()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    JsonNode chl(String sitekey, String url, String action, String cData) throws Exception {
        return post("/cdn-cgi/challenge-platform/h/b/lab/chl", Map.of("sitekey", sitekey, "wid", "abcde", "url", url,
                "action", action, "cData", cData, "ua", UA), UA);
    }

    JsonNode solve(JsonNode chl, Object trustedClick, String ua) throws Exception {
        var body = new java.util.HashMap<String, Object>();
        body.put("chlId", chl.get("chlId").asText());
        body.put("n", ProofOfWork.solve(chl.get("seed").asText(), chl.get("bits").asInt()));
        body.put("trustedClick", trustedClick);
        body.put("ua", ua);
        return post("/cdn-cgi/challenge-platform/h/b/lab/solve", body, ua);
    }

    String token(String sitekey, String action, String cData) throws Exception {
        JsonNode answer = solve(chl(sitekey, "https://shop.lab.test/checkout", action, cData), null, UA);
        assertThat(answer.has("token")).as(answer.toString()).isTrue();
        return answer.get("token").asText();
    }

    JsonNode siteverify(String contentType, String body) throws Exception {
        HttpResponse<String> response = http.post(CHALLENGES, "/turnstile/v0/siteverify", contentType, body);
        assertThat(response.statusCode()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    JsonNode verify(String secret, String response) throws Exception {
        return siteverify("application/json", JSON.writeValueAsString(Map.of("secret", secret, "response", response)));
    }

    static String errors(JsonNode answer) {
        return answer.get("error-codes").toString();
    }

    // ---- the widget's steps and tokens ----

    @Test
    void apiJsIsServedAsJavaScript() throws Exception {
        HttpResponse<String> response = http.get(CHALLENGES, "/turnstile/v0/api.js?render=explicit");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/javascript");
        assertThat(response.body()).contains("window.turnstile").doesNotContain("/*LAB_DOM*/");
    }

    @Test
    void tokenIsAcceptedOnceWithHostnameActionAndCdata() throws Exception {
        Instant issuedAt = CLOCK.instant();
        String token = token(SITEKEY, "login", "order-42");
        assertThat(token).matches("^0\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]{22}\\.[0-9a-f]{64}$").hasSizeLessThanOrEqualTo(2048);
        JsonNode first = verify(SECRET, token);
        assertThat(first.get("success").asBoolean()).isTrue();
        assertThat(first.get("hostname").asText()).isEqualTo("shop.lab.test");
        assertThat(first.get("action").asText()).isEqualTo("login");
        assertThat(first.get("cdata").asText()).isEqualTo("order-42");
        assertThat(first.get("challenge_ts").asText()).isEqualTo(issuedAt.toString().replace("Z", ".000Z"));
        assertThat(first.get("metadata").get("interactive").asBoolean()).isFalse();
        assertThat(errors(first)).isEqualTo("[]");
    }

    @Test
    void tokenIsRefusedTheSecondTime() throws Exception {
        String token = token(SITEKEY, "", "");
        assertThat(verify(SECRET, token).get("success").asBoolean()).isTrue();
        JsonNode second = verify(SECRET, token);
        assertThat(second.get("success").asBoolean()).isFalse();
        assertThat(errors(second)).isEqualTo("[\"timeout-or-duplicate\"]");
        assertThat(second.get("messages").isArray()).isTrue();
    }

    @Test
    void tamperedTokenIsRefused() throws Exception {
        String token = token(SITEKEY, "login", "");
        String forged = token.replaceFirst("^0\\.[A-Za-z0-9_-]+\\.", "0." + java.util.Base64.getUrlEncoder()
                .withoutPadding().encodeToString("{\"jti\":\"x\",\"sk\":\"0x4AAAAAAAtestSitekeyA\",\"host\":\"shop.lab.test\",\"action\":\"admin\",\"cdata\":\"\",\"iat\":0,\"exp\":99999999999999,\"wid\":\"abcde\",\"interactive\":false}".getBytes()) + ".");
        assertThat(errors(verify(SECRET, forged))).isEqualTo("[\"invalid-input-response\"]");
        char last = token.charAt(token.length() - 1);
        String badMac = token.substring(0, token.length() - 1) + (last == '0' ? '1' : '0');
        assertThat(errors(verify(SECRET, badMac))).isEqualTo("[\"invalid-input-response\"]");
        assertThat(errors(verify(SECRET, "0." + "a".repeat(2100)))).isEqualTo("[\"invalid-input-response\"]");
        // The untouched token still works: refusals do not spend it.
        assertThat(verify(SECRET, token).get("success").asBoolean()).isTrue();
    }

    @Test
    void tokenExpiresAfter300SecondsOfTheLabClock() throws Exception {
        String token = token(SITEKEY, "", "");
        CLOCK.advance(Duration.ofSeconds(301));
        assertThat(errors(verify(SECRET, token))).isEqualTo("[\"timeout-or-duplicate\"]");
    }

    @Test
    void siteverifyChecksInOrder() throws Exception {
        assertThat(errors(siteverify("application/json", "{not json"))).isEqualTo("[\"bad-request\"]");
        assertThat(errors(siteverify("application/json", "{}"))).isEqualTo("[\"missing-input-secret\"]");
        assertThat(errors(siteverify("application/json", "{\"secret\":\"nope-nope\",\"response\":\"x\"}")))
                .isEqualTo("[\"invalid-input-secret\"]");
        String token = token(SITEKEY, "", "");
        assertThat(errors(verify(TestKeys.SECRET_PASSES, token))).isEqualTo("[\"invalid-input-secret\"]");
        assertThat(errors(siteverify("application/json", "{\"secret\":\"" + SECRET + "\"}")))
                .isEqualTo("[\"missing-input-response\"]");
        assertThat(errors(verify(SECRET, "garbage"))).isEqualTo("[\"invalid-input-response\"]");
        String other = "0x4AAAAAAAtestSitekeyB";
        lab.admin().registerSitekey(Sitekey.managed(other, "0x4AAAAAAAtestSecretB", "shop.lab.test"));
        String otherToken = token(other, "", "");
        assertThat(errors(verify(SECRET, otherToken))).isEqualTo("[\"invalid-input-response\"]");
        assertThat(lab.admin().events().stream().filter(e -> e.type().equals("token.rejected")).map(e -> e.field("reason")))
                .containsSubsequence("bad-request", "missing-input-secret", "invalid-input-secret",
                        "invalid-input-secret", "missing-input-response", "invalid-input-response");
    }

    @Test
    void siteverifyTakesAFormBody() throws Exception {
        String token = token(SITEKEY, "", "");
        JsonNode answer = siteverify("application/x-www-form-urlencoded",
                "secret=" + SECRET + "&response=" + token + "&remoteip=203.0.113.7");
        assertThat(answer.get("success").asBoolean()).isTrue();
        assertThat(errors(siteverify("text/xml", "<x/>"))).isEqualTo("[\"bad-request\"]");
    }

    @Test
    void sameIdempotencyKeyReturnsTheFirstAnswerAgain() throws Exception {
        String token = token(SITEKEY, "", "");
        String body = JSON.writeValueAsString(Map.of("secret", SECRET, "response", token,
                "idempotency_key", "4d8e3b7e-6a3c-4f0e-9d1a-2b3c4d5e6f70"));
        assertThat(siteverify("application/json", body).get("success").asBoolean()).isTrue();
        assertThat(siteverify("application/json", body).get("success").asBoolean()).isTrue();
        assertThat(errors(verify(SECRET, token))).isEqualTo("[\"timeout-or-duplicate\"]");
        CLOCK.advance(Duration.ofSeconds(301));
        assertThat(siteverify("application/json", body).get("success").asBoolean()).isFalse();
    }

    @Test
    void testKeysBehaveAsDocumented() throws Exception {
        JsonNode pass = solve(chl(TestKeys.PASS_VISIBLE, "https://anything.example/", "", ""), null, UA);
        assertThat(pass.get("token").asText()).isEqualTo(TestKeys.DUMMY_TOKEN);
        assertThat(solve(chl(TestKeys.PASS_INVISIBLE, "https://x.test/", "", ""), null, UA).get("token").asText())
                .isEqualTo(TestKeys.DUMMY_TOKEN);
        assertThat(chl(TestKeys.FAIL_VISIBLE, "https://x.test/", "", "").get("fail").asInt()).isEqualTo(600010);
        assertThat(chl(TestKeys.FAIL_INVISIBLE, "https://x.test/", "", "").get("fail").asInt()).isEqualTo(600010);
        JsonNode forced = chl(TestKeys.FORCE_INTERACTIVE, "https://x.test/", "", "");
        assertThat(forced.get("interactive").asBoolean()).isTrue();
        assertThat(solve(forced, null, UA).get("fail").asInt()).isEqualTo(600010);

        JsonNode ok = verify(TestKeys.SECRET_PASSES, TestKeys.DUMMY_TOKEN);
        assertThat(ok.get("success").asBoolean()).isTrue();
        assertThat(ok.get("hostname").asText()).isEqualTo("example.com");
        assertThat(errors(verify(TestKeys.SECRET_FAILS, TestKeys.DUMMY_TOKEN))).isEqualTo("[\"invalid-input-response\"]");
        assertThat(errors(verify(TestKeys.SECRET_SPENT, TestKeys.DUMMY_TOKEN))).isEqualTo("[\"timeout-or-duplicate\"]");
        assertThat(errors(verify(SECRET, TestKeys.DUMMY_TOKEN))).isEqualTo("[\"invalid-input-response\"]");
    }

    @Test
    void widgetRefusesBadParametersAndForeignDomains() throws Exception {
        assertThat(chl("0x4AAAAAAAunknownKey", "https://shop.lab.test/", "", "").get("fail").asInt()).isEqualTo(110100);
        assertThat(chl(SITEKEY, "https://evil.lab.test/", "", "").get("fail").asInt()).isEqualTo(110200);
        assertThat(chl(SITEKEY, "https://www.shop.lab.test/", "", "").has("chlId")).isTrue();
        assertThat(chl(SITEKEY, "https://shop.lab.test/", "Bad Action!", "").get("fail").asInt()).isEqualTo(110420);
        assertThat(chl(SITEKEY, "https://shop.lab.test/", "", "bad cdata").get("fail").asInt()).isEqualTo(110430);
    }

    @Test
    void userAgentChangeBetweenStepsFails110510() throws Exception {
        JsonNode chl = chl(SITEKEY, "https://shop.lab.test/", "", "");
        assertThat(solve(chl, null, UA.replace("156", "155")).get("fail").asInt()).isEqualTo(110510);
    }

    @Test
    void wrongProofOfWorkIsRefused() throws Exception {
        lab.admin().registerSitekey(new Sitekey(SITEKEY, SECRET, java.util.List.of("shop.lab.test"), null, 20, 0, null));
        JsonNode chl = chl(SITEKEY, "https://shop.lab.test/", "", "");
        String seed = chl.get("seed").asText();
        String wrong = "0";
        while (ProofOfWork.verify(seed, wrong, 20)) {
            wrong = wrong + "1";
        }
        JsonNode answer = post("/cdn-cgi/challenge-platform/h/b/lab/solve",
                Map.of("chlId", chl.get("chlId").asText(), "n", wrong, "ua", UA), UA);
        assertThat(answer.get("fail").asInt()).isEqualTo(600010);
    }

    // ---- proof-of-work seeds replayed for benchmarks ----

    List<String> seeds(int n) throws Exception {
        List<String> seeds = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            seeds.add(chl(SITEKEY, "https://shop.lab.test/", "", "").get("seed").asText());
        }
        return seeds;
    }

    @Test
    void replayedProofOfWorkSeedsAreTheSameSequenceEachTimeAndStillVerify() throws Exception {
        lab.admin().replayPowSeeds(42L);
        List<String> first = seeds(3);
        chl(SITEKEY, "https://shop.lab.test/", "", ""); // other randomness in between: the sequence is its own
        lab.admin().replayPowSeeds(42L);
        List<String> again = seeds(3);
        assertThat(again).isEqualTo(first).doesNotHaveDuplicates();
        lab.admin().replayPowSeeds(43L);
        assertThat(seeds(3)).doesNotContainAnyElementsOf(first);
        // A replayed seed is an ordinary challenge: its proof of work verifies, and the token is good.
        lab.admin().replayPowSeeds(42L);
        JsonNode answer = solve(chl(SITEKEY, "https://shop.lab.test/", "", ""), null, UA);
        assertThat(answer.has("token")).as(answer.toString()).isTrue();
    }

    @Test
    void seedsAreRandomAgainWhenReplayIsTurnedOffOrTheLabReset() throws Exception {
        lab.admin().replayPowSeeds(42L);
        List<String> replayed = seeds(2);
        lab.admin().replayPowSeeds(null);
        assertThat(seeds(2)).doesNotContainAnyElementsOf(replayed);
        lab.admin().replayPowSeeds(42L);
        lab.admin().reset();
        lab.admin().registerSitekey(new Sitekey(SITEKEY, SECRET, java.util.List.of("shop.lab.test"), null, 8, 0, null));
        assertThat(seeds(2)).doesNotContainAnyElementsOf(replayed);
    }

    @Test
    void theAdminApiTurnsReplayOnAndOffAndRefusesAnythingElse() throws Exception {
        assertThat(http.admin("POST", "/pow-seeds", "{\"replay\": 7}").statusCode()).isEqualTo(200);
        List<String> first = seeds(2);
        assertThat(http.admin("POST", "/pow-seeds", "{\"replay\": 7}").statusCode()).isEqualTo(200);
        assertThat(seeds(2)).isEqualTo(first);
        assertThat(http.admin("POST", "/pow-seeds", "{\"replay\": null}").statusCode()).isEqualTo(200);
        assertThat(seeds(2)).doesNotContainAnyElementsOf(first);
        for (String bad : List.of("{\"replay\": \"7\"}", "{\"replay\": 1.5}", "{}")) {
            HttpResponse<String> refused = http.admin("POST", "/pow-seeds", bad);
            assertThat(refused.statusCode()).as(bad).isEqualTo(400);
            assertThat(refused.body()).contains("replay must be an integer or null");
        }
    }

    // ---- hostile modes of sitekeys (LAB.md L4) ----

    void hostile(SitekeyHostile hostile) {
        lab.admin().setSitekeyHostile(SITEKEY, hostile);
    }

    @Test
    void alwaysFailGivesNoToken() throws Exception {
        hostile(SitekeyHostile.NONE.withAlwaysFail(true));
        assertThat(chl(SITEKEY, "https://shop.lab.test/", "", "").get("fail").asInt()).isEqualTo(600010);
    }

    @Test
    void interactiveOnlyRefusesUntrustedClicksAndLateClicks() throws Exception {
        hostile(SitekeyHostile.NONE.withInteractiveOnly(5_000));
        JsonNode chl = chl(SITEKEY, "https://shop.lab.test/", "", "");
        assertThat(chl.get("interactive").asBoolean()).isTrue();
        assertThat(solve(chl, Map.of("isTrusted", false, "type", "click", "x", 10, "y", 10), UA).get("fail").asInt())
                .isEqualTo(600010);
        JsonNode late = chl(SITEKEY, "https://shop.lab.test/", "", "");
        CLOCK.advance(Duration.ofSeconds(6));
        assertThat(solve(late, Map.of("isTrusted", true, "type", "click", "x", 20, "y", 30), UA).get("fail").asInt())
                .isEqualTo(110600);
        JsonNode inTime = chl(SITEKEY, "https://shop.lab.test/", "", "");
        String token = solve(inTime, Map.of("isTrusted", true, "type", "click", "x", 20, "y", 30), UA).get("token").asText();
        assertThat(verify(SECRET, token).get("metadata").get("interactive").asBoolean()).isTrue();
    }

    @Test
    void shortTokenTtlExpiresBeforeSiteverify() throws Exception {
        hostile(SitekeyHostile.NONE.withTokenTtlMs(2_000));
        String token = token(SITEKEY, "", "");
        CLOCK.advance(Duration.ofSeconds(3));
        assertThat(errors(verify(SECRET, token))).isEqualTo("[\"timeout-or-duplicate\"]");
    }

    @Test
    void duplicateOnFirstUseRefusesEvenTheFirstVerification() throws Exception {
        hostile(SitekeyHostile.NONE.withDuplicateOnFirstUse(true));
        assertThat(errors(verify(SECRET, token(SITEKEY, "", "")))).isEqualTo("[\"timeout-or-duplicate\"]");
    }

    @Test
    void slowSitekeyDelaysEveryStepAndTakesUpTo24Bits() throws Exception {
        lab.admin().registerSitekey(new Sitekey(SITEKEY, SECRET, java.util.List.of("shop.lab.test"), null, 24, 400, null));
        long before = System.nanoTime();
        JsonNode chl = chl(SITEKEY, "https://shop.lab.test/", "", "");
        assertThat(Duration.ofNanos(System.nanoTime() - before)).isGreaterThanOrEqualTo(Duration.ofMillis(400));
        assertThat(chl.get("bits").asInt()).isEqualTo(24);
        assertThatThrownBy(() -> new Sitekey(SITEKEY, SECRET, java.util.List.of(), null, 25, 0, null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void hangLeavesTheWidgetWithoutAnswerAndTellsApiJsTheWatchdog() throws Exception {
        hostile(SitekeyHostile.NONE.withHang(3_000));
        String page = http.get(CHALLENGES, "/cdn-cgi/challenge-platform/h/b/turnstile/f/av0/rchv1/abcde/" + SITEKEY
                + "/auto/fbE/new/normal").body();
        assertThat(page).contains("\"watchdogMs\":3000");
        var request = http.request(CHALLENGES, "/cdn-cgi/challenge-platform/h/b/lab/chl")
                .header("Content-Type", "application/json").header("User-Agent", UA).timeout(Duration.ofSeconds(2))
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("sitekey", SITEKEY,
                        "wid", "abcde", "url", "https://shop.lab.test/", "action", "", "cData", "", "ua", UA))))
                .build();
        assertThatThrownBy(() -> http.send(request)).isInstanceOf(HttpTimeoutException.class);
    }

    @Test
    void invalidSitekeyWidgetAnswersInvalidSitekey() throws Exception {
        hostile(SitekeyHostile.NONE.withInvalidSitekey(true));
        String page = http.get(CHALLENGES, "/cdn-cgi/challenge-platform/h/b/turnstile/f/av0/rchv1/abcde/" + SITEKEY
                + "/auto/fbE/new/normal").body();
        assertThat(page).contains("<h2>invalid_sitekey</h2>").contains("\"failCode\":110100");
        assertThat(chl(SITEKEY, "https://shop.lab.test/", "", "").get("fail").asInt()).isEqualTo(110100);
    }

    @Test
    void domainNotAllowedFailsEvenOnAnAllowedHost() throws Exception {
        hostile(SitekeyHostile.NONE.withDomainNotAllowed(true));
        assertThat(chl(SITEKEY, "https://shop.lab.test/", "", "").get("fail").asInt()).isEqualTo(110200);
    }

    @Test
    void siteverifyFaultsAnswerLikeABrokenService() throws Exception {
        String token = token(SITEKEY, "", "");
        String body = JSON.writeValueAsString(Map.of("secret", SECRET, "response", token));
        hostile(SitekeyHostile.NONE.withSiteverifyFault(SiteverifyFault.INTERNAL_ERROR, 0));
        assertThat(errors(siteverify("application/json", body))).isEqualTo("[\"internal-error\"]");
        hostile(SitekeyHostile.NONE.withSiteverifyFault(SiteverifyFault.HTTP_5XX, 0));
        assertThat(http.post(CHALLENGES, "/turnstile/v0/siteverify", "application/json", body).statusCode()).isEqualTo(500);
        hostile(SitekeyHostile.NONE.withSiteverifyFault(SiteverifyFault.HTML_ERROR, 0));
        HttpResponse<String> html = http.post(CHALLENGES, "/turnstile/v0/siteverify", "application/json", body);
        assertThat(html.statusCode()).isEqualTo(502);
        assertThat(html.body()).startsWith("<!DOCTYPE html>");
        hostile(SitekeyHostile.NONE.withSiteverifyFault(SiteverifyFault.SLOW, 500));
        long before = System.nanoTime();
        assertThat(siteverify("application/json", body).get("success").asBoolean()).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - before)).isGreaterThanOrEqualTo(Duration.ofMillis(500));
    }

    @Test
    void shadowModeAndLegacyIframePathReachApiJs() throws Exception {
        hostile(SitekeyHostile.NONE.withShadowMode("open").withLegacyIframePath(true));
        String api = http.get(CHALLENGES, "/turnstile/v0/api.js").body();
        assertThat(api).contains("\"" + SITEKEY + "\":{").contains("\"shadowMode\":\"open\"")
                .contains("\"legacyIframePath\":true");
        assertThat(http.get(CHALLENGES, "/cdn-cgi/challenge-platform/h/g/turnstile/if/ov2/av0/rcv/abcde/" + SITEKEY
                + "/auto/fbE/new/normal").statusCode()).isEqualTo(200);
    }

    @Test
    void theWidgetPageDrawsInTheShadowModeItIsAskedForElseTheSitekeys() throws Exception {
        String widget = "/cdn-cgi/challenge-platform/h/b/turnstile/f/av0/rchv1/abcde/" + SITEKEY + "/auto/fbE/new/normal";
        assertThat(http.get(CHALLENGES, widget + "?lang=auto").body()).contains("\"shadowMode\":\"closed\"");
        assertThat(http.get(CHALLENGES, widget + "?lang=auto&shadowMode=none").body()).contains("\"shadowMode\":\"none\"");
        assertThat(http.get(CHALLENGES, widget + "?lang=auto&shadowMode=bogus").body()).contains("\"shadowMode\":\"closed\"");
        hostile(SitekeyHostile.NONE.withShadowMode("none"));
        assertThat(http.get(CHALLENGES, widget + "?lang=auto").body()).contains("\"shadowMode\":\"none\"");
    }
}
