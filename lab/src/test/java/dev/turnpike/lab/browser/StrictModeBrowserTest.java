package dev.turnpike.lab.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.turnpike.lab.Lab;
import dev.turnpike.lab.LabOptions;
import dev.turnpike.lab.core.HostKind;
import dev.turnpike.lab.core.LabEvent;
import dev.turnpike.lab.core.LabHost;
import dev.turnpike.lab.core.Sitekey;
import dev.turnpike.lab.core.SitekeyHostile;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The strict mode (LAB.md L5) can fail: a plain, naive DevTools client — Chromium's default headless flags,
 * {@code Runtime.enable}, input without a pointer's story — is refused by a strict widget and looped by a strict
 * challenge page, and the event log names the checks that fired. The same client passes when strict mode is off.
 */
class StrictModeBrowserTest {

    static final String HOST = "strict.lab.test";
    static final String SITEKEY = "0x4AAAAAAAstrictSitekey";
    static final String SECRET = "0x4AAAAAAAstrictSecret";
    static final Duration WAIT = Duration.ofSeconds(90);

    static Lab lab;
    static TestChromium chromium;
    TestChromium.Page page;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(TestChromium.available(), "Chromium is not installed");
        lab = Lab.start(LabOptions.defaults().withSeed(24));
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
        lab.admin().registerSitekey(new Sitekey(SITEKEY, SECRET, List.of("lab.test"), null, 8, 0, null));
        page = chromium.newPage();
        // What a naive client does first: it turns the Runtime domain on to evaluate and to see console output.
        chromium.send(page.sessionId(), "Runtime.enable", Map.of());
    }

    @AfterEach
    void closePage() throws Exception {
        page.close();
    }

    @Test
    void aNaiveClientIsRefusedByAStrictWidgetAndTheLogNamesTheChecks() throws Exception {
        lab.admin().setSitekeyStrict(SITEKEY, true);
        lab.admin().registerPage(HOST, "/form", TurnstileBrowserTest.implicitPage(SITEKEY, ""));
        page.navigate("https://" + HOST + "/form");

        assertThat(page.waitFor("window.__error", WAIT)).isEqualTo("600010");
        assertThat(page.eval("window.__token").asText()).isEmpty();
        assertThat(fired("widget")).contains("headless", "webdriver", "devtools-listening", "window-metrics");
        assertThat(lab.admin().events()).noneMatch(e -> e.type().equals("token.issued"));
    }

    @Test
    void theSameClientPassesWhenStrictModeIsOff() throws Exception {
        lab.admin().registerPage(HOST, "/form", TurnstileBrowserTest.implicitPage(SITEKEY, ""));
        page.navigate("https://" + HOST + "/form");

        assertThat(page.waitFor("window.__token", WAIT)).startsWith("0.");
        assertThat(lab.admin().events()).noneMatch(e -> e.type().startsWith("strict."));
    }

    @Test
    void aStrictChallengePageLoopsForANaiveClient() throws Exception {
        lab.admin().registerHost(new LabHost(HOST, HostKind.PROTECTED, "non-interactive", 0, null));
        lab.admin().setHostStrict(HOST, true);
        page.navigate("https://" + HOST + "/");

        waitForEvent("challengePage.rejected");
        assertThat(lab.admin().events()).filteredOn(e -> e.type().equals("challengePage.rejected"))
                .extracting(e -> e.fields().get("reason")).contains("strict-checks");
        assertThat(fired("challenge")).contains("headless", "webdriver", "devtools-listening");
        assertThat(lab.admin().events()).noneMatch(e -> e.type().equals("clearance.issued"));
    }

    @Test
    void aClickWithNoPointerMovementBeforeItFiresTheClickCheck() throws Exception {
        lab.admin().setSitekeyHostile(SITEKEY, SitekeyHostile.NONE.withInteractiveOnly(120_000));
        lab.admin().setSitekeyStrict(SITEKEY, true);
        lab.admin().registerPage(HOST, "/form", TurnstileBrowserTest.implicitPage(SITEKEY, ""));
        page.navigate("https://" + HOST + "/form");
        String frame = TurnstileBrowserTest.attachToWidgetFrame(chromium, page);
        String checkbox = page.waitForCheckbox(frame, WAIT);
        TurnstileBrowserTest.clickCheckbox(page, frame, checkbox, "document.querySelector('.cf-turnstile')");

        assertThat(page.waitFor("window.__error", WAIT)).isEqualTo("600010");
        assertThat(fired("widget")).contains("click-no-movement");
    }

    private void waitForEvent(String type) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (lab.admin().events().stream().noneMatch(e -> e.type().equals(type))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no " + type + " event: " + lab.admin().events());
            }
            Thread.sleep(100);
        }
    }

    /** The names of the checks that fired where the signals came from ({@code widget} or {@code challenge}). */
    static Set<String> fired(String where) {
        Set<String> names = new TreeSet<>();
        for (LabEvent e : lab.admin().events()) {
            if (e.type().equals("strict.fired") && where.equals(e.fields().get("where"))) {
                names.add(String.valueOf(e.fields().get("check")));
                System.out.println("strict.fired " + e.fields());
            }
        }
        return names;
    }
}
