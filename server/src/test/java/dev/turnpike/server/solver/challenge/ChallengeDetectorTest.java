package dev.turnpike.server.solver.challenge;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ChallengeDetectorTest {

    private final ChallengeDetector detector = new ChallengeDetector();

    private static final String MANAGED = """
            <!DOCTYPE html><html lang="en-US"><head><title>Just a moment...</title>
            <meta http-equiv="refresh" content="390"></head><body class="no-js"><div class="main-wrapper">
            <div class="main-content"><noscript>Enable JavaScript and cookies to continue</noscript></div></div>
            <script>(function(){window._cf_chl_opt = {cvId: '3', cType: 'managed'};}());</script>
            <script src="/cdn-cgi/challenge-platform/h/b/orchestrate/chl_page/v1?ray=8f1c2a3b4d5e6f70"></script>
            </body></html>""";

    private static final String LEGACY = """
            <html><head><title>Please wait</title></head>
            <body><table><tr><td><div class="cf-browser-verification cf-im-under-attack">
            <h1>Checking your browser before accessing lab.test.</h1></div></td></tr></table></body></html>""";

    private static final String BLOCKED = """
            <!DOCTYPE html><html><head><title>Attention Required! | Cloudflare</title></head>
            <body><div id="cf-error-details"><h1>Sorry, you have been blocked</h1>
            <span class="cf-error-code">1020</span></div>
            <script src="/cdn-cgi/challenge-platform/scripts/jsd/main.js"></script></body></html>""";

    private static final String HOME = """
            <!DOCTYPE html><html><head><title>Lab Protected Home</title></head>
            <body><div id="lab-ok">welcome</div></body></html>""";

    private static Verdict verdict(int status, Map<String, String> headers, String title, String html) {
        return new ChallengeDetector().detect(new PageSnapshot(status, headers, title, html)).verdict();
    }

    @Test
    void managedChallengeTemplateIsAChallenge() {
        assertThat(verdict(403, Map.of("cf-mitigated", "challenge", "Server", "cloudflare"), "Just a moment...", MANAGED))
                .isEqualTo(Verdict.CHALLENGE);
    }

    @Test
    void challengeHeaderAloneIsAChallengeWhateverTheBody() {
        assertThat(verdict(403, Map.of("CF-Mitigated", "challenge"), "", "<html></html>")).isEqualTo(Verdict.CHALLENGE);
    }

    @Test
    void challengeTemplateIsRecognisedAfterScriptsChangedTheTitle() {
        assertThat(verdict(200, Map.of(), "lab.test", MANAGED)).isEqualTo(Verdict.CHALLENGE);
    }

    @Test
    void legacyUnderAttackPageIsAChallenge() {
        assertThat(verdict(503, Map.of("server", "cloudflare"), "Please wait", LEGACY)).isEqualTo(Verdict.CHALLENGE);
    }

    @Test
    void blockPageIsBlockedEvenThoughItCarriesChallengePlatformScripts() {
        var detection = detector.detect(new PageSnapshot(403, Map.of("server", "cloudflare"),
                "Attention Required! | Cloudflare", BLOCKED));
        assertThat(detection.verdict()).isEqualTo(Verdict.BLOCKED);
        assertThat(detection.evidence()).contains("attention required");
    }

    @Test
    void blockPageIsBlockedByItsBodyWhenTheTitleIsMissing() {
        assertThat(verdict(403, Map.of(), "", BLOCKED.replace("Attention Required! | Cloudflare", "")))
                .isEqualTo(Verdict.BLOCKED);
    }

    @Test
    void unknownCloudflare403IsNotMistakenForSuccess() {
        assertThat(verdict(403, Map.of("server", "cloudflare"), "Something new", "<html>new template</html>"))
                .isEqualTo(Verdict.CHALLENGE);
    }

    @Test
    void realPageHasPassed() {
        assertThat(verdict(200, Map.of("server", "cloudflare"), "Lab Protected Home", HOME)).isEqualTo(Verdict.PASSED);
    }

    @Test
    void aSitesOwn404HasPassedTheChallenge() {
        assertThat(verdict(404, Map.of("server", "nginx"), "Not found", "<html>nope</html>")).isEqualTo(Verdict.PASSED);
    }
}
