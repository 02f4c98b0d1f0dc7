package dev.turnpike.lab.origin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.turnpike.lab.core.HostKind;
import dev.turnpike.lab.origin.OriginHarness.ChallengePageFields;
import dev.turnpike.lab.origin.OriginHarness.Visitor;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The application behind the gate and the managed/interactive answer checks (LAB.md L3). */
class ApplicationHttpTest {

    static final String HOST = "app.lab.test";
    static final ObjectMapper JSON = new ObjectMapper();
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
        lab.put(OriginHost.of(HOST, HostKind.PROTECTED));
        lab.put(OriginHost.of("form.lab.test", HostKind.TURNSTILE_FORM).withForm("0x4AAAAAAAFormKey", "form-secret"));
    }

    /** The token a managed widget on this page would get: action managed, cData the ray, chlPageData the md. */
    private static String widgetToken(ChallengePageFields page, boolean interactive) {
        return FakeTurnstileVerifier.token(HOST, "managed", page.cRay(), interactive,
                Hashes.sha256Hex(page.md().getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void managedChallengeIsAnsweredWithTheWidgetsTokenBoundToThePage() throws Exception {
        Visitor v = lab.visitor("127.0.0.2", OriginHarness.UA_A);
        ChallengePageFields page = ChallengePageFields.of(v.get(HOST, "/").body());
        assertThat(page.cType()).isEqualTo("managed");

        HttpResponse<String> solved = v.postAnswer(HOST, page, page.md(), widgetToken(page, false));
        assertThat(solved.statusCode()).isEqualTo(302);
        assertThat(v.get(HOST, "/").statusCode()).isEqualTo(200);
    }

    @Test
    void managedChallengeRefusesATokenOfAnotherRayActionHostOrPage() throws Exception {
        Visitor v = lab.visitor("127.0.0.2", OriginHarness.UA_A);
        ChallengePageFields page = ChallengePageFields.of(v.get(HOST, "/").body());
        String cpd = Hashes.sha256Hex(page.md().getBytes(StandardCharsets.UTF_8));
        String[] wrong = {
            FakeTurnstileVerifier.token(HOST, "managed", "0000000000000000", false, cpd),
            FakeTurnstileVerifier.token(HOST, "login", page.cRay(), false, cpd),
            FakeTurnstileVerifier.token("other.lab.test", "managed", page.cRay(), false, cpd),
            FakeTurnstileVerifier.token(HOST, "managed", page.cRay(), false, "ab12"),
            "not-a-token"};
        for (String token : wrong) {
            assertThat(v.postAnswer(HOST, page, page.md(), token).statusCode()).as(token).isEqualTo(403);
        }
        assertThat(lab.events(OriginEvent.SolveRejected.class)).extracting(OriginEvent.SolveRejected::reason)
                .containsOnly(SolveRejection.BAD_TOKEN).hasSize(wrong.length);
        assertThat(v.cookies).doesNotContainKey("cf_clearance");
    }

    @Test
    void interactiveChallengeNeedsATokenFromAnInteractiveSolve() throws Exception {
        lab.put(OriginHost.of(HOST, HostKind.PROTECTED).withCType(ChallengeType.INTERACTIVE));
        Visitor v = lab.visitor("127.0.0.2", OriginHarness.UA_A);
        ChallengePageFields page = ChallengePageFields.of(v.get(HOST, "/").body());
        assertThat(page.cType()).isEqualTo("interactive");

        assertThat(v.postAnswer(HOST, page, page.md(), widgetToken(page, false)).statusCode()).isEqualTo(403);
        assertThat(lab.events(OriginEvent.SolveRejected.class)).extracting(OriginEvent.SolveRejected::reason)
                .containsExactly(SolveRejection.NOT_INTERACTIVE);
        ChallengePageFields again = ChallengePageFields.of(v.get(HOST, "/").body());
        assertThat(v.postAnswer(HOST, again, again.md(), widgetToken(again, true)).statusCode()).isEqualTo(302);
        assertThat(v.get(HOST, ProtectedOrigin.ORCHESTRATE).body())
                .contains("\"interactiveSitekey\":\"" + OriginHarness.SITEKEYS.interactiveSitekey() + "\"");
    }

    @Test
    void echoShowsMethodHeadersCookiesContentTypeAndFields() throws Exception {
        Visitor v = lab.visitor("127.0.0.2", OriginHarness.UA_A);
        ChallengePageFields page = ChallengePageFields.of(v.get(HOST, "/").body());
        v.postAnswer(HOST, page, page.md(), widgetToken(page, false));
        v.cookies.put("session", "s1");

        JsonNode form = JSON.readTree(v.post(HOST, "/api/echo?x=1", "application/x-www-form-urlencoded",
                "user=ann&note=a%20b").body());
        assertThat(form.path("method").asText()).isEqualTo("POST");
        assertThat(form.path("query").asText()).isEqualTo("x=1");
        assertThat(form.path("contentType").asText()).isEqualTo("application/x-www-form-urlencoded");
        assertThat(form.path("body").asText()).isEqualTo("user=ann&note=a%20b");
        assertThat(form.path("form").toString())
                .isEqualTo("[{\"name\":\"user\",\"value\":\"ann\"},{\"name\":\"note\",\"value\":\"a b\"}]");
        assertThat(form.path("headers").path("user-agent").asText()).isEqualTo(OriginHarness.UA_A);
        assertThat(form.path("cookies").path("session").asText()).isEqualTo("s1");
        assertThat(form.path("cookies").has("cf_clearance")).isTrue();

        JsonNode json = JSON.readTree(v.post(HOST, "/api/echo", "application/json", "{\"k\":[1,2]}").body());
        assertThat(json.path("json").path("k").toString()).isEqualTo("[1,2]");
        JsonNode get = JSON.readTree(v.get(HOST, "/api/echo").body());
        assertThat(get.path("method").asText()).isEqualTo("GET");
    }

    @Test
    void turnstileFormHostServesItsFormUngatedAndVerifiesTheToken() throws Exception {
        Visitor v = lab.visitor("127.0.0.2", OriginHarness.UA_A);

        HttpResponse<String> form = v.get("form.lab.test", "/form");
        assertThat(form.statusCode()).isEqualTo(200);
        assertThat(form.body()).contains("<script src=\"https://challenges.cloudflare.com/turnstile/v0/api.js\"",
                "<form id=\"lab-form\" method=\"POST\" action=\"/form\">",
                "class=\"cf-turnstile\" data-sitekey=\"0x4AAAAAAAFormKey\" data-action=\"submit\" data-cdata=\"");
        String good = FakeTurnstileVerifier.token("form.lab.test", "submit", "lab-form", false, "null");
        HttpResponse<String> accepted = v.post("form.lab.test", "/form", "application/x-www-form-urlencoded",
                "comment=hi&cf-turnstile-response=" + java.net.URLEncoder.encode(good, StandardCharsets.UTF_8));
        assertThat(accepted.statusCode()).isEqualTo(200);
        assertThat(accepted.body()).contains("lab-form-ok");
        HttpResponse<String> refused = v.post("form.lab.test", "/form", "application/x-www-form-urlencoded",
                "comment=hi&cf-turnstile-response=forged");
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).contains("invalid-input-response");
    }

    @Test
    void protectedHostGatesItsFormAndUnknownPathsToo() throws Exception {
        Visitor v = lab.visitor("127.0.0.2", OriginHarness.UA_A);
        assertThat(v.get(HOST, "/form").statusCode()).isEqualTo(403);
        assertThat(v.get(HOST, "/nothing-here").statusCode()).isEqualTo(403);
        ChallengePageFields page = ChallengePageFields.of(v.get(HOST, "/nothing-here").body());
        v.postAnswer(HOST, page, page.md(), widgetToken(page, false));
        assertThat(v.get(HOST, "/nothing-here").statusCode()).isEqualTo(404);
        assertThat(v.get(HOST, "/form").statusCode()).isEqualTo(200);
    }
}
