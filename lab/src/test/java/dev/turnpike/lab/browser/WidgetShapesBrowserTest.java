package dev.turnpike.lab.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.turnpike.lab.Lab;
import dev.turnpike.lab.LabHttp;
import dev.turnpike.lab.LabOptions;
import dev.turnpike.lab.core.Sitekey;
import dev.turnpike.lab.shapes.ShapePages;
import dev.turnpike.lab.shapes.WidgetShape;
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

/**
 * The lab's widget-shape pages in a real Chromium, as a visitor meets them: the page's own widget gives a token that
 * siteverify accepts with the page's action and cData (the shapes that need a click are passed in the solver's suite).
 */
class WidgetShapesBrowserTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String HOST = "shapes.lab.test";
    static final String FRAMES = "frames.lab.test";
    static final String SITEKEY = "0x4AAAAAAAshapeSitekey";
    static final String SECRET = "0x4AAAAAAAshapeSecret";
    static final String OTHER = "0x4AAAAAAAshapeOther";
    static final Duration WAIT = Duration.ofSeconds(60);
    /** Where each page keeps its widget's token when not in its top window (same-origin frames the test can read). */
    static final Map<WidgetShape, String> TOKEN_AT = Map.of(
            WidgetShape.SAME_ORIGIN_IFRAME, "document.querySelector('iframe').contentWindow.labToken",
            WidgetShape.NESTED_IFRAMES,
            "document.querySelector('iframe').contentDocument.querySelector('iframe').contentWindow.labToken");

    static Lab lab;
    static LabHttp http;
    static TestChromium chromium;
    static ShapePages shapes;
    TestChromium.Page page;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(TestChromium.available(), "Chromium is not installed");
        lab = Lab.start(LabOptions.defaults().withSeed(5));
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
        lab.admin().registerSitekey(new Sitekey(OTHER, OTHER + "Secret", List.of("lab.test"), null, 12, 0, null));
        shapes = new ShapePages(HOST, FRAMES, SITEKEY, OTHER);
        shapes.registerAll(lab.admin());
        page = chromium.newPage();
    }

    @AfterEach
    void closePage() throws Exception {
        page.close();
    }

    JsonNode siteverify(String token) throws Exception {
        return JSON.readTree(http.post("challenges.cloudflare.com", "/turnstile/v0/siteverify", "application/json",
                JSON.writeValueAsString(Map.of("secret", SECRET, "response", token))).body());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = WidgetShape.class, mode = EnumSource.Mode.EXCLUDE,
            names = {"CROSS_ORIGIN_IFRAME", "EXECUTE_ON_SUBMIT", "BELOW_THE_FOLD", "SCROLLED_CONTAINER", "UNDER_OVERLAY",
                    "INTERACTION_ONLY"})
    void eachShapesPageGetsItsWidgetATokenWithThePagesActionAndCData(WidgetShape shape) throws Exception {
        page.navigate(shapes.url(shape));
        String token = page.waitFor(TOKEN_AT.getOrDefault(shape, "window.labToken"), WAIT);
        JsonNode verdict = siteverify(token);
        assertThat(verdict.path("success").asBoolean()).as(verdict.toString()).isTrue();
        assertThat(verdict.path("action").asText()).isEqualTo(shape.action());
        assertThat(verdict.path("cdata").asText()).isEqualTo(shape.cData());
    }

    @Test
    void anExecuteWidgetWaitsForTheFormsSubmit() throws Exception {
        page.navigate(shapes.url(WidgetShape.EXECUTE_ON_SUBMIT));
        page.waitFor("document.querySelector('input[name=cf-turnstile-response]') ? 'rendered' : ''", WAIT);
        assertThat(page.eval("String(turnstile.getResponse('#slot'))").asText()).as("not run before the submit")
                .isEqualTo("undefined");
        page.eval("document.getElementById('login').requestSubmit(), 'submitted'");
        String token = page.waitFor("window.labToken", WAIT);
        assertThat(siteverify(token).path("action").asText()).isEqualTo(WidgetShape.EXECUTE_ON_SUBMIT.action());
    }

    @Test
    void compatibilityModeServesGrecaptchaAndTheRecaptchaResponseField() throws Exception {
        page.navigate(shapes.url(WidgetShape.RECAPTCHA_COMPAT));
        String token = page.waitFor("window.labToken", WAIT);
        assertThat(page.eval("grecaptcha.getResponse()").asText()).isEqualTo(token);
        assertThat(page.eval("document.querySelector('[name=g-recaptcha-response]').value").asText()).isEqualTo(token);
        assertThat(page.eval("document.querySelector('[name=cf-turnstile-response]').value").asText()).isEqualTo(token);
    }

    @Test
    void aPageRegisteredWithAStatusIsAnsweredWithIt() throws Exception {
        lab.admin().registerPage(HOST, "/broken", "<title>Server error</title>", 500);
        assertThat(http.get(HOST, "/broken").statusCode()).isEqualTo(500);
        assertThat(http.get(HOST, "/not-registered").statusCode()).isEqualTo(404);
    }
}
