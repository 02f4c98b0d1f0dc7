package dev.turnpike.server.browser.pool;

import dev.turnpike.server.browser.TestPools;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.turnpike.server.browser.BrowserSettings;
import dev.turnpike.server.browser.Eventually;
import dev.turnpike.server.browser.OwnProcesses;
import dev.turnpike.server.browser.TestSite;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A task's wanted user agent, presented by a context: the page, an out-of-process iframe and a dedicated worker of
 * each must say the same thing in JS ({@code navigator.userAgent}, {@code navigator.platform},
 * {@code navigator.userAgentData}) and on the wire ({@code User-Agent}, {@code Sec-CH-UA*}), in warm and fresh
 * contexts alike.
 */
class UserAgentOverrideTest {

    private static final Duration T = Duration.ofSeconds(20);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What one global (window or worker) sees of its browser; a worker fetches {@code url} first (absolute: a blob worker resolves no path). */
    private static final String PROBE = """
            function probe() {
              return navigator.userAgentData.getHighEntropyValues(
                  ['platformVersion', 'architecture', 'bitness', 'model', 'fullVersionList'])
                .then(function (h) { return {ua: navigator.userAgent, platform: navigator.platform, hints: h}; });
            }
            function startWorker(url, report) {
              var source = probe.toString() + ';fetch(' + JSON.stringify(url) + ').catch(function () {})'
                  + '.then(function () { return probe(); }).then(function (r) { postMessage(r); });';
              var w = new Worker(URL.createObjectURL(new Blob([source], {type: 'text/javascript'})));
              w.onmessage = function (e) { report(e.data); };
            }
            """;

    private static final String PAGE = "<title>ua</title><script>" + PROBE + """
            var seen = {};
            function note(name, value) {
              seen[name] = value;
              if (seen.page && seen.pageWorker && seen.frame && seen.frameWorker) {
                document.documentElement.dataset.report = JSON.stringify(seen);
              }
            }
            window.addEventListener('message', function (e) { note(e.data.name, e.data.value); });
            probe().then(function (r) { note('page', r); });
            startWorker('https://site.test/page-worker-fetch', function (r) { note('pageWorker', r); });
            </script><iframe src="https://other.test/ua-frame"></iframe>""";

    private static final String FRAME = "<title>frame</title><script>" + PROBE + """
            probe().then(function (r) { parent.postMessage({name: 'frame', value: r}, '*'); });
            startWorker('https://other.test/frame-worker-fetch', function (r) { parent.postMessage({name: 'frameWorker', value: r}, '*'); });
            </script>""";

    private static final List<String> PATHS = List.of("/ua-page", "/ua-frame", "/page-worker-fetch", "/frame-worker-fetch");

    @TempDir
    static Path profiles;
    static TestSite site;
    static ScheduledExecutorService scheduler;
    static BrowserPool pool;

    @BeforeAll
    static void start() throws Exception {
        site = TestSite.start();
        site.page("/ua-page", PAGE);
        site.page("/ua-frame", FRAME);
        site.page("/page-worker-fetch", "ok");
        site.page("/frame-worker-fetch", "ok");
        scheduler = Executors.newSingleThreadScheduledExecutor();
        BrowserSettings settings = BrowserSettings.defaults().withSize(1, 2, 1).withProfileRoot(profiles)
                .withExtraArgs(site.chromiumArgs()).withHousekeepingPeriod(Duration.ofHours(1));
        pool = TestPools.start(settings, scheduler, Clock.systemUTC(), 3,
                TestPools.allowing(TestSite.HOST, TestSite.OTHER_HOST));
    }

    @AfterAll
    static void stop() {
        pool.close();
        scheduler.shutdownNow();
        site.close();
        assertThat(OwnProcesses.mentioning(profiles)).isEmpty();
        assertThat(OwnProcesses.profilesIn(profiles)).isEmpty();
    }

    /** A Linux desktop Chrome naming its build: what the browser is, not its reduced form. */
    static String linuxChrome(String version) {
        return "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/" + version
                + " Safari/537.36";
    }

    static String windowsChrome(int major) {
        return "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/" + major
                + ".0.0.0 Safari/537.36";
    }

    /** Runs the page in a context presenting {@code wanted}; returns what the four globals reported. */
    private static JsonNode visit(ContextLease lease, String wanted) throws Exception {
        lease.presentUserAgent(wanted);
        lease.navigate(TestSite.url("/ua-page"), T);
        String[] report = new String[1];
        Eventually.await("the page and its frame and workers reported", T, () -> {
            try {
                report[0] = lease.evaluateIsolated("document.documentElement.dataset.report || ''", T).asText();
                return !report[0].isEmpty();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        return JSON.readTree(report[0]);
    }

    private static TestSite.Request lastRequest(String path) {
        List<TestSite.Request> requests = site.requestsFor(path);
        assertThat(requests).as("requests for %s", path).isNotEmpty();
        return requests.getLast();
    }

    @Test
    void theWantedUserAgentReachesThePageItsIframeAndTheirWorkersInJsAndOnTheWire() throws Exception {
        int major = pool.installation().major();
        String wanted = linuxChrome(pool.identity().fullVersion());
        // Two leases at once: the first is the warm one, the second made for the task.
        try (ContextLease warm = pool.acquireDirect();
             ContextLease fresh = pool.acquireDirect()) {
            for (ContextLease lease : List.of(warm, fresh)) {
                JsonNode report = visit(lease, wanted);

                assertThat(lease.userAgent()).isEqualTo(wanted);
                for (String global : List.of("page", "pageWorker", "frame", "frameWorker")) {
                    JsonNode seen = report.path(global);
                    assertThat(seen.path("ua").asText()).as(global).isEqualTo(wanted);
                    assertThat(seen.path("platform").asText()).as(global).isEqualTo("Linux x86_64");
                    JsonNode hints = seen.path("hints");
                    assertThat(hints.path("platform").asText()).as(global).isEqualTo("Linux");
                    assertThat(hints.path("mobile").asBoolean(true)).as(global).isFalse();
                    assertThat(hints.path("architecture").asText()).as(global).isEqualTo("x86");
                    assertThat(hints.path("bitness").asText()).as(global).isEqualTo("64");
                    assertThat(hints.path("brands").toString()).as(global)
                            .contains("{\"brand\":\"Chromium\",\"version\":\"" + major + "\"}");
                    assertThat(hints.path("fullVersionList").toString()).as(global)
                            .contains("{\"brand\":\"Chromium\",\"version\":\"" + pool.identity().fullVersion() + "\"}");
                }
                for (String path : PATHS) {
                    TestSite.Request request = lastRequest(path);
                    assertThat(request.header("User-Agent")).as(path).isEqualTo(wanted);
                    // A worker's fetch carries no client hints in Chromium 156, overridden or not; when sent, they agree.
                    boolean document = !path.contains("worker");
                    assertHint(request, "Sec-CH-UA-Platform", "\"Linux\"", document);
                    assertHint(request, "Sec-CH-UA-Mobile", "?0", document);
                    assertHint(request, "Sec-CH-UA", report.path("page").path("hints").path("brands"), document);
                    assertThat(request.header("Accept-Language")).as(path).startsWith("en-US");
                }
            }
        }
    }

    private static void assertHint(TestSite.Request request, String name, String expected, boolean required) {
        String value = request.header(name);
        if (required || value != null) {
            assertThat(value).as(request.path() + " " + name).isEqualTo(expected);
        }
    }

    /** Sec-CH-UA is the brands JS sees, in the same order. */
    private static void assertHint(TestSite.Request request, String name, JsonNode brands, boolean required) {
        StringBuilder expected = new StringBuilder();
        brands.forEach(b -> expected.append(expected.isEmpty() ? "" : ", ").append('"').append(b.path("brand").asText())
                .append("\";v=\"").append(b.path("version").asText()).append('"'));
        assertHint(request, name, expected.toString(), required);
    }

    @Test
    void withoutAWantedUserAgentTheBrowsersOwnIsPresentedWithItsFullClientHints() throws Exception {
        try (ContextLease lease = pool.acquireDirect()) {
            JsonNode report = visit(lease, null);

            assertThat(lease.userAgent()).isEqualTo(pool.identity().userAgent());
            for (String global : List.of("page", "pageWorker", "frame", "frameWorker")) {
                JsonNode seen = report.path(global);
                assertThat(seen.path("ua").asText()).as(global).isEqualTo(pool.identity().userAgent());
                // --user-agent alone leaves these empty, which a real Chrome never does.
                JsonNode hints = seen.path("hints");
                assertThat(hints.path("architecture").asText()).as(global).isEqualTo("x86");
                assertThat(hints.path("bitness").asText()).as(global).isEqualTo("64");
                assertThat(hints.path("fullVersionList").toString()).as(global)
                        .contains("{\"brand\":\"Chromium\",\"version\":\"" + pool.identity().fullVersion() + "\"}");
            }
        }
    }

    @Test
    void anOverrideSendsTheSameBrandsAsTheBrowserItself() throws Exception {
        String own;
        try (ContextLease lease = pool.acquireDirect()) {
            JsonNode report = visit(lease, null);
            own = lastRequest("/ua-page").header("Sec-CH-UA");
            assertThat(report.path("pageWorker").path("platform").asText())
                    .as("the identity knows what workers say").isEqualTo(pool.identity().navigatorPlatform());
        }
        try (ContextLease lease = pool.acquireDirect()) {
            String wanted = linuxChrome(pool.identity().fullVersion());
            visit(lease, wanted);
            assertThat(lastRequest("/ua-page").header("User-Agent")).isEqualTo(wanted);
            assertThat(lastRequest("/ua-page").header("Sec-CH-UA")).isEqualTo(own);
        }
    }

    /** Firefox; Chrome of another major; Windows Chrome, whose workers would still say Linux x86_64. */
    @Test
    void aUserAgentTheBrowserCannotPresentConsistentlyIsNotHonoured() throws Exception {
        int major = pool.installation().major();
        for (String wanted : List.of(
                "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0",
                linuxChrome((major - 1) + ".0.0.0"), windowsChrome(major))) {
            try (ContextLease lease = pool.acquireDirect()) {
                JsonNode report = visit(lease, wanted);

                String own = pool.identity().userAgent();
                assertThat(lease.userAgent()).isEqualTo(own);
                for (String global : List.of("page", "pageWorker", "frame", "frameWorker")) {
                    assertThat(report.path(global).path("ua").asText()).as(global).isEqualTo(own);
                }
                assertThat(lastRequest("/ua-page").header("User-Agent")).isEqualTo(own);
                assertThat(lastRequest("/frame-worker-fetch").header("User-Agent")).isEqualTo(own);
            }
        }
    }
}
