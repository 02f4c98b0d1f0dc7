package dev.turnpike.lab.strict;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The judge on signals written by hand: a desktop Chrome's pass, and each tell that a browser test cannot easily
 * produce (a mobile pointer, an exit country, a permission pair) fires its own check and only it.
 */
class StrictJudgeTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0"
            + " Safari/537.36";
    static final StrictJudge JUDGE = new StrictJudge(CountryConventions.load(CountryConventions.ZONEINFO));

    static ObjectNode identity(boolean top) throws Exception {
        ObjectNode id = (ObjectNode) JSON.readTree("""
                {"ua": "%s", "uaData": {"brands": ["Chromium/156", "Not-A.Brand/24"], "mobile": false,
                 "platform": "Linux"}, "platform": "Linux x86_64", "languages": ["de-DE", "de"],
                 "hardwareConcurrency": 8, "webdriver": false, "timeZone": "Europe/Berlin",
                 "high": {"architecture": "x86", "bitness": "64", "platformVersion": "6.1.0",
                  "uaFullVersion": "156.0.8078.79", "model": "", "fullVersionList": ["Chromium/156.0.8078.79",
                  "Not-A.Brand/24.0.0.0"]}}
                """.formatted(UA));
        if (top) {
            id.set("driverGlobals", JSON.createArrayNode());
            id.put("devtools", false);
            id.set("window", JSON.readTree("""
                    {"innerWidth": 1366, "innerHeight": 657, "outerWidth": 1366, "outerHeight": 768,
                     "screenWidth": 1920, "screenHeight": 1080, "availWidth": 1920, "availHeight": 1050, "dpr": 1,
                     "screenX": 10, "screenY": 20, "top": true}"""));
            id.set("permissions", JSON.readTree("{\"notification\": \"default\", \"query\": \"prompt\"}"));
        }
        return id;
    }

    static ObjectNode signals() throws Exception {
        ObjectNode page = JSON.createObjectNode();
        page.set("self", identity(true));
        page.set("worker", identity(false));
        ObjectNode frame = JSON.createObjectNode();
        frame.set("self", identity(true));
        frame.set("worker", identity(false));
        ObjectNode s = JSON.createObjectNode();
        s.put("where", "widget");
        s.set("page", page);
        s.set("frame", frame);
        s.set("click", JSON.readTree("""
                {"moves": 14, "pressMs": 87.5, "pointerType": "mouse", "at": {"clientX": 30, "clientY": 30,
                 "pageX": 30, "pageY": 30, "screenX": 340, "screenY": 500, "scrollX": 0, "scrollY": 0}}"""));
        return s;
    }

    static RequestFacts headers(Optional<String> country) {
        return new RequestFacts(UA, "\"Chromium\";v=\"156\", \"Not-A.Brand\";v=\"24\"", "\"Linux\"", "?0",
                "de-DE,de;q=0.9", country);
    }

    static List<String> fired(Consumer<ObjectNode> change, Optional<String> country) throws Exception {
        ObjectNode s = signals();
        change.accept(s);
        return JUDGE.judge(s, headers(country), true).stream().map(f -> f.check().wire()).toList();
    }

    static ObjectNode at(JsonNode node, String... path) {
        JsonNode n = node;
        for (String p : path) {
            n = n.get(p);
        }
        return (ObjectNode) n;
    }

    @Test
    void aConsistentDesktopChromeFromGermanyPassesEveryCheck() throws Exception {
        assertThat(fired(s -> { }, Optional.of("DE"))).isEmpty();
    }

    @Test
    void aTouchPressOfNoDurationFiresTheClickChecks() throws Exception {
        assertThat(fired(s -> at(s, "click").put("pointerType", "touch").put("pressMs", 0), Optional.empty()))
                .containsExactly("click-no-press", "click-pointer-type");
    }

    @Test
    void screenCoordinatesOutsideTheWindowFireTheCoordinatesCheck() throws Exception {
        assertThat(fired(s -> at(s, "click", "at").put("screenX", 5).put("screenY", 5), Optional.empty()))
                .containsExactly("click-coordinates");
    }

    @Test
    void deniedNotificationsThatQueryAsPromptFireThePermissionsCheck() throws Exception {
        assertThat(fired(s -> at(s, "page", "self", "permissions").put("notification", "denied"), Optional.empty()))
                .containsExactly("permissions");
    }

    @Test
    void aWorkerWithAnotherPlatformFiresThePlatformCheck() throws Exception {
        assertThat(fired(s -> at(s, "frame", "worker").put("platform", "Win32"), Optional.empty()))
                .containsExactly("platform-mismatch");
    }

    @Test
    void emptiedHighEntropyHintsFireTheClientHintsCheck() throws Exception {
        assertThat(fired(s -> {
            for (String part : List.of("page", "frame")) {
                for (String kind : List.of("self", "worker")) {
                    at(s, part, kind, "high").put("architecture", "").put("bitness", "")
                            .set("fullVersionList", JSON.createArrayNode());
                }
            }
        }, Optional.empty())).containsExactly("client-hints-mismatch");
    }

    @Test
    void aBerlinBrowserThroughAJapaneseExitFiresTheCountryChecks() throws Exception {
        assertThat(fired(s -> { }, Optional.of("JP"))).containsExactly("timezone-country", "languages-country");
    }

    @Test
    void aProxylessRequestHasNoCountryToAnswerTo() throws Exception {
        assertThat(fired(s -> { }, Optional.empty())).isEmpty();
    }

    @Test
    void aScreenSmallerThanTheWindowFiresTheWindowCheck() throws Exception {
        assertThat(fired(s -> at(s, "page", "self", "window").put("screenWidth", 800).put("screenHeight", 600),
                Optional.empty())).containsExactly("window-metrics");
    }

    @Test
    void aDriverGlobalFiresItsCheck() throws Exception {
        assertThat(fired(s -> at(s, "page", "self").set("driverGlobals", JSON.createArrayNode().add("cdc_adoQpoasnfa76pfcZLmcfl_Array")),
                Optional.empty())).containsExactly("driver-globals");
    }
}
