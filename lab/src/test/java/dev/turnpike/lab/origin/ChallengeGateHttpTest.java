package dev.turnpike.lab.origin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.lab.core.HostKind;
import dev.turnpike.lab.origin.OriginHarness.ChallengePageFields;
import dev.turnpike.lab.turnstile.ProofOfWork;
import dev.turnpike.lab.origin.OriginHarness.Visitor;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** LAB.md L3 over HTTP: the challenge answer, the solve endpoint and the clearance gate with its bindings. */
class ChallengeGateHttpTest {

    static final String HOST = "shop.lab.test";
    static OriginHarness lab;

    @BeforeAll
    static void start() throws Exception {
        lab = new OriginHarness();
    }

    @AfterAll
    static void stop() throws Exception {
        lab.close();
    }

    @BeforeEach
    void reset() {
        lab.reset();
        lab.put(OriginHost.of(HOST, HostKind.PROTECTED).withCType(ChallengeType.NON_INTERACTIVE).withPowBits(8));
    }

    /** Gets a clearance the way a browser would: challenged, solves the proof of work, gets the cookie. */
    static Visitor cleared(String exitIp, String ua) throws Exception {
        Visitor v = lab.visitor(exitIp, ua);
        HttpResponse<String> challenge = v.get(HOST, "/");
        assertThat(challenge.statusCode()).isEqualTo(403);
        HttpResponse<String> solved = v.solveProofOfWork(HOST, challenge, 8);
        assertThat(solved.statusCode()).isEqualTo(302);
        assertThat(v.cookies).containsKey("cf_clearance");
        return v;
    }

    @Test
    void requestWithoutClearanceGetsTheChallengePageWithCloudflaresMarkers() throws Exception {
        HttpResponse<String> r = lab.visitor("127.0.0.2", OriginHarness.UA_A).get(HOST, "/?q=1");

        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("text/html; charset=UTF-8");
        assertThat(r.headers().allValues("Server")).containsExactly("cloudflare");
        assertThat(r.headers().firstValue("cf-mitigated")).hasValue("challenge");
        assertThat(r.headers().firstValue("cf-ray")).get().asString().matches("[0-9a-f]{16}-LAB");
        assertThat(r.headers().firstValue("Cache-Control")).hasValue("private, no-store");
        assertThat(r.headers().firstValue("Set-Cookie")).get().asString()
                .startsWith("__cf_bm=").contains("; HttpOnly; Secure; SameSite=None");
        String body = r.body();
        assertThat(body).contains("<title>Just a moment...</title>",
                "<meta http-equiv=\"refresh\" content=\"390\">",
                "<body class=\"no-js\"><div class=\"main-wrapper\" role=\"main\"><div class=\"main-content\">",
                "Enable JavaScript and cookies to continue",
                "window._cf_chl_opt = {cvId: '3',cZone: \"shop.lab.test\",cType: 'non-interactive',",
                "cTTimeMs: '1000',cMTimeMs: '390000'", "cTplV: 5", "mdrd: '",
                "cUPMDTk: \"\\/?q=1&__cf_chl_tk=", "fa: \"\\/?q=1&__cf_chl_f_tk=",
                "history.replaceState(null, null, \"\\/?__cf_chl_rt_tk=",
                "/cdn-cgi/challenge-platform/h/b/orchestrate/chl_page/v1?ray=");
        ChallengePageFields page = ChallengePageFields.of(body);
        assertThat(r.headers().firstValue("cf-ray")).hasValue(page.cRay() + "-LAB");
        assertThat(body).contains("cITimeS: '" + lab.clock.instant().getEpochSecond() + "'", "cH: '");
        ChallengeMetadata md = ChallengeMetadata.open(lab.sealer, page.md()).orElseThrow();
        assertThat(md.ray()).isEqualTo(page.cRay());
        assertThat(md.zone()).isEqualTo(HOST);
        assertThat(md.path()).isEqualTo("/");
        assertThat(md.method()).isEqualTo("GET");
        assertThat(md.ip()).isEqualTo("127.0.0.2");
        assertThat(md.uaHash()).isEqualTo(Hashes.uaHash(OriginHarness.UA_A));
        assertThat(md.iat()).isEqualTo(lab.clock.millis());
    }

    @Test
    void everyMethodIsChallengedAndThePostBodyIsSealed() throws Exception {
        Visitor v = lab.visitor("127.0.0.2", OriginHarness.UA_A);
        for (String method : new String[] {"POST", "PUT", "DELETE"}) {
            HttpResponse<String> r = v.send(method, HOST, "/api/echo", "text/plain", "payload");
            assertThat(r.statusCode()).as(method).isEqualTo(403);
            assertThat(r.headers().firstValue("cf-mitigated")).hasValue("challenge");
            ChallengeMetadata md = ChallengeMetadata.open(lab.sealer, ChallengePageFields.of(r.body()).md())
                    .orElseThrow();
            assertThat(md.method()).isEqualTo(method);
            assertThat(md.bodyDigest()).isEqualTo(Hashes.sha256Hex("payload".getBytes()));
        }
    }

    @Test
    void solvedChallengeSetsClearanceAndRedirectsToTheOriginalUrl() throws Exception {
        Visitor v = lab.visitor("127.0.0.2", OriginHarness.UA_A);
        HttpResponse<String> challenge = v.get(HOST, "/?a=1&b=2");
        HttpResponse<String> solved = v.solveProofOfWork(HOST, challenge, 8);

        assertThat(solved.statusCode()).isEqualTo(302);
        assertThat(solved.headers().firstValue("Location")).hasValue("/?a=1&b=2");
        String cookie = solved.headers().allValues("Set-Cookie").stream()
                .filter(c -> c.startsWith("cf_clearance=")).findFirst().orElseThrow();
        long now = lab.clock.instant().getEpochSecond();
        assertThat(cookie).matches("cf_clearance=[A-Za-z0-9_-]{43}-" + now + "-1\\.2\\.1\\.1-[A-Za-z0-9_-]+"
                + "; Path=/; Domain=\\.shop\\.lab\\.test; Expires=[A-Z][a-z]{2}, \\d\\d [A-Z][a-z]{2} \\d{4} 12:30:00 GMT"
                + "; HttpOnly; Secure; SameSite=None; Partitioned");

        HttpResponse<String> home = v.get(HOST, "/?a=1&b=2");
        assertThat(home.statusCode()).isEqualTo(200);
        assertThat(home.body()).contains("<title>Lab Protected Home</title>", "id=\"lab-ok\"");
        assertThat(lab.events(OriginEvent.ClearanceIssued.class)).hasSize(1);
        assertThat(lab.events(OriginEvent.ClearanceAccepted.class)).hasSize(1);
    }

    @Test
    void clearanceObtainedFromOneExitIpIsRefusedFromAnother() throws Exception {
        Visitor fromA = cleared("127.0.0.2", OriginHarness.UA_A);
        Visitor fromB = lab.visitor("127.0.0.3", OriginHarness.UA_A);
        fromB.cookies.putAll(fromA.cookies);

        assertThat(fromA.get(HOST, "/").statusCode()).isEqualTo(200);
        HttpResponse<String> r = fromB.get(HOST, "/");
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.headers().firstValue("cf-mitigated")).hasValue("challenge");
        assertThat(lab.events(OriginEvent.ClearanceRejected.class))
                .extracting(OriginEvent.ClearanceRejected::reason).containsExactly(ClearanceRejection.IP_CHANGED);
    }

    @Test
    void clearanceObtainedWithOneUserAgentIsRefusedWithAnother() throws Exception {
        Visitor withA = cleared("127.0.0.2", OriginHarness.UA_A);
        Visitor withB = lab.visitor("127.0.0.2", OriginHarness.UA_B);
        withB.cookies.putAll(withA.cookies);

        HttpResponse<String> r = withB.get(HOST, "/");
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(lab.events(OriginEvent.ClearanceRejected.class))
                .extracting(OriginEvent.ClearanceRejected::reason)
                .containsExactly(ClearanceRejection.USER_AGENT_CHANGED);
    }

    @Test
    void clearanceOfAnotherZoneIsRefused() throws Exception {
        lab.put(OriginHost.of("other.lab.test", HostKind.PROTECTED).withCType(ChallengeType.NON_INTERACTIVE)
                .withPowBits(8));
        Visitor v = cleared("127.0.0.2", OriginHarness.UA_A);

        assertThat(v.get("other.lab.test", "/").statusCode()).isEqualTo(403);
        assertThat(lab.events(OriginEvent.ClearanceRejected.class))
                .extracting(OriginEvent.ClearanceRejected::reason).containsExactly(ClearanceRejection.WRONG_ZONE);
    }

    @Test
    void forgedClearanceIsRefused() throws Exception {
        Visitor v = cleared("127.0.0.2", OriginHarness.UA_A);
        String genuine = v.cookies.get("cf_clearance");
        int at = genuine.length() - 10;
        v.cookies.put("cf_clearance", genuine.substring(0, at) + (genuine.charAt(at) == 'A' ? 'B' : 'A')
                + genuine.substring(at + 1));

        assertThat(v.get(HOST, "/").statusCode()).isEqualTo(403);
        assertThat(lab.events(OriginEvent.ClearanceRejected.class))
                .extracting(OriginEvent.ClearanceRejected::reason).containsExactly(ClearanceRejection.NOT_GENUINE);
    }

    @Test
    void clearanceExpiresAfterPassagePlusSkewGrace() throws Exception {
        Visitor v = cleared("127.0.0.2", OriginHarness.UA_A);

        lab.clock.advance(Duration.ofSeconds(OriginHost.DEFAULT_PASSAGE_SEC + ClearanceGate.SKEW_GRACE_SEC));
        assertThat(v.get(HOST, "/").statusCode()).isEqualTo(200);
        lab.clock.advance(Duration.ofSeconds(1));
        assertThat(v.get(HOST, "/").statusCode()).isEqualTo(403);
        assertThat(lab.events(OriginEvent.ClearanceRejected.class))
                .extracting(OriginEvent.ClearanceRejected::reason).containsExactly(ClearanceRejection.EXPIRED);
    }

    @Test
    void tamperedMdIsRefusedWithANewChallenge() throws Exception {
        Visitor v = lab.visitor("127.0.0.2", OriginHarness.UA_A);
        HttpResponse<String> challenge = v.get(HOST, "/");
        ChallengePageFields page = ChallengePageFields.of(challenge.body());
        String md = page.md();
        // One character changed: the seal no longer authenticates.
        int at = md.length() / 2;
        String forged = md.substring(0, at) + (md.charAt(at) == 'A' ? 'B' : 'A') + md.substring(at + 1);

        HttpResponse<String> r = v.postAnswer(HOST, page, forged, ProofOfWork.solve(page.cH(), 8));
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.headers().firstValue("cf-mitigated")).hasValue("challenge");
        assertThat(ChallengePageFields.of(r.body()).cRay()).isNotEqualTo(page.cRay());
        assertThat(v.cookies).doesNotContainKey("cf_clearance");
        assertThat(lab.events(OriginEvent.SolveRejected.class))
                .extracting(OriginEvent.SolveRejected::reason).containsExactly(SolveRejection.MD_NOT_GENUINE);
    }

    @Test
    void mdOfAnotherPageIsRefused() throws Exception {
        Visitor v = lab.visitor("127.0.0.2", OriginHarness.UA_A);
        ChallengePageFields first = ChallengePageFields.of(v.get(HOST, "/").body());
        ChallengePageFields second = ChallengePageFields.of(v.get(HOST, "/api/echo").body());

        // The md of page one posted to the form URL of page two.
        HttpResponse<String> r = v.postAnswer(HOST, second, first.md(),
                ProofOfWork.solve(first.cH(), 8));
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(lab.events(OriginEvent.SolveRejected.class))
                .extracting(OriginEvent.SolveRejected::reason).containsExactly(SolveRejection.MD_MISMATCH);
    }

    @Test
    void expiredMdIsRefused() throws Exception {
        Visitor v = lab.visitor("127.0.0.2", OriginHarness.UA_A);
        HttpResponse<String> challenge = v.get(HOST, "/");
        lab.clock.advance(OriginHost.DEFAULT_PAGE_LIFE.plusMillis(1));

        HttpResponse<String> r = v.solveProofOfWork(HOST, challenge, 8);
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(v.cookies).doesNotContainKey("cf_clearance");
        assertThat(lab.events(OriginEvent.SolveRejected.class))
                .extracting(OriginEvent.SolveRejected::reason).containsExactly(SolveRejection.MD_EXPIRED);
    }

    @Test
    void solveFromAnotherExitIpOrUserAgentGetsTheChallengeAgain() throws Exception {
        Visitor a = lab.visitor("127.0.0.2", OriginHarness.UA_A);
        HttpResponse<String> challenge = a.get(HOST, "/");

        HttpResponse<String> otherIp = lab.visitor("127.0.0.3", OriginHarness.UA_A).solveProofOfWork(HOST, challenge, 8);
        HttpResponse<String> otherUa = lab.visitor("127.0.0.2", OriginHarness.UA_B).solveProofOfWork(HOST, challenge, 8);

        assertThat(otherIp.statusCode()).isEqualTo(403);
        assertThat(otherUa.statusCode()).isEqualTo(403);
        assertThat(lab.events(OriginEvent.SolveRejected.class)).extracting(OriginEvent.SolveRejected::reason)
                .containsExactly(SolveRejection.IP_CHANGED, SolveRejection.USER_AGENT_CHANGED);
        assertThat(lab.events(OriginEvent.ClearanceIssued.class)).isEmpty();
    }

    @Test
    void wrongProofOfWorkIsRefused() throws Exception {
        lab.put(OriginHost.of(HOST, HostKind.PROTECTED).withCType(ChallengeType.NON_INTERACTIVE).withPowBits(20));
        Visitor v = lab.visitor("127.0.0.2", OriginHarness.UA_A);
        ChallengePageFields page = ChallengePageFields.of(v.get(HOST, "/").body());
        long wrong = 0;
        while (ProofOfWork.verify(page.cH(), Long.toString(wrong), 20)) {
            wrong++;
        }

        assertThat(v.postAnswer(HOST, page, page.md(), Long.toString(wrong)).statusCode()).isEqualTo(403);
        assertThat(v.postAnswer(HOST, page, page.md(), "not-a-number").statusCode()).isEqualTo(403);
        assertThat(lab.events(OriginEvent.SolveRejected.class)).extracting(OriginEvent.SolveRejected::reason)
                .containsExactly(SolveRejection.BAD_PROOF, SolveRejection.BAD_PROOF);
    }

    @Test
    void solvedPostIsRedirectedWith303ToAGetOfTheUrl() throws Exception {
        Visitor v = lab.visitor("127.0.0.2", OriginHarness.UA_A);
        HttpResponse<String> challenge = v.post(HOST, "/api/echo?x=1", "application/x-www-form-urlencoded", "a=1&b=2");
        HttpResponse<String> solved = v.solveProofOfWork(HOST, challenge, 8);

        assertThat(solved.statusCode()).isEqualTo(303);
        assertThat(solved.headers().firstValue("Location")).hasValue("/api/echo?x=1");
        // The body was not replayed: the solver sends the POST again, now with the cookie.
        HttpResponse<String> echo = v.post(HOST, "/api/echo?x=1", "application/x-www-form-urlencoded", "a=1&b=2");
        assertThat(echo.statusCode()).isEqualTo(200);
        assertThat(echo.body()).contains("\"method\":\"POST\"",
                "\"contentType\":\"application/x-www-form-urlencoded\"",
                "{\"name\":\"a\",\"value\":\"1\"}", "{\"name\":\"b\",\"value\":\"2\"}");
    }

    @Test
    void solvedPostIsRedirectedWith307WhenTheHostSaysSo() throws Exception {
        lab.put(lab.hosts.get(HOST).withPostRedirect(PostRedirect.TEMPORARY));
        Visitor v = lab.visitor("127.0.0.2", OriginHarness.UA_A);
        HttpResponse<String> challenge = v.post(HOST, "/api/echo", "application/json", "{\"k\":1}");

        HttpResponse<String> solved = v.solveProofOfWork(HOST, challenge, 8);
        assertThat(solved.statusCode()).isEqualTo(307);
        assertThat(solved.headers().firstValue("Location")).hasValue("/api/echo");
    }

    @Test
    void challengePlatformIsNeverGated() throws Exception {
        Visitor v = lab.visitor("127.0.0.2", OriginHarness.UA_A);
        HttpResponse<String> script = v.get(HOST, ProtectedOrigin.ORCHESTRATE + "?ray=0123456789abcdef");

        assertThat(script.statusCode()).isEqualTo(200);
        assertThat(script.headers().firstValue("Content-Type")).hasValue("application/javascript; charset=UTF-8");
        assertThat(script.headers().firstValue("cf-mitigated")).isEmpty();
        assertThat(script.body()).contains("Verifying you are human. This may take a few seconds.",
                " needs to review the security of your connection before proceeding.", "challenge-stage",
                "Ray ID: <code>", "Performance &amp; security by ", "\"powBits\":8",
                "\"managedSitekey\":\"" + OriginHarness.SITEKEYS.managedSitekey() + "\"",
                "action: 'managed'", "cData: opt.cRay", "chlPageData: opt.md",
                "https://challenges.cloudflare.com/turnstile/v0/api.js?render=explicit&onload=");
        assertThat(v.get(HOST, "/cdn-cgi/challenge-platform/h/b/unknown").statusCode()).isEqualTo(404);
    }
}
