package dev.turnpike.lab.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.turnpike.lab.Lab;
import dev.turnpike.lab.LabHttp;
import dev.turnpike.lab.LabOptions;
import dev.turnpike.lab.core.Sitekey;
import dev.turnpike.lab.core.SitekeyHostile;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import dev.turnpike.lab.shapes.ShapePages;
import dev.turnpike.lab.shapes.WidgetShape;

/** The lab's Turnstile in a real Chromium: tokens from implicit and explicit widgets, trusted clicks, the DOM. */
class TurnstileBrowserTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String HOST = "widgets.lab.test";
    static final String SITEKEY = "0x4AAAAAAAbrowserSitekey";
    static final String SECRET = "0x4AAAAAAAbrowserSecret";
    static final String API = "https://challenges.cloudflare.com/turnstile/v0/api.js";
    static final Duration WAIT = Duration.ofSeconds(90);

    static Lab lab;
    static LabHttp http;
    static TestChromium chromium;
    TestChromium.Page page;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(TestChromium.available(), "Chromium is not installed");
        lab = Lab.start(LabOptions.defaults().withSeed(3));
        http = new LabHttp(lab);
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
        lab.admin().registerSitekey(new Sitekey(SITEKEY, SECRET, List.of("lab.test"), null, 12, 0, null));
        page = chromium.newPage();
    }

    @AfterEach
    void closePage() throws Exception {
        page.close();
    }

    static String implicitPage(String sitekey, String extraAttributes) {
        return """
                <!doctype html><html><head><title>implicit</title>
                <script src="%s" async defer></script></head><body>
                <form id="f" method="post" action="/submit">
                  <div class="cf-turnstile" data-sitekey="%s" data-action="login" data-cdata="implicit-1"
                       data-callback="done" data-error-callback="failed" %s></div>
                </form>
                <script>
                  window.__token = ''; window.__error = '';
                  function done(t) { window.__token = t; }
                  function failed(code) { window.__error = String(code); return true; }
                </script></body></html>
                """.formatted(API, sitekey, extraAttributes);
    }

    JsonNode siteverify(String token) throws Exception {
        return JSON.readTree(http.post("challenges.cloudflare.com", "/turnstile/v0/siteverify", "application/json",
                JSON.writeValueAsString(Map.of("secret", SECRET, "response", token))).body());
    }

    @Test
    void implicitWidgetGetsATokenSiteverifyAcceptsOnce() throws Exception {
        lab.admin().registerPage(HOST, "/implicit", implicitPage(SITEKEY, ""));
        page.navigate("https://" + HOST + "/implicit");
        String token = page.waitFor("window.__token", WAIT);
        assertThat(page.eval("new FormData(document.getElementById('f')).get('cf-turnstile-response')").asText())
                .isEqualTo(token);
        assertThat(page.eval("turnstile.getResponse()").asText()).isEqualTo(token);
        JsonNode first = siteverify(token);
        assertThat(first.get("success").asBoolean()).as(first.toString()).isTrue();
        assertThat(first.get("hostname").asText()).isEqualTo(HOST);
        assertThat(first.get("action").asText()).isEqualTo("login");
        assertThat(first.get("cdata").asText()).isEqualTo("implicit-1");
        assertThat(siteverify(token).get("error-codes").toString()).isEqualTo("[\"timeout-or-duplicate\"]");
    }

    @Test
    void explicitRenderGetsATokenSiteverifyAccepts() throws Exception {
        lab.admin().registerPage(HOST, "/explicit", """
                <!doctype html><html><head><title>explicit</title>
                <script src="%s?render=explicit&onload=onloadTurnstile"></script></head><body>
                <div id="box"></div>
                <script>
                  window.__token = '';
                  function onloadTurnstile() {
                    window.__wid = turnstile.render('#box', {sitekey: '%s', action: 'explicit', cData: 'explicit-2',
                      callback: function (t) { window.__token = t; }});
                  }
                </script></body></html>
                """.formatted(API, SITEKEY));
        page.navigate("https://" + HOST + "/explicit");
        String token = page.waitFor("window.__token", WAIT);
        String wid = page.eval("window.__wid").asText();
        assertThat(wid).matches("cf-chl-widget-[a-z0-9]{5}");
        assertThat(page.eval("document.getElementById('" + wid + "_response').value").asText()).isEqualTo(token);
        assertThat(page.eval("turnstile.isExpired('" + wid + "')").asBoolean()).isFalse();
        JsonNode answer = siteverify(token);
        assertThat(answer.get("success").asBoolean()).as(answer.toString()).isTrue();
        assertThat(answer.get("action").asText()).isEqualTo("explicit");
        assertThat(answer.get("cdata").asText()).isEqualTo("explicit-2");
        assertThat(siteverify(token).get("success").asBoolean()).isFalse();
    }

    @Test
    void shadowRootIsClosedByDefault() throws Exception {
        lab.admin().registerPage(HOST, "/implicit", implicitPage(SITEKEY, ""));
        page.navigate("https://" + HOST + "/implicit");
        page.waitFor("document.querySelector('.cf-turnstile > div') !== null", WAIT);
        assertThat(page.eval("document.querySelector('.cf-turnstile > div').shadowRoot === null").asBoolean()).isTrue();
        assertThat(page.eval("document.querySelectorAll('iframe').length").asInt()).isZero();
        JsonNode dom = chromium.send(page.sessionId(), "DOM.getDocument", Map.of("depth", -1, "pierce", true));
        String tree = dom.toString();
        assertThat(tree).contains("\"shadowRootType\":\"closed\"");
        assertThat(tree).containsPattern("cf-chl-widget-[a-z0-9]{5}");
        assertThat(tree).contains("https://challenges.cloudflare.com/cdn-cgi/challenge-platform/h/b/turnstile/f/av0/rchv1/");
    }

    @Test
    void shadowModeAndLegacyIframePathChangeTheWidgetDom() throws Exception {
        lab.admin().setSitekeyHostile(SITEKEY, SitekeyHostile.NONE.withShadowMode("open").withLegacyIframePath(true));
        lab.admin().registerPage(HOST, "/implicit", implicitPage(SITEKEY, ""));
        page.navigate("https://" + HOST + "/implicit");
        String src = page.waitFor("(function(){var h=document.querySelector('.cf-turnstile > div');"
                + "return h && h.shadowRoot && h.shadowRoot.querySelector('iframe') ? h.shadowRoot.querySelector('iframe').src : ''})()", WAIT);
        assertThat(src).contains("/cdn-cgi/challenge-platform/h/g/turnstile/if/ov2/av0/rcv/");
        assertThat(siteverify(page.waitFor("window.__token", WAIT)).get("success").asBoolean()).isTrue();
    }

    @Test
    void interactiveWidgetRefusesScriptClickAndAcceptsTrustedClick() throws Exception {
        lab.admin().setSitekeyHostile(SITEKEY, SitekeyHostile.NONE.withInteractiveOnly(120_000));
        lab.admin().registerPage(HOST, "/implicit", implicitPage(SITEKEY, ""));
        page.navigate("https://" + HOST + "/implicit");
        String frame = attachToWidgetFrame();
        String checkbox = page.waitForCheckbox(frame, WAIT);
        // As at Cloudflare, the checkbox is behind a closed shadow root of the widget's own document.
        assertThat(page.evalIn(frame, "document.querySelector('input[type=checkbox]') === null").asBoolean()).isTrue();
        assertThat(page.callOn(frame, checkbox, "function () { return this.getRootNode() instanceof ShadowRoot"
                + " && this.getRootNode().mode === 'closed' && this.getRootNode().host.shadowRoot === null; }")
                .asBoolean()).isTrue();

        page.callOn(frame, checkbox, "function () { this.click(); }");
        page.callOn(frame, checkbox, "function () { this.closest('label.cb-lb').click(); }");
        Thread.sleep(1500);
        assertThat(page.eval("window.__token").asText()).isEmpty();
        assertThat(page.callOn(frame, checkbox, "function () { return this.checked; }").asBoolean()).isFalse();
        assertThat(lab.admin().events()).noneMatch(e -> e.type().equals("token.issued"));

        clickCheckbox(frame, checkbox, "document.querySelector('.cf-turnstile')");
        String token = page.waitFor("window.__token", WAIT);
        JsonNode answer = siteverify(token);
        assertThat(answer.get("success").asBoolean()).as(answer.toString()).isTrue();
        assertThat(answer.get("metadata").get("interactive").asBoolean()).isTrue();
    }

    @Test
    void shadowModeNoneDrawsTheWidgetInThePlainDocumentAndATrustedClickPasses() throws Exception {
        lab.admin().setSitekeyHostile(SITEKEY, SitekeyHostile.NONE.withInteractiveOnly(120_000).withShadowMode("none"));
        lab.admin().registerPage(HOST, "/implicit", implicitPage(SITEKEY, ""));
        page.navigate("https://" + HOST + "/implicit");
        String frame = attachToWidgetFrame();
        page.waitForIn(frame, "document.querySelector('label.cb-lb > input[type=checkbox]') !== null", WAIT);
        String checkbox = page.waitForCheckbox(frame, WAIT);
        assertThat(page.callOn(frame, checkbox, "function () { return this.getRootNode() === document; }")
                .asBoolean()).isTrue();

        clickCheckbox(frame, checkbox, "document.querySelector('.cf-turnstile')");
        assertThat(siteverify(page.waitFor("window.__token", WAIT)).get("success").asBoolean()).isTrue();
    }

    @Test
    void theShadowModeRenderParameterReachesTheWidgetPage() throws Exception {
        lab.admin().registerPage(HOST, "/open", implicitPage(SITEKEY, "data-shadow-mode=\"open\""));
        page.navigate("https://" + HOST + "/open");
        String frame = attachToWidgetFrame();
        assertThat(page.waitForIn(frame, "(function () { var c = document.querySelector('body > div');"
                + " return c && c.shadowRoot && c.shadowRoot.querySelector('#content') ? c.shadowRoot.mode : ''; })()",
                WAIT)).isEqualTo("open");
        assertThat(siteverify(page.waitFor("window.__token", WAIT)).get("success").asBoolean()).isTrue();
    }

    /** A real click (CDP input) in the middle of the checkbox, placed on the page by the widget's container. */
    private void clickCheckbox(String frame, String checkbox, String container) throws Exception {
        clickCheckbox(page, frame, checkbox, container);
    }

    static void clickCheckbox(TestChromium.Page page, String frame, String checkbox, String container) throws Exception {
        JsonNode box = page.eval("JSON.parse(JSON.stringify(" + container + ".getBoundingClientRect()))");
        JsonNode cb = page.callOn(frame, checkbox, "function () { return JSON.parse(JSON.stringify("
                + "this.getBoundingClientRect())); }");
        page.click(box.get("x").asDouble() + cb.get("x").asDouble() + cb.get("width").asDouble() / 2,
                box.get("y").asDouble() + cb.get("y").asDouble() + cb.get("height").asDouble() / 2);
    }

    @Test
    void interactiveChallengeLeftUnclickedTimesOut() throws Exception {
        lab.admin().setSitekeyHostile(SITEKEY, SitekeyHostile.NONE.withInteractiveOnly(2_000));
        lab.admin().registerPage(HOST, "/timeout", implicitPage(SITEKEY,
                "data-timeout-callback=\"timedOut\" data-refresh-timeout=\"never\"").replace("</script></body>",
                "window.__timedOut = false; function timedOut() { window.__timedOut = true; }</script></body>"));
        page.navigate("https://" + HOST + "/timeout");
        page.waitFor("window.__timedOut", WAIT);
        assertThat(page.eval("window.__token").asText()).isEmpty();
        assertThat(lab.admin().events()).noneMatch(e -> e.type().equals("token.issued"));
    }

    @Test
    void apiJsRefusesToRunFromAnotherUrl() throws Exception {
        lab.admin().registerPage(HOST, "/copied", """
                <!doctype html><html><head><title>copied</title></head><body><script>
                  window.__result = '';
                  fetch('%s').then(function (r) { return r.text(); }).then(function (code) {
                    try { (0, eval)(code); window.__result = 'ran'; } catch (e) { window.__result = e.message; }
                  });
                </script></body></html>
                """.formatted(API));
        page.navigate("https://" + HOST + "/copied");
        assertThat(page.waitFor("window.__result", WAIT)).contains("Could not find Turnstile valid script tag");
        assertThat(page.eval("typeof window.turnstile").asText()).isEqualTo("undefined");
    }

    @Test
    void alwaysFailReachesTheErrorCallback() throws Exception {
        lab.admin().setSitekeyHostile(SITEKEY, SitekeyHostile.NONE.withAlwaysFail(true));
        lab.admin().registerPage(HOST, "/implicit", implicitPage(SITEKEY, "data-retry=\"never\""));
        page.navigate("https://" + HOST + "/implicit");
        assertThat(page.waitFor("window.__error", WAIT)).isEqualTo("600010");
        assertThat(page.eval("window.__token").asText()).isEmpty();
    }

    @Test
    void hungWidgetFails300030() throws Exception {
        lab.admin().setSitekeyHostile(SITEKEY, SitekeyHostile.NONE.withHang(2_000));
        lab.admin().registerPage(HOST, "/implicit", implicitPage(SITEKEY, "data-retry=\"never\""));
        page.navigate("https://" + HOST + "/implicit");
        assertThat(page.waitFor("window.__error", WAIT)).isEqualTo("300030");
    }

    @Test
    void invalidSitekeyAndForeignDomainFailInThePage() throws Exception {
        lab.admin().setSitekeyHostile(SITEKEY, SitekeyHostile.NONE.withInvalidSitekey(true));
        lab.admin().registerPage(HOST, "/implicit", implicitPage(SITEKEY, "data-retry=\"never\""));
        page.navigate("https://" + HOST + "/implicit");
        assertThat(page.waitFor("window.__error", WAIT)).isEqualTo("110100");
        lab.admin().setSitekeyHostile(SITEKEY, SitekeyHostile.NONE.withDomainNotAllowed(true));
        page.navigate("https://" + HOST + "/implicit?again");
        assertThat(page.waitFor("window.__error", WAIT)).isEqualTo("110200");
        lab.admin().registerPage(HOST, "/bad", implicitPage("no", ""));
        page.navigate("https://" + HOST + "/bad");
        assertThat(page.waitFor("window.__error", WAIT)).isEqualTo("110110");
    }

    @Test
    void executeResetAndRemoveDriveTheWidget() throws Exception {
        lab.admin().registerPage(HOST, "/execute", """
                <!doctype html><html><head><title>execute</title>
                <script src="%s?render=explicit"></script></head><body>
                <div id="box"></div>
                <script>
                  window.__tokens = [];
                  window.__wid = turnstile.render('#box', {sitekey: '%s', execution: 'execute',
                    callback: function (t) { window.__tokens.push(t); }});
                </script></body></html>
                """.formatted(API, SITEKEY));
        page.navigate("https://" + HOST + "/execute");
        String wid = page.waitFor("window.__wid", WAIT);
        Thread.sleep(500);
        assertThat(lab.admin().events()).noneMatch(e -> e.type().equals("challenge.issued"));
        assertThat(page.eval("turnstile.getResponse(window.__wid) === undefined").asBoolean()).isTrue();

        page.eval("turnstile.execute('#box')");
        String first = page.waitFor("window.__tokens[0]", WAIT);
        assertThat(page.eval("turnstile.getResponse('" + wid + "')").asText()).isEqualTo(first);

        page.eval("turnstile.reset(window.__wid); turnstile.execute(window.__wid)");
        assertThat(page.eval("turnstile.getResponse(window.__wid) === undefined").asBoolean()).isTrue();
        String second = page.waitFor("window.__tokens[1]", WAIT);
        assertThat(second).isNotEqualTo(first);
        assertThat(siteverify(second).get("success").asBoolean()).isTrue();

        page.eval("turnstile.remove(window.__wid)");
        assertThat(page.eval("document.getElementById('box').childElementCount").asInt()).isZero();
        assertThat(page.eval("turnstile.getResponse(window.__wid) === undefined").asBoolean()).isTrue();
    }

    @Test
    void expiredCallbackFiresBeforeExpiryAndTheWidgetRefreshes() throws Exception {
        lab.admin().setSitekeyHostile(SITEKEY, SitekeyHostile.NONE.withTokenTtlMs(3_000));
        lab.admin().registerPage(HOST, "/expiring", implicitPage(SITEKEY,
                "data-expired-callback=\"expired\"") .replace("</script></body>",
                "window.__expired = ''; function expired(t) { window.__expired = t; }</script></body>"));
        page.navigate("https://" + HOST + "/expiring");
        String first = page.waitFor("window.__token", WAIT);
        assertThat(page.waitFor("window.__expired", WAIT)).isEqualTo(first);
        String refreshed = page.waitFor("window.__token !== '" + first + "' && window.__token", WAIT);
        assertThat(refreshed).isNotEqualTo(first);
        assertThat(page.eval("turnstile.isExpired()").asBoolean()).isFalse();
    }

    @Test
    void failedWidgetRetriesAfterTheRetryInterval() throws Exception {
        lab.admin().setSitekeyHostile(SITEKEY, SitekeyHostile.NONE.withAlwaysFail(true));
        lab.admin().registerPage(HOST, "/retry", implicitPage(SITEKEY, "data-retry-interval=\"1000\"")
                .replace("function failed(code) {", "window.__failures = 0; function failed(code) { window.__failures++;"));
        page.navigate("https://" + HOST + "/retry");
        page.waitFor("window.__failures >= 2", WAIT);
        assertThat(lab.admin().events().stream().filter(e -> e.type().equals("widget.failed")).count())
                .isGreaterThanOrEqualTo(2);
    }

    /** Attaches to the widget's out-of-process iframe (test code reaching inside it, as a solver would not). */
    private String attachToWidgetFrame() throws Exception {
        return attachToWidgetFrame(chromium, page);
    }

    /** Attaches to the widget iframe of {@code page}'s context; returns the session id. */
    static String attachToWidgetFrame(TestChromium chromium, TestChromium.Page page) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode targets = chromium.send(null, "Target.getTargets", Map.of()).get("targetInfos");
            for (JsonNode t : targets) {
                if (t.path("type").asText().equals("iframe") && t.path("browserContextId").asText().equals(page.contextId())
                        && t.path("url").asText().contains("/turnstile/")) {
                    return chromium.send(null, "Target.attachToTarget", Map.of("targetId", t.get("targetId").asText(),
                            "flatten", true)).get("sessionId").asText();
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no widget iframe target");
    }

    // ---- the widget-shape pages (ShapePages), as a visitor meets them; those needing a click are in the solver suite

    /** Where a shape page keeps its widget's token when not in its top window (same-origin frames a test can read). */
    static final Map<WidgetShape, String> TOKEN_AT = Map.of(
            WidgetShape.SAME_ORIGIN_IFRAME, "document.querySelector('iframe').contentWindow.labToken",
            WidgetShape.NESTED_IFRAMES,
            "document.querySelector('iframe').contentDocument.querySelector('iframe').contentWindow.labToken");

    static ShapePages shapes() {
        String other = "0x4AAAAAAAshapeOther";
        lab.admin().registerSitekey(new Sitekey(other, other + "Secret", List.of("lab.test"), null, 12, 0, null));
        ShapePages shapes = new ShapePages(HOST, "frames.lab.test", SITEKEY, other);
        shapes.registerAll(lab.admin());
        return shapes;
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = WidgetShape.class, mode = EnumSource.Mode.EXCLUDE,
            names = {"CROSS_ORIGIN_IFRAME", "EXECUTE_ON_SUBMIT", "BELOW_THE_FOLD", "SCROLLED_CONTAINER", "UNDER_OVERLAY",
                    "INTERACTION_ONLY"})
    void eachShapePageGetsItsWidgetATokenWithThePagesActionAndCData(WidgetShape shape) throws Exception {
        page.navigate(shapes().url(shape));
        String token = page.waitFor(TOKEN_AT.getOrDefault(shape, "window.labToken"), WAIT);
        JsonNode verdict = siteverify(token);
        assertThat(verdict.path("success").asBoolean()).as(verdict.toString()).isTrue();
        assertThat(verdict.path("action").asText()).isEqualTo(shape.action());
        assertThat(verdict.path("cdata").asText()).isEqualTo(shape.cData());
    }

    @Test
    void anExecuteWidgetWaitsForTheFormsSubmit() throws Exception {
        page.navigate(shapes().url(WidgetShape.EXECUTE_ON_SUBMIT));
        page.waitFor("document.querySelector('input[name=cf-turnstile-response]') ? 'rendered' : ''", WAIT);
        assertThat(page.eval("String(turnstile.getResponse('#slot'))").asText()).as("not run before the submit")
                .isEqualTo("undefined");
        page.eval("document.getElementById('login').requestSubmit(), 'submitted'");
        String token = page.waitFor("window.labToken", WAIT);
        assertThat(siteverify(token).path("action").asText()).isEqualTo(WidgetShape.EXECUTE_ON_SUBMIT.action());
    }

    @Test
    void compatibilityModeServesGrecaptchaAndTheRecaptchaResponseField() throws Exception {
        page.navigate(shapes().url(WidgetShape.RECAPTCHA_COMPAT));
        String token = page.waitFor("window.labToken", WAIT);
        assertThat(page.eval("grecaptcha.getResponse()").asText()).isEqualTo(token);
        assertThat(page.eval("document.querySelector('[name=g-recaptcha-response]').value").asText()).isEqualTo(token);
        assertThat(page.eval("document.querySelector('[name=cf-turnstile-response]').value").asText()).isEqualTo(token);
    }

    /** Opens a refresh shape's page with 2 s tokens and waits for its first token to expire; that token. */
    private String firstTokenExpiredOn(WidgetShape shape) throws Exception {
        lab.admin().setSitekeyHostile(SITEKEY, SitekeyHostile.NONE.withTokenTtlMs(2_000));
        page.navigate(shapes().url(shape));
        String first = page.waitFor("window.labToken", WAIT);
        page.waitFor("window.labExpiries > 0", WAIT);
        assertThat(page.eval("turnstile.isExpired()").asBoolean()).isTrue();
        return first;
    }

    @Test
    void aManualRefreshWidgetShowsCloudflaresRefreshLinkAndOnlyATrustedClickRenewsTheToken() throws Exception {
        String first = firstTokenExpiredOn(WidgetShape.REFRESH_EXPIRED_MANUAL);
        String frame = attachToWidgetFrame();
        String link = page.waitForId(frame, "expired-refresh-link", WAIT);
        page.callOn(frame, link, "function () { this.click(); }");
        Thread.sleep(1000);
        assertThat(page.eval("window.labToken").asText()).as("a script's click is not a person's").isEqualTo(first);

        JsonNode box = page.eval("JSON.parse(JSON.stringify(document.querySelector('.cf-turnstile')"
                + ".getBoundingClientRect()))");
        JsonNode at = page.callOn(frame, link, "function () { return JSON.parse(JSON.stringify("
                + "this.getBoundingClientRect())); }");
        page.click(box.get("x").asDouble() + at.get("x").asDouble() + at.get("width").asDouble() / 2,
                box.get("y").asDouble() + at.get("y").asDouble() + at.get("height").asDouble() / 2);
        String renewed = page.waitFor("window.labToken !== '" + first + "' && window.labToken", WAIT);
        assertThat(siteverify(renewed).path("success").asBoolean()).isTrue();
        assertThat(page.eval("turnstile.isExpired()").asBoolean()).isFalse();
    }

    @Test
    void aNeverRefreshWidgetStaysExpiredUntilThePageResetsIt() throws Exception {
        String first = firstTokenExpiredOn(WidgetShape.REFRESH_EXPIRED_NEVER);
        Thread.sleep(1500); // an auto widget would have run again by now
        assertThat(page.eval("turnstile.isExpired()").asBoolean()).isTrue();
        assertThat(page.eval("window.labToken").asText()).as("no refresh of its own").isEqualTo(first);
        String frame = attachToWidgetFrame();
        page.waitForId(frame, "expired-text", WAIT);
        assertThat(page.hasId(frame, "expired-refresh-link")).as("no Refresh link to click").isFalse();

        page.eval("turnstile.reset(), 'reset'");
        String renewed = page.waitFor("window.labToken !== '" + first + "' && window.labToken", WAIT);
        assertThat(siteverify(renewed).path("success").asBoolean()).isTrue();
    }

    @Test
    void aPageRegisteredWithAStatusIsAnsweredWithIt() throws Exception {
        lab.admin().registerPage(HOST, "/broken", "<title>Server error</title>", 500);
        assertThat(http.get(HOST, "/broken").statusCode()).isEqualTo(500);
        assertThat(http.get(HOST, "/not-registered").statusCode()).isEqualTo(404);
    }
}
