package dev.turnpike.server.solver.challenge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.turnpike.lab.core.HostKind;
import dev.turnpike.lab.core.LabHost;
import dev.turnpike.server.browser.chromium.ChromiumFlags;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An operator's {@code --site-per-process} (site isolation back on, off by default): the challenge page's widget is
 * then an out-of-process iframe, and its checkbox, behind a closed shadow root there, is still found and clicked
 * ({@link ChallengeTaskLabTest} passes the same challenges with the defaults, the widget in the page's process).
 */
class ChallengeWithSiteIsolationTest {

    static ChallengeLab lab;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/lib/chromium/chromium")), "Chromium is not installed");
        lab = ChallengeLab.start(2, Map.of(), 0, List.of(ChromiumFlags.SITE_PER_PROCESS));
    }

    @AfterAll
    static void stop() throws Exception {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void interactiveAndNonInteractiveChallengesClearWithSiteIsolationOn() throws Exception {
        for (String cType : List.of("interactive", "non-interactive")) {
            String host = "isolated-" + cType + ".lab.test";
            lab.lab.admin().registerHost(new LabHost(host, HostKind.PROTECTED, cType, 0, null));
            String url = "https://" + host + "/";

            JsonNode solution = Tasks.solve(lab.server.client(), lab.clientKey, Map.<String, Object>of(
                    "type", "CloudFlare5STask", "websiteURL", url, "proxy", lab.httpProxy(ChallengeLab.ACCOUNT_A)));

            assertThat(solution.path("cf_clearance").asText()).as(cType).isNotEmpty();
            Map<String, String> headers = new LinkedHashMap<>();
            solution.path("header").properties().forEach(e -> headers.put(e.getKey(), e.getValue().asText()));
            Map<String, String> cookies = new LinkedHashMap<>();
            solution.path("cookies").properties().forEach(e -> cookies.put(e.getKey(), e.getValue().asText()));
            HttpResponse<String> replayed = lab.replay("GET", url, ChallengeLab.ACCOUNT_A, headers, cookies);
            assertThat(replayed.statusCode()).as("%s: %s", cType, replayed.body()).isEqualTo(200);
            assertThat(replayed.body()).contains("id=\"lab-ok\"");
        }
    }
}
