package dev.turnpike.lab.origin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.lab.core.ChallengeLoop;
import dev.turnpike.lab.core.HostKind;
import dev.turnpike.lab.origin.OriginHarness.ChallengePageFields;
import dev.turnpike.lab.origin.OriginHarness.Visitor;
import dev.turnpike.lab.turnstile.ProofOfWork;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** LAB.md L4 origin modes over HTTP: each shows the failure it is there to cause. */
class HostileModesHttpTest {

    static final String HOST = "hostile.lab.test";
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
    }

    private static OriginHost host() {
        return OriginHost.of(HOST, HostKind.PROTECTED).withCType(ChallengeType.NON_INTERACTIVE).withPowBits(8);
    }

    private static HttpResponse<String> solveOnce(Visitor v) throws Exception {
        HttpResponse<String> challenge = v.get(HOST, "/");
        assertThat(challenge.statusCode()).isEqualTo(403);
        return v.solveProofOfWork(HOST, challenge, 8);
    }

    @Test
    void challengeLoopWithoutCookieRedirectsBackToTheChallenge() throws Exception {
        lab.put(host().withChallengeLoop(ChallengeLoop.NO_COOKIE));
        Visitor v = lab.visitor("127.0.0.2", OriginHarness.UA_A);

        HttpResponse<String> solved = solveOnce(v);
        assertThat(solved.statusCode()).isEqualTo(302);
        assertThat(solved.headers().allValues("Set-Cookie")).noneMatch(c -> c.startsWith("cf_clearance="));
        assertThat(v.get(HOST, "/").headers().firstValue("cf-mitigated")).hasValue("challenge");
    }

    @Test
    void challengeLoopWithWrongDomainSetsACookieNoBrowserKeepsAndTheGateRefuses() throws Exception {
        lab.put(host().withChallengeLoop(ChallengeLoop.WRONG_DOMAIN));
        Visitor v = lab.visitor("127.0.0.2", OriginHarness.UA_A);

        HttpResponse<String> solved = solveOnce(v);
        assertThat(solved.statusCode()).isEqualTo(302);
        assertThat(solved.headers().allValues("Set-Cookie")).anyMatch(c -> c.startsWith("cf_clearance=")
                && c.contains("; Domain=." + SolveEndpoint.WRONG_DOMAIN + ";"));
        // Even a careless client that sends it anyway is challenged: it was issued for another zone.
        assertThat(v.get(HOST, "/").statusCode()).isEqualTo(403);
        assertThat(lab.events(OriginEvent.ClearanceRejected.class)).extracting(OriginEvent.ClearanceRejected::reason)
                .containsExactly(ClearanceRejection.WRONG_ZONE);
    }

    @Test
    void challengeLoopWithRejectingGateRefusesAGenuineClearance() throws Exception {
        lab.put(host().withChallengeLoop(ChallengeLoop.GATE_REJECTS));
        Visitor v = lab.visitor("127.0.0.2", OriginHarness.UA_A);

        HttpResponse<String> solved = solveOnce(v);
        assertThat(solved.headers().allValues("Set-Cookie")).anyMatch(c -> c.startsWith("cf_clearance=")
                && c.contains("; Domain=." + HOST + ";"));
        for (int attempt = 0; attempt < 3; attempt++) {
            assertThat(v.get(HOST, "/").statusCode()).isEqualTo(403);
        }
        assertThat(lab.events(OriginEvent.ClearanceRejected.class)).extracting(OriginEvent.ClearanceRejected::reason)
                .containsOnly(ClearanceRejection.LOOP).hasSize(3);
    }

    @Test
    void bindingStrictChallengesAClearanceReusedWithAnotherUserAgentOrExitIp() throws Exception {
        lab.put(host().withBindingStrict(true));
        Visitor owner = lab.visitor("127.0.0.2", OriginHarness.UA_A);
        solveOnce(owner);
        Visitor otherUa = lab.visitor("127.0.0.2", OriginHarness.UA_B);
        Visitor otherIp = lab.visitor("127.0.0.4", OriginHarness.UA_A);
        otherUa.cookies.putAll(owner.cookies);
        otherIp.cookies.putAll(owner.cookies);

        assertThat(owner.get(HOST, "/").statusCode()).isEqualTo(200);
        assertThat(otherUa.get(HOST, "/").statusCode()).isEqualTo(403);
        assertThat(otherIp.get(HOST, "/").statusCode()).isEqualTo(403);
        assertThat(lab.events(OriginEvent.ClearanceRejected.class)).extracting(OriginEvent.ClearanceRejected::reason)
                .containsExactly(ClearanceRejection.USER_AGENT_CHANGED, ClearanceRejection.IP_CHANGED);
    }

    @Test
    void blockedHostAnswersTheBlockedPageWithoutChallenge() throws Exception {
        lab.put(OriginHost.of("blocked.lab.test", HostKind.BLOCKED));
        lab.put(host().withBlocked(true));
        Visitor v = lab.visitor("127.0.0.2", OriginHarness.UA_A);

        for (String name : new String[] {"blocked.lab.test", HOST}) {
            HttpResponse<String> r = v.get(name, "/");
            assertThat(r.statusCode()).as(name).isEqualTo(403);
            assertThat(r.headers().firstValue("cf-mitigated")).as(name).isEmpty();
            assertThat(r.headers().firstValue("Server")).hasValue("cloudflare");
            assertThat(r.body()).contains("<title>Attention Required! | Cloudflare</title>",
                    "Sorry, you have been blocked", "Error 1020", "id=\"cf-error-details\"",
                    "<div class=\"cf-wrapper cf-header cf-error-overview\">\n        <h1", "127.0.0.2")
                    .doesNotContain("Just a moment...", "_cf_chl_opt");
        }
        assertThat(lab.events(OriginEvent.ChallengeServed.class)).isEmpty();
    }

    @Test
    void legacyIuamAnswers503CheckingYourBrowserPageThatStillSolves() throws Exception {
        lab.put(host().withCType(ChallengeType.MANAGED).withLegacyIuam(true));
        Visitor v = lab.visitor("127.0.0.2", OriginHarness.UA_A);

        HttpResponse<String> r = v.get(HOST, "/?page=2");
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.headers().firstValue("Server")).hasValue("cloudflare");
        assertThat(r.headers().firstValue("cf-ray")).get().asString().matches("[0-9a-f]{16}-LAB");
        assertThat(r.body()).contains("<title>Just a moment...</title>",
                "<div class=\"cf-browser-verification cf-im-under-attack\">",
                "Checking your browser before accessing</span> hostile.lab.test.",
                "id=\"challenge-form\"", "id=\"trk_jschal_js\"", "class=\"ray_id\"", "DDoS protection by Cloudflare",
                "cType: 'non-interactive'", "/cdn-cgi/challenge-platform/h/b/orchestrate/jsch/v1?ray=")
                .doesNotContain("main-wrapper");
        assertThat(v.get(HOST, ProtectedOrigin.LEGACY_ORCHESTRATE).statusCode()).isEqualTo(200);

        HttpResponse<String> solved = v.solveProofOfWork(HOST, r, 8);
        assertThat(solved.statusCode()).isEqualTo(302);
        assertThat(solved.headers().firstValue("Location")).hasValue("/?page=2");
        assertThat(v.get(HOST, "/?page=2").statusCode()).isEqualTo(200);
    }

    @Test
    void pageRefreshRefusesTheMdOfAPageThatHasBeenReissued() throws Exception {
        lab.put(host().withPageRefresh(Duration.ofSeconds(3)));
        Visitor v = lab.visitor("127.0.0.2", OriginHarness.UA_A);

        HttpResponse<String> first = v.get(HOST, "/");
        ChallengePageFields firstPage = ChallengePageFields.of(first.body());
        assertThat(firstPage.cMTimeMs()).isEqualTo("3000");
        assertThat(first.body()).contains("<meta http-equiv=\"refresh\" content=\"3\">");
        // The solver takes longer than the page lives; the page has reloaded with a new ray meanwhile.
        lab.clock.advance(Duration.ofMillis(3001));
        HttpResponse<String> second = v.get(HOST, "/");
        ChallengePageFields secondPage = ChallengePageFields.of(second.body());
        assertThat(secondPage.cRay()).isNotEqualTo(firstPage.cRay());

        HttpResponse<String> stale = v.postAnswer(HOST, firstPage, firstPage.md(), ProofOfWork.solve(firstPage.cH(), 8));
        assertThat(stale.statusCode()).isEqualTo(403);
        assertThat(lab.events(OriginEvent.SolveRejected.class)).extracting(OriginEvent.SolveRejected::reason)
                .containsExactly(SolveRejection.MD_EXPIRED);
        // The fresh page's md, answered in time, passes.
        HttpResponse<String> fresh = v.solveProofOfWork(HOST, second, 8);
        assertThat(fresh.statusCode()).isEqualTo(302);
    }
}
