package dev.turnpike.lab.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.turnpike.lab.Lab;
import dev.turnpike.lab.LabOptions;
import dev.turnpike.lab.core.HostHostile;
import dev.turnpike.lab.core.HostKind;
import dev.turnpike.lab.core.LabEvent;
import dev.turnpike.lab.core.LabHost;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The protected origin's challenge pages in a real Chromium (LAB.md L3): the page, its orchestrate script, the
 * lab's Turnstile or proof of work, the solve, the cookie and the redirect back to the URL first asked for.
 * Drives the browser only as a user would (navigate, one trusted click); reads the page to assert.
 */
class OriginBrowserTest {

    static final String HOST = "shop.lab.test";
    static final Duration WAIT = Duration.ofSeconds(90);
    static final String DONE = "document.title === 'Lab Protected Home' && !!document.getElementById('lab-ok')";

    static Lab lab;
    static TestChromium chromium;
    TestChromium.Page page;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(TestChromium.available(), "Chromium is not installed");
        lab = Lab.start(LabOptions.defaults().withSeed(5));
        chromium = TestChromium.launch(lab.chromiumArgs());
    }

    @AfterAll
    static void stop() {
        if (chromium != null) {
            chromium.close();
        }
        if (lab != null) {
            lab.close();
        }
    }

    @BeforeEach
    void newPage() throws Exception {
        lab.admin().reset();
        page = chromium.newPage();
    }

    @AfterEach
    void closePage() throws Exception {
        page.close();
    }

    /** Events of a type, leaving out the browser's own favicon request (challenged too, as at Cloudflare). */
    private long count(String type) {
        return lab.admin().events().stream().filter(e -> e.type().equals(type))
                .filter(e -> !"/favicon.ico".equals(e.field("path"))).count();
    }

    @Test
    void managedChallengeClearsAndRedirectsToTheOriginalPage() throws Exception {
        lab.admin().registerHost(LabHost.of(HOST, HostKind.PROTECTED));
        page.navigate("https://" + HOST + "/?from=browser#top");

        page.waitFor(DONE, WAIT);
        assertThat(page.eval("location.href").asText()).isEqualTo("https://" + HOST + "/?from=browser");
        assertThat(count("challengePage.served")).isEqualTo(1);
        assertThat(count("challengePage.rejected")).isZero();
        assertThat(count("token.verified")).isEqualTo(1);
        assertThat(count("clearance.issued")).isEqualTo(1);
        assertThat(count("clearance.accepted")).isEqualTo(1);
        JsonNode cookies = chromium.send(page.sessionId(), "Network.getCookies",
                Map.of("urls", java.util.List.of("https://" + HOST + "/"))).get("cookies");
        assertThat(cookies.toString()).contains("\"name\":\"cf_clearance\"", "\"domain\":\"." + HOST + "\"",
                "\"httpOnly\":true", "\"secure\":true", "\"sameSite\":\"None\"");
    }

    @Test
    void challengePageShowsCloudflaresTextsWhileItWorks() throws Exception {
        // A slow proof of work keeps the page up long enough to read it.
        lab.admin().registerHost(new LabHost(HOST, HostKind.PROTECTED, "managed", 0, null));
        lab.admin().registerSitekey(new dev.turnpike.lab.core.Sitekey(
                dev.turnpike.lab.origin.LabOrigin.MANAGED_SITEKEY, "0x4AAAAAAALabChallengeManagedSecret",
                java.util.List.of(HOST), null, 16, 3_000, null));
        page.navigate("https://" + HOST + "/");

        String text = page.waitFor("document.body && document.body.innerText.includes('Ray ID') ? "
                + "document.body.innerText : ''", WAIT);
        assertThat(text).contains("Verifying you are human. This may take a few seconds.",
                HOST + " needs to review the security of your connection before proceeding.",
                "Performance & security by Cloudflare");
        assertThat(page.eval("document.title").asText()).isEqualTo("Just a moment...");
        // history.replaceState put ?__cf_chl_rt_tk=… in the address bar, then the orchestrate script's onload
        // restored the URL first asked for.
        assertThat(page.eval("location.href").asText()).isEqualTo("https://" + HOST + "/");
        assertThat(page.eval("!!document.querySelector('#challenge-stage')").asBoolean()).isTrue();
        page.waitFor(DONE, WAIT);
    }

    @Test
    void nonInteractiveChallengeClearsWithTheProofOfWork() throws Exception {
        lab.admin().registerHost(new LabHost(HOST, HostKind.PROTECTED, "non-interactive", 0, null));
        page.navigate("https://" + HOST + "/api/echo?x=1");

        page.waitFor("document.body && document.body.innerText.includes('\"method\":\"GET\"')", WAIT);
        assertThat(page.eval("location.href").asText()).isEqualTo("https://" + HOST + "/api/echo?x=1");
        assertThat(count("token.verified")).isZero();
        assertThat(count("clearance.issued")).isEqualTo(1);
    }

    @Test
    void legacyIuamPageClearsToo() throws Exception {
        lab.admin().registerHost(LabHost.of(HOST, HostKind.PROTECTED)
                .withHostile(new HostHostile(null, false, false, true, 0, false)));
        page.navigate("https://" + HOST + "/");

        page.waitFor(DONE, WAIT);
        assertThat(lab.admin().events()).filteredOn(e -> e.type().equals("challengePage.served"))
                .filteredOn(e -> e.field("path").equals("/"))
                .extracting(e -> e.field("legacy")).containsExactly("true");
        assertThat(count("challengePage.rejected")).isZero();
    }

    @Test
    void interactiveChallengeNeedsATrustedClick() throws Exception {
        lab.admin().registerHost(new LabHost(HOST, HostKind.PROTECTED, "interactive", 0, null));
        page.navigate("https://" + HOST + "/");
        String frame = attachToWidgetFrame();
        // The checkbox is behind the widget page's closed shadow root: found through the DevTools DOM.
        String checkbox = page.waitForCheckbox(frame, WAIT);
        assertThat(count("clearance.issued")).isZero();

        JsonNode box = page.eval("JSON.parse(JSON.stringify(document.querySelector('#challenge-stage > div')"
                + ".getBoundingClientRect()))");
        JsonNode cb = page.callOn(frame, checkbox,
                "function () { return JSON.parse(JSON.stringify(this.getBoundingClientRect())); }");
        page.click(box.get("x").asDouble() + cb.get("x").asDouble() + cb.get("width").asDouble() / 2,
                box.get("y").asDouble() + cb.get("y").asDouble() + cb.get("height").asDouble() / 2);

        page.waitFor(DONE, WAIT);
        assertThat(count("clearance.issued")).isEqualTo(1);
    }

    @Test
    void pageRefreshReissuesTheChallengeBeforeASlowWidgetFinishes() throws Exception {
        lab.admin().registerHost(LabHost.of(HOST, HostKind.PROTECTED)
                .withHostile(new HostHostile(null, false, false, false, 2_500, false)));
        // Each widget step takes 2 s: the page (2.5 s of life) reloads with a new ray before a token exists.
        lab.admin().registerSitekey(new dev.turnpike.lab.core.Sitekey(
                dev.turnpike.lab.origin.LabOrigin.MANAGED_SITEKEY, "0x4AAAAAAALabChallengeManagedSecret",
                java.util.List.of(HOST), null, 16, 2_000, null));
        page.navigate("https://" + HOST + "/");

        long deadline = System.nanoTime() + WAIT.toNanos();
        while (count("challengePage.served") < 3 && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertThat(lab.admin().events()).filteredOn(e -> e.type().equals("challengePage.served"))
                .filteredOn(e -> e.field("path").equals("/"))
                .extracting(e -> e.field("ray")).hasSizeGreaterThanOrEqualTo(3).doesNotHaveDuplicates();
        assertThat(count("clearance.issued")).isZero();
    }

    @Test
    void challengeLoopWithCookieForAnotherDomainNeverClearsInTheBrowser() throws Exception {
        lab.admin().registerHost(new LabHost(HOST, HostKind.PROTECTED, "non-interactive", 0,
                new HostHostile(dev.turnpike.lab.core.ChallengeLoop.WRONG_DOMAIN, false, false, false, 0, false)));
        page.navigate("https://" + HOST + "/");

        long deadline = System.nanoTime() + WAIT.toNanos();
        while (count("clearance.issued") < 2 && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        // Solved twice, yet Chromium refused the cookie each time and the page is the challenge again.
        assertThat(count("clearance.issued")).isGreaterThanOrEqualTo(2);
        assertThat(count("clearance.accepted")).isZero();
        JsonNode cookies = chromium.send(page.sessionId(), "Network.getCookies",
                Map.of("urls", java.util.List.of("https://" + HOST + "/"))).get("cookies");
        assertThat(cookies.toString()).doesNotContain("cf_clearance");
    }

    /** Attaches to the widget's out-of-process iframe (test code reaching inside it, as a solver would not). */
    private String attachToWidgetFrame() throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode targets = chromium.send(null, "Target.getTargets", Map.of()).get("targetInfos");
            for (JsonNode t : targets) {
                if (t.path("type").asText().equals("iframe")
                        && t.path("browserContextId").asText().equals(page.contextId())
                        && t.path("url").asText().contains("/turnstile/")) {
                    return chromium.send(null, "Target.attachToTarget", Map.of("targetId", t.get("targetId").asText(),
                            "flatten", true)).get("sessionId").asText();
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no widget iframe target");
    }
}
