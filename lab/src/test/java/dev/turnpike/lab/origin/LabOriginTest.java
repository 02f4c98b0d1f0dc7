package dev.turnpike.lab.origin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.turnpike.lab.Lab;
import dev.turnpike.lab.LabHttp;
import dev.turnpike.lab.LabOptions;
import dev.turnpike.fixtures.TestClock;
import dev.turnpike.lab.core.HostHostile;
import dev.turnpike.lab.core.HostKind;
import dev.turnpike.lab.core.LabEvent;
import dev.turnpike.lab.core.LabHost;
import dev.turnpike.lab.core.Sitekey;
import dev.turnpike.lab.origin.OriginHarness.ChallengePageFields;
import dev.turnpike.lab.turnstile.ProofOfWork;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The origin inside the real lab (LAB.md L0 + L3): through the core's router, over HTTPS, with the lab's
 * Turnstile giving real tokens for managed challenges, the lab's siteverify checking them in process, the lab's
 * PROXY-protocol connector supplying exit IPs, and the lab's event log recording each decision.
 */
class LabOriginTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String UA = OriginHarness.UA_A;
    static Lab lab;
    static LabHttp http;

    @BeforeAll
    static void start() {
        lab = Lab.start(LabOptions.defaults().withSeed(11)
                .withClock(new TestClock(Instant.parse("2026-11-23T12:00:00Z"))));
        http = new LabHttp(lab);
    }

    @AfterAll
    static void stop() {
        lab.close();
    }

    @BeforeEach
    void reset() {
        lab.admin().reset();
    }

    HttpResponse<String> get(String host, String path, String cookie) throws Exception {
        var request = http.request(host, path).header("User-Agent", UA);
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        return http.send(request.GET().build());
    }

    HttpResponse<String> postForm(String host, String path, String body) throws Exception {
        return http.send(http.request(host, path).header("User-Agent", UA)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build());
    }

    /** What the challenge page's Turnstile widget does: the lab widget's two steps, driven over HTTP. */
    String widgetToken(String host, ChallengePageFields page) throws Exception {
        Map<String, Object> step1 = new LinkedHashMap<>();
        step1.put("sitekey", LabOrigin.MANAGED_SITEKEY);
        step1.put("wid", "ab1cd");
        step1.put("url", "https://" + host + "/?__cf_chl_rt_tk=x");
        step1.put("action", "managed");
        step1.put("cData", page.cRay());
        step1.put("chlPageData", page.md());
        step1.put("ua", UA);
        JsonNode chl = widgetCall("lab/chl", step1);
        assertThat(chl.has("chlId")).as(chl.toString()).isTrue();
        String n = ProofOfWork.solve(chl.get("seed").asText(), chl.get("bits").asInt());
        JsonNode solved = widgetCall("lab/solve", Map.of("chlId", chl.get("chlId").asText(), "n", n, "ua", UA));
        assertThat(solved.has("token")).as(solved.toString()).isTrue();
        return solved.get("token").asText();
    }

    JsonNode widgetCall(String step, Map<String, Object> body) throws Exception {
        return JSON.readTree(http.send(http.request("challenges.cloudflare.com", "/cdn-cgi/challenge-platform/h/b/" + step)
                .header("User-Agent", UA).header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build()).body());
    }

    static String clearanceOf(HttpResponse<String> response) {
        return response.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("cf_clearance="))
                .map(c -> c.split(";", 2)[0]).findFirst().orElseThrow();
    }

    static String form(String md, String answer) {
        return "md=" + URLEncoder.encode(md, StandardCharsets.UTF_8) + "&answer="
                + URLEncoder.encode(answer, StandardCharsets.UTF_8);
    }

    @Test
    void labServesTheOriginByDefault() throws Exception {
        lab.admin().registerHost(LabHost.of("shop.lab.test", HostKind.PROTECTED));
        HttpResponse<String> r = get("shop.lab.test", "/", null);
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.headers().firstValue("cf-mitigated")).hasValue("challenge");
        assertThat(r.body()).contains("<title>Just a moment...</title>", "cType: 'managed'");
        assertThat(lab.admin().events()).extracting(LabEvent::type).contains("challengePage.served");
    }

    @Test
    void managedChallengeClearsWithARealLabTurnstileTokenOnlyOnce() throws Exception {
        lab.admin().registerHost(LabHost.of("shop.lab.test", HostKind.PROTECTED));
        ChallengePageFields page = ChallengePageFields.of(get("shop.lab.test", "/?p=1", null).body());
        String token = widgetToken("shop.lab.test", page);

        HttpResponse<String> solved = postForm("shop.lab.test", page.fa(), form(page.md(), token));
        assertThat(solved.statusCode()).isEqualTo(302);
        assertThat(solved.headers().firstValue("Location")).hasValue("/?p=1");
        HttpResponse<String> home = get("shop.lab.test", "/?p=1", clearanceOf(solved));
        assertThat(home.statusCode()).isEqualTo(200);
        assertThat(home.body()).contains("Lab Protected Home");

        // The token was redeemed by the first solve: siteverify says timeout-or-duplicate, the origin refuses.
        HttpResponse<String> replay = postForm("shop.lab.test", page.fa(), form(page.md(), token));
        assertThat(replay.statusCode()).isEqualTo(403);
        assertThat(lab.admin().events()).filteredOn(e -> e.type().equals("challengePage.rejected"))
                .extracting(e -> e.field("reason")).containsExactly("bad-token");
        assertThat(lab.admin().events()).extracting(LabEvent::type)
                .contains("token.verified", "clearance.issued", "clearance.accepted", "token.rejected");
    }

    @Test
    void tokenOfAnotherSitekeyDoesNotAnswerTheChallenge() throws Exception {
        lab.admin().registerHost(LabHost.of("shop.lab.test", HostKind.PROTECTED));
        lab.admin().registerSitekey(Sitekey.managed("0x4AAAAAAAsiteOwnKey", "0x4AAAAAAAsiteOwnSecret", "lab.test"));
        ChallengePageFields page = ChallengePageFields.of(get("shop.lab.test", "/", null).body());
        Map<String, Object> step1 = new LinkedHashMap<>(Map.of("sitekey", "0x4AAAAAAAsiteOwnKey", "wid", "ab1cd",
                "url", "https://shop.lab.test/", "action", "managed", "cData", page.cRay(),
                "chlPageData", page.md(), "ua", UA));
        JsonNode chl = widgetCall("lab/chl", step1);
        String token = widgetCall("lab/solve", Map.of("chlId", chl.get("chlId").asText(),
                "n", ProofOfWork.solve(chl.get("seed").asText(), chl.get("bits").asInt()), "ua", UA))
                .get("token").asText();

        assertThat(postForm("shop.lab.test", page.fa(), form(page.md(), token)).statusCode()).isEqualTo(403);
    }

    @Test
    void clearanceGottenThroughOneExitIpIsRefusedThroughAnother() throws Exception {
        lab.admin().registerHost(new LabHost("exit.lab.test", HostKind.PROTECTED, "non-interactive", 0, null));
        Proxied viaA = new Proxied("203.0.113.7");
        Proxied viaB = new Proxied("198.51.100.9");

        Proxied.Answer challenge = viaA.send("GET", "/", null, null);
        assertThat(challenge.status()).isEqualTo(403);
        ChallengePageFields page = ChallengePageFields.of(challenge.body());
        Proxied.Answer solved = viaA.send("POST", page.fa(), null,
                form(page.md(), ProofOfWork.solve(page.cH(), OriginHost.DEFAULT_POW_BITS)));
        assertThat(solved.status()).isEqualTo(302);
        String cookie = solved.headers().stream().filter(h -> h.toLowerCase().startsWith("set-cookie: cf_clearance="))
                .map(h -> h.substring("set-cookie: ".length()).split(";", 2)[0]).findFirst().orElseThrow();

        assertThat(viaA.send("GET", "/", cookie, null).status()).isEqualTo(200);
        assertThat(viaB.send("GET", "/", cookie, null).status()).isEqualTo(403);
        assertThat(lab.admin().events()).filteredOn(e -> e.type().equals("clearance.rejected"))
                .extracting(e -> e.field("reason") + "@" + e.field("ip")).containsExactly("ip-changed@198.51.100.9");
        assertThat(lab.admin().events()).filteredOn(e -> e.type().equals("clearance.issued"))
                .extracting(e -> e.field("ip")).containsExactly("203.0.113.7");
    }

    @Test
    void hostileModesSetThroughTheAdminApiReachTheOrigin() throws Exception {
        lab.admin().registerHost(LabHost.of("shop.lab.test", HostKind.PROTECTED));
        lab.admin().setHostHostile("shop.lab.test", new HostHostile(null, false, false, true, 0, false));
        assertThat(get("shop.lab.test", "/", null).statusCode()).isEqualTo(503);
        lab.admin().setHostHostile("shop.lab.test", new HostHostile(null, false, true, false, 0, false));
        assertThat(get("shop.lab.test", "/", null).body()).contains("Sorry, you have been blocked");
        lab.admin().setHostHostile("shop.lab.test", new HostHostile(null, false, false, false, 2000, false));
        assertThat(get("shop.lab.test", "/", null).body()).contains("cMTimeMs: '2000'");
        http.admin("POST", "/hosts", "{\"host\":\"admin.lab.test\",\"kind\":\"blocked\"}");
        assertThat(get("admin.lab.test", "/", null).body()).contains("Error 1020");
    }

    @Test
    void challengeSitekeyDifficultySetsThePagesProofOfWork() throws Exception {
        lab.admin().registerHost(new LabHost("exit.lab.test", HostKind.PROTECTED, "non-interactive", 0, null));
        assertThat(get("exit.lab.test", ProtectedOrigin.ORCHESTRATE, null).body()).contains("\"powBits\":16");
        lab.admin().registerSitekey(new Sitekey(LabOrigin.MANAGED_SITEKEY, LabOrigin.MANAGED_SECRET, List.of("*"),
                null, 20, 0, null));
        assertThat(get("exit.lab.test", ProtectedOrigin.ORCHESTRATE, null).body()).contains("\"powBits\":20");
        Proxied visitor = new Proxied("203.0.113.7");
        ChallengePageFields page = ChallengePageFields.of(visitor.send("GET", "/", null, null).body());
        String easy = "0";
        while (!ProofOfWork.verify(page.cH(), easy, 12) || ProofOfWork.verify(page.cH(), easy, 20)) {
            easy = Long.toString(Long.parseLong(easy) + 1);
        }
        assertThat(visitor.send("POST", page.fa(), null, form(page.md(), easy)).status()).isEqualTo(403);
    }

    @Test
    void turnstileFormHostVerifiesWithTheLabSiteverify() throws Exception {
        lab.admin().registerHost(LabHost.of("form.lab.test", HostKind.TURNSTILE_FORM));
        assertThat(get("form.lab.test", "/form", null).body()).contains("data-sitekey=\"1x00000000000000000000AA\"");
        assertThat(postForm("form.lab.test", "/form", "cf-turnstile-response=XXXX.DUMMY.TOKEN.XXXX").statusCode())
                .isEqualTo(200);
        lab.admin().registerSitekey(Sitekey.managed("0x4AAAAAAAformOwnKey", "0x4AAAAAAAformOwnSecret", "form.lab.test"));
        assertThat(get("form.lab.test", "/form", null).body()).contains("data-sitekey=\"0x4AAAAAAAformOwnKey\"");
        assertThat(postForm("form.lab.test", "/form", "cf-turnstile-response=XXXX.DUMMY.TOKEN.XXXX").statusCode())
                .isEqualTo(403);
    }

    /** HTTP/1.1 over the lab's proxied plain connector, as the forward proxy sends it: PROXY v1 header first. */
    record Proxied(String exitIp) {

        record Answer(int status, List<String> headers, String body) {
        }

        Answer send(String method, String pathAndQuery, String cookie, String formBody) throws Exception {
            try (Socket socket = new Socket("127.0.0.1", lab.proxiedHttpPort())) {
                socket.setSoTimeout(30_000);
                byte[] body = formBody == null ? new byte[0] : formBody.getBytes(StandardCharsets.UTF_8);
                StringBuilder head = new StringBuilder()
                        .append("PROXY TCP4 ").append(exitIp).append(" 127.0.0.1 40000 80\r\n")
                        .append(method).append(' ').append(pathAndQuery).append(" HTTP/1.1\r\n")
                        .append("Host: exit.lab.test\r\nUser-Agent: ").append(UA).append("\r\nConnection: close\r\n");
                if (cookie != null) {
                    head.append("Cookie: ").append(cookie).append("\r\n");
                }
                if (formBody != null) {
                    head.append("Content-Type: application/x-www-form-urlencoded\r\n");
                }
                head.append("Content-Length: ").append(body.length).append("\r\n\r\n");
                OutputStream out = socket.getOutputStream();
                out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
                out.write(body);
                out.flush();
                InputStream in = socket.getInputStream();
                ByteArrayOutputStream all = new ByteArrayOutputStream();
                in.transferTo(all);
                String text = all.toString(StandardCharsets.UTF_8);
                int split = text.indexOf("\r\n\r\n");
                List<String> lines = List.of(text.substring(0, split).split("\r\n"));
                return new Answer(Integer.parseInt(lines.getFirst().split(" ")[1]), lines.subList(1, lines.size()),
                        text.substring(split + 4));
            }
        }
    }
}
