package dev.turnpike.server.browser.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.turnpike.server.browser.BrowserSettings;
import dev.turnpike.server.browser.Eventually;
import dev.turnpike.server.browser.OwnProcesses;
import dev.turnpike.server.browser.TestSite;
import dev.turnpike.server.browser.TestPools;
import dev.turnpike.server.browser.cdp.CdpConnection;
import dev.turnpike.server.net.AddressPolicy;
import dev.turnpike.server.net.ProxySpec;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One pool of 1 browser × 2 contexts shared by the class: identity, quietness, contexts, waiting, the relay's address policy, a served document. */
class BrowserPoolTest {

    private static final Duration T = Duration.ofSeconds(20);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path profiles;
    static TestSite site;
    static ScheduledExecutorService scheduler;
    static BrowserPool pool;
    /** other.test maps to the same test site, but the policy refuses it (loopback, not allowed by name). */
    static final AddressPolicy ONLY_SITE = TestPools.allowing(TestSite.HOST);

    /** Reports what a page can see of its browser into the DOM, where the test reads it. */
    private static final String IDENTITY_PAGE = """
            <title>identity</title><script>
            var pageVar = 1;
            // Serialising an error for a DevTools client with Runtime on reads its name once more.
            let errorNameReads = 0;
            const probe = new Error('probe');
            Object.defineProperty(probe, 'name', { get() { errorNameReads++; return 'Error'; } });
            console.debug(probe);
            const worker = new Worker(URL.createObjectURL(new Blob(
                ['postMessage(navigator.userAgent)'], { type: 'text/javascript' })));
            worker.onmessage = (e) => setTimeout(() => {
              document.documentElement.dataset.report = JSON.stringify({
                webdriver: navigator.webdriver, ua: navigator.userAgent, workerUa: e.data,
                brands: navigator.userAgentData.brands, platform: navigator.userAgentData.platform,
                errorNameReads });
            }, 50);
            </script>""";

    @BeforeAll
    static void start() throws Exception {
        site = TestSite.start();
        site.page("/identity", IDENTITY_PAGE);
        site.page("/plain", "<title>plain</title>");
        site.page("/workers/0", workersPage(0));
        site.page("/workers/6", workersPage(6));
        site.page("/with-foreign-parts", "<title>parts</title><img src='https://other.test/pixel.png'>"
                + "<script>fetch('https://other.test/api').catch(() => {})</script>");
        scheduler = Executors.newSingleThreadScheduledExecutor();
        BrowserSettings settings = BrowserSettings.defaults().withSize(1, 2, 1).withProfileRoot(profiles)
                .withExtraArgs(site.chromiumArgs()).withHousekeepingPeriod(Duration.ofHours(1));
        pool = TestPools.start(settings, scheduler, Clock.systemUTC(), 1, ONLY_SITE);
    }

    @AfterAll
    static void stop() {
        pool.close();
        scheduler.shutdownNow();
        site.close();
        assertThat(OwnProcesses.mentioning(profiles)).isEmpty();
        assertThat(OwnProcesses.profilesIn(profiles)).isEmpty();
    }

    private static JsonNode readReport(ContextLease lease) throws Exception {
        String[] report = new String[1];
        Eventually.await("the page wrote its report", T, () -> {
            try {
                JsonNode v = lease.evaluateIsolated("document.documentElement.dataset.report || ''", T);
                report[0] = v.asText();
                return !report[0].isEmpty();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        return JSON.readTree(report[0]);
    }

    @Test
    void aProxiedTaskDoesNotTakeAWarmContextMadeForADirectOne() throws Exception {
        Eventually.await("earlier tasks' contexts are released and a warm one is ready", T,
                () -> pool.stats().busy() == 0 && pool.stats().warm() == 1);
        pool.acquireDirect().close();
        Eventually.await("the warm context is of the direct kind, like the last task", T,
                () -> pool.stats().busy() == 0 && pool.stats().warm() == 1);
        var proxy = new ProxySpec(ProxySpec.Scheme.HTTP, "127.0.0.1", 9, "user", "secret");
        try (ContextLease lease = pool.acquireThrough(proxy)) {
            assertThat(pool.stats().warm()).as("the warm context lets Cloudflare bypass its relay: not for a proxy")
                    .isEqualTo(1);
            assertThat(lease.relay().upstream()).isEqualTo(proxy);
            assertThat(lease.proxied()).isTrue();
            try (ContextLease direct = pool.acquireDirect()) {
                assertThat(pool.stats().warm()).as("the warm context went to the direct task").isZero();
                assertThat(direct.relay().upstream()).isNull();
                assertThat(direct.proxied()).isFalse();
            }
        }
    }

    @Test
    void aProxiedTaskTakesTheSlotOfAWarmDirectContextWhenNoOtherIsFreeAndTheNextFindsOneOfItsKind() throws Exception {
        try (BrowserPool own = ownPool(2, 2, 3)) {
            Eventually.await("both slots hold warm contexts", T, () -> own.stats().warm() == 2);
            var proxy = new ProxySpec(ProxySpec.Scheme.HTTP, "127.0.0.1", 9, "user", "secret");
            CdpConnection browser;
            try (ContextLease lease = own.acquireThrough(proxy)) {
                assertThat(own.stats().busy()).isEqualTo(1);
                assertThat(own.stats().warm()).as("one warm context gave its slot").isEqualTo(1);
                assertThat(lease.proxied()).isTrue();
                browser = lease.page().connection();
            }
            String[] warmIds = new String[1];
            Eventually.await("both slots hold warm contexts for a task like the last, the direct one replaced", T, () -> {
                try {
                    warmIds[0] = browser.browser().call("Target.getBrowserContexts", null).path("browserContextIds")
                            .toString();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                return own.stats().busy() == 0 && own.stats().warm() == 2 && warming(own) == 0;
            });
            try (ContextLease first = own.acquireThrough(proxy); ContextLease second = own.acquireThrough(proxy)) {
                assertThat(warmIds[0]).as("the next proxied tasks take them warm")
                        .contains(first.browserContextId()).contains(second.browserContextId());
            }
        }
    }

    @Test
    void onlyADirectContextReachesCloudflaresChallengeHostWithoutItsRelay() throws Exception {
        String challengePage = "https://" + TestSite.CHALLENGE_HOST + "/plain";
        var deadProxy = new ProxySpec(ProxySpec.Scheme.HTTP, "127.0.0.1", 9, "user", "secret");
        try (ContextLease lease = pool.acquireThrough(deadProxy)) {
            assertThatThrownBy(() -> lease.navigate(challengePage, T)).as("through the task's proxy, which is down")
                    .isInstanceOf(NavigationFailedException.class);
        }
        assertThat(site.requests()).extracting(TestSite.Request::host).doesNotContain(TestSite.CHALLENGE_HOST);
        // Last, so the pool's warm context is of the direct kind again for the other tests.
        try (ContextLease lease = pool.acquireDirect()) {
            // The relay's policy allows site.test alone, so this page did not go through the relay.
            lease.navigate(challengePage, T);
            assertThat(lease.evaluateIsolated("document.title", T).asText()).isEqualTo("plain");
            assertThat(lease.relay().refusalOf(TestSite.CHALLENGE_HOST)).isEmpty();
        }
    }

    @Test
    void pagesSeeAConsistentDesktopBrowserWithoutAutomationSigns() throws Exception {
        try (ContextLease lease = pool.acquireDirect()) {
            lease.navigate(TestSite.url("/identity"), T);
            JsonNode report = readReport(lease);
            int major = pool.installation().major();

            assertThat(report.path("webdriver").asBoolean(true)).isFalse();
            assertThat(report.path("ua").asText()).isEqualTo(lease.userAgent()).doesNotContain("Headless")
                    .contains("Chrome/" + major + ".");
            assertThat(report.path("workerUa").asText()).isEqualTo(lease.userAgent());
            assertThat(report.path("brands").toString()).doesNotContain("Headless")
                    .contains("{\"brand\":\"Chromium\",\"version\":\"" + major + "\"}");
            assertThat(report.path("platform").asText()).isEqualTo("Linux");

            TestSite.Request request = site.requestsFor("/identity").getLast();
            assertThat(request.header("User-Agent")).isEqualTo(lease.userAgent());
            assertThat(request.header("Sec-CH-UA")).contains("\"Chromium\";v=\"" + major + "\"").doesNotContain("Headless");
            assertThat(request.header("Sec-CH-UA-Mobile")).isEqualTo("?0");
        }
    }

    @Test
    void theMainFrameIdNeedsNoQuestionAndHoldsThroughNavigations() throws Exception {
        try (ContextLease lease = pool.acquireDirect()) {
            for (String path : java.util.List.of("/plain", "/identity")) {
                lease.navigate(TestSite.url(path), T);
                String asked = lease.page().call("Page.getFrameTree", null, T).path("frameTree").path("frame")
                        .path("id").asText();
                assertThat(lease.mainFrameId()).as("after loading " + path).isEqualTo(asked);
            }
        }
    }

    @Test
    void thePageCannotTellRuntimeIsEnabled() throws Exception {
        try (ContextLease lease = pool.acquireDirect()) {
            lease.navigate(TestSite.url("/identity"), T);
            int quiet = readReport(lease).path("errorNameReads").asInt();
            // The control: what the same probe sees when a client does enable Runtime (as Playwright does).
            lease.page().call("Runtime.enable", null);
            lease.navigate(TestSite.url("/identity"), T);
            int loud = readReport(lease).path("errorNameReads").asInt();
            assertThat(loud).as("the probe must notice Runtime.enable, or this test proves nothing").isGreaterThan(quiet);
        }
    }

    @Test
    void scriptsRunInAWorldThePageCannotSee() throws Exception {
        try (ContextLease lease = pool.acquireDirect()) {
            lease.navigate(TestSite.url("/identity"), T);
            assertThat(lease.evaluateIsolated("document.title", T).asText()).isEqualTo("identity");
            assertThat(lease.evaluateIsolated("typeof window.pageVar", T).asText()).isEqualTo("undefined");
        }
    }

    @Test
    void everyLeaseHasItsOwnContextAndItIsDisposedAfterwards() throws Exception {
        ContextLease first = pool.acquireDirect();
        ContextLease second = pool.acquireDirect();
        assertThat(first.browserContextId()).isNotEqualTo(second.browserContextId());
        first.navigate(TestSite.url("/plain"), T);
        first.evaluateIsolated("document.cookie = 'owner=first; Secure; SameSite=None'", T);
        second.navigate(TestSite.url("/plain"), T);
        assertThat(second.evaluateIsolated("document.cookie", T).asText()).isEmpty();

        first.close();
        second.close();
        first.released().get(20, TimeUnit.SECONDS);
        second.released().get(20, TimeUnit.SECONDS);
        JsonNode contexts = first.page().connection().browser().call("Target.getBrowserContexts", null);
        assertThat(contexts.path("browserContextIds").toString())
                .doesNotContain(first.browserContextId()).doesNotContain(second.browserContextId());
    }

    @Test
    void aFullPoolMakesTheNextTaskWaitForAFreeSlot() throws Exception {
        ContextLease first = pool.acquireDirect();
        ContextLease second = pool.acquireDirect();
        CompletableFuture<ContextLease> third = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                third.complete(pool.acquireDirect());
            } catch (Throwable e) {
                third.completeExceptionally(e);
            }
        });
        Eventually.await("the third task waits", T, () -> pool.stats().waiting() == 1);
        assertThat(third).isNotDone();
        first.close();
        ContextLease granted = third.get(20, TimeUnit.SECONDS);
        assertThat(granted.browserContextId()).isNotEqualTo(first.browserContextId());
        granted.close();
        second.close();
    }

    @Test
    void connectionsToHostsThePolicyRefusesAreNeverOpened() throws Exception {
        try (ContextLease lease = pool.acquireDirect()) {
            lease.navigate(TestSite.url("/with-foreign-parts"), T);
            assertThatThrownBy(() -> lease.navigate("https://" + TestSite.OTHER_HOST + "/plain", T))
                    .isInstanceOf(NavigationFailedException.class).hasMessageContaining("ERR_TUNNEL_CONNECTION_FAILED");
            // other.test maps to this machine like site.test, but only site.test is allowed by name.
            assertThat(lease.relay().refusalOf(TestSite.OTHER_HOST)).hasValueSatisfying(refusal ->
                    assertThat(refusal.decision().verdict()).isEqualTo(AddressPolicy.Verdict.REFUSED_LOOPBACK));
        }
        assertThat(site.requests()).extracting(TestSite.Request::host).doesNotContain(TestSite.OTHER_HOST);
        assertThat(site.requestsFor("/with-foreign-parts")).isNotEmpty();
    }

    @Test
    void webRtcSendsNoUdpAroundTheRelay() throws Exception {
        // A STUN server on this machine: WebRTC's UDP does not go through a proxy, so without a policy against it a
        // page reaches any address over UDP (and shows the server's own addresses to the site).
        try (DatagramSocket stun = new DatagramSocket(0, InetAddress.getLoopbackAddress());
             ContextLease lease = pool.acquireDirect()) {
            stun.setSoTimeout(3000);
            lease.navigate(TestSite.url("/plain"), T);
            String gathered = lease.evaluateIsolated("""
                    new Promise((resolve) => {
                      const pc = new RTCPeerConnection({iceServers: [{urls: 'stun:127.0.0.1:%d'}]});
                      const candidates = [];
                      pc.onicecandidate = (e) => { if (e.candidate) { candidates.push(e.candidate.type); } };
                      pc.createDataChannel('probe');
                      pc.createOffer().then((offer) => pc.setLocalDescription(offer));
                      setTimeout(() => {
                        const offered = pc.localDescription !== null;
                        pc.close();
                        resolve((offered ? 'offered ' : 'no offer ') + candidates.join(','));
                      }, 1500);
                    })""".formatted(stun.getLocalPort()), T).asText();
            byte[] buffer = new byte[1500];
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            assertThatThrownBy(() -> stun.receive(packet)).as("a STUN request reached the server (candidates: %s)",
                    gathered).isInstanceOf(SocketTimeoutException.class);
            assertThat(gathered).as("WebRTC itself works").startsWith("offered")
                    .as("no local address is offered to the page").doesNotContain("host");
        }
    }

    @Test
    void aServedDocumentIsAnsweredInsteadOfTheNetworkOnItsOrigin() throws Exception {
        try (ContextLease lease = pool.acquireDirect()) {
            lease.serveDocument(URI.create(TestSite.url("/served#fragment")),
                    FulfilledResponse.html("<title>served</title><img src='/served-part.png'>"));
            lease.navigate(TestSite.url("/served"), T);
            assertThat(lease.evaluateIsolated("document.title + ' ' + location.origin", T).asText())
                    .isEqualTo("served https://" + TestSite.HOST);
            // Another document of the origin is the network's.
            lease.navigate(TestSite.url("/plain"), T);
            assertThat(lease.evaluateIsolated("document.title", T).asText()).isEqualTo("plain");
        }
        assertThat(site.requestsFor("/served")).isEmpty();
        assertThat(site.requestsFor("/served-part.png")).as("the page's own parts go to the site").isNotEmpty();
    }

    @Test
    void aWarmContextTakenByTheOnlyTaskIsReplacedWhenThatTaskEnds() throws Exception {
        Eventually.await("earlier tasks' contexts are released and a warm one is ready", T,
                () -> pool.stats().busy() == 0 && pool.stats().warm() == 1);
        try (ContextLease lease = pool.acquireDirect()) {
            lease.navigate(TestSite.url("/plain"), T);
            // Made now, the replacement would take Chromium's spare renderer process from this task's navigation.
            assertThat(pool.stats().warm()).isZero();
        }
        Eventually.await("another warm context replaces the one taken, once its task is done", T,
                () -> pool.stats().busy() == 0 && pool.stats().warm() == 1);
    }

    @Test
    void aTaskArrivingWhileAWarmContextIsMadeTakesItInsteadOfMakingAnother() throws Exception {
        Eventually.await("earlier tasks' contexts are released and a warm one is ready", T,
                () -> pool.stats().busy() == 0 && pool.stats().warm() == 1);
        pool.acquireDirect().close();
        Eventually.await("its replacement is being made (or is ready)", T, () -> warming() + pool.stats().warm() == 1);
        try (ContextLease lease = pool.acquireDirect()) {
            assertThat(warming() + pool.stats().warm()).as("the context being made went to this task").isZero();
            lease.navigate(TestSite.url("/plain"), T);
        }
    }

    /** A pool of one browser apart from the class's, on the same site and policy. */
    /** A page that starts {@code n} workers and marks itself done once each has answered. */
    private static String workersPage(int n) {
        return """
                <title>workers</title><script>
                let answered = 0;
                const all = %d;
                if (all === 0) document.documentElement.dataset.done = 'yes';
                for (let i = 0; i < all; i++) {
                  const w = new Worker(URL.createObjectURL(new Blob(['postMessage(1)'], { type: 'text/javascript' })));
                  w.onmessage = () => { if (++answered === all) document.documentElement.dataset.done = 'yes'; };
                }
                </script>""".formatted(n);
    }

    /** DevTools commands and events of {@code of}'s browsers while {@code lease} loads {@code path} until done. */
    private static long[] trafficOfLoading(BrowserPool of, ContextLease lease, String path) throws Exception {
        long[] before = of.devToolsTraffic();
        lease.navigate(site.url(path), T);
        lease.evaluateIsolated("new Promise(r => { const look = () => document.documentElement.dataset.done ? r(1)"
                + " : setTimeout(look, 5); look(); })", T);
        long[] after = of.devToolsTraffic();
        return new long[] {after[0] - before[0], after[1] - before[1]};
    }

    @Test
    void aPagesWorkersStartWithoutARoundTripToUsWhenTheContextPresentsTheBrowsersOwnIdentity() throws Exception {
        // Paused, each worker waited for a command of ours before its first script (the widget's proof of work did).
        try (BrowserPool own = ownPool(1, 0, 7); ContextLease lease = own.acquireDirect()) {
            lease.presentUserAgent(null);
            trafficOfLoading(own, lease, "/workers/0"); // the first document's own set-up aside
            long[] none = trafficOfLoading(own, lease, "/workers/0");
            long[] six = trafficOfLoading(own, lease, "/workers/6");
            assertThat(six[0] - none[0]).as("commands for six workers (old: one resume each)").isLessThan(3);
            assertThat(six[1] - none[1]).as("events for six workers (old: attached and detached each)").isLessThan(6);
        }
    }

    private static BrowserPool ownPool(int contexts, int warm, long seed) throws Exception {
        BrowserSettings settings = BrowserSettings.defaults().withSize(1, contexts, warm).withProfileRoot(profiles)
                .withExtraArgs(site.chromiumArgs()).withHousekeepingPeriod(Duration.ofHours(1));
        return TestPools.start(settings, scheduler, Clock.systemUTC(), seed, ONLY_SITE);
    }

    private static int warming() {
        return warming(pool);
    }

    private static int warming(BrowserPool of) {
        return of.stats().browsers().stream().mapToInt(PoolStats.BrowserStats::warming).sum();
    }

    @Test
    void aWarmContextTakenWhileAnotherTaskRunsIsReplacedAtOnce() throws Exception {
        try (BrowserPool own = ownPool(3, 1, 2)) {
            Eventually.await("a warm context is ready", T, () -> own.stats().warm() == 1);
            try (ContextLease running = own.acquireDirect()) {
                assertThat(own.stats().warm()).as("alone on its browser, the task's warm context is not replaced yet")
                        .isZero();
                try (ContextLease second = own.acquireDirect()) {
                    assertThat(own.stats().busy()).isEqualTo(2);
                }
                Eventually.await("a warm context is made when the second task ends", T,
                        () -> own.stats().warm() == 1 && own.stats().busy() == 1);
                try (ContextLease third = own.acquireDirect()) {
                    Eventually.await("the warm context taken while another task runs is replaced at once", T,
                            () -> own.stats().warm() == 1 && own.stats().busy() == 2);
                    third.navigate(TestSite.url("/plain"), T);
                }
                running.navigate(TestSite.url("/plain"), T);
            }
        }
    }
}
