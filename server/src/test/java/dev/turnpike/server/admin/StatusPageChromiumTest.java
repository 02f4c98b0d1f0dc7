package dev.turnpike.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.turnpike.server.browser.cdp.BlankPage;
import dev.turnpike.server.browser.cdp.CdpConnection;
import dev.turnpike.server.browser.cdp.CdpSession;
import dev.turnpike.server.browser.chromium.ChromiumInstallation;
import dev.turnpike.server.browser.chromium.ChromiumProcess;
import dev.turnpike.server.browser.pool.BrowserRetired;
import dev.turnpike.server.browser.pool.PoolStats;
import dev.turnpike.server.browser.pool.RetireReason;
import dev.turnpike.server.metrics.PoolView;
import dev.turnpike.server.task.FailReason;
import dev.turnpike.server.task.TaskId;
import dev.turnpike.server.testing.FakeSolver;
import dev.turnpike.server.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The status page in a real Chromium that can reach nothing but loopback: it loads with no request to another
 * host, shows a task solved just before, and a key created by clicking on the page works for createTask (and is
 * then topped up and revoked from the page).
 * Leaves a screenshot in target/status-page.png (docs/status-page.png is a copy of it).
 */
class StatusPageChromiumTest {

    static final String TOKEN = "status-page-test-token-0123456789";

    @TempDir
    Path profiles;

    /** A pool as the page would show one: two browsers, one draining, a few retirements. */
    static final class ShownPool implements PoolView {
        @Override
        public PoolStats stats() {
            return new PoolStats(List.of(new PoolStats.BrowserStats(3, 4101, "READY", 2, 2, 0, 57),
                    new PoolStats.BrowserStats(4, 4377, "READY", 1, 2, 1, 12),
                    new PoolStats.BrowserStats(2, 3950, "DRAINING", 1, 0, 0, 200)), 0, 2);
        }

        @Override
        public int slotsPerBrowser() {
            return 8;
        }

        @Override
        public List<BrowserRetired> retirements() {
            return List.of(new BrowserRetired(1, RetireReason.TASKS, 200, Duration.ofMinutes(21), "200 tasks served"),
                    new BrowserRetired(5, RetireReason.CRASHED, 3, Duration.ofMinutes(2), "exit 139"));
        }

        @Override
        public long pssBytes() {
            return 1_380L << 20;
        }
    }

    private static String createTask(TestServer server, String key, Map<String, Object> task) {
        JsonNode answer = server.client().call("createTask", Map.of("clientKey", key, "task", task));
        assertThat(answer.path("errorId").asInt()).as(answer.toString()).isZero();
        return answer.path("taskId").asText();
    }

    private static Map<String, Object> turnstile() {
        return Map.of("type", "TurnstileTaskProxyless", "websiteURL", "https://site.example/", "websiteKey", "0x4AAAAAAAB");
    }

    /** Runs a task that takes {@code millis} on the test clock, so the chart has something to show. */
    private static String solveTaking(TestServer server, FakeSolver solver, String key, long millis) throws Exception {
        String id = createTask(server, key, turnstile());
        solver.awaitStarted(1);
        server.clock().advance(Duration.ofMillis(millis));
        solver.release(1);
        server.standalone().tasks().find(new TaskId(Long.parseLong(id))).ended().get(30, TimeUnit.SECONDS);
        return id;
    }

    @Test
    void thePageStaysOnItsOriginShowsTheSolvedTaskAndCreatesAWorkingKey() throws Exception {
        FakeSolver solver = FakeSolver.forAllTypes().byDefault(FakeSolver.block());
        try (TestServer server = TestServer.builder().setting("admin.token", TOKEN).setting("api.keyCacheTtl", "0s")
                .poolView(new ShownPool()).solver(solver).start()) {
            String key = server.createKey(5_000);
            String origin = "http://127.0.0.1:" + server.baseUrl().getPort();
            long[] millis = {2300, 3100, 2800, 4200, 3600, 2500, 7900, 3300, 2900};
            for (long ms : millis) {
                solveTaking(server, solver, key, ms);
                server.clock().advance(Duration.ofSeconds(6));
            }
            solver.then(FakeSolver.block(FakeSolver.fail(FailReason.PROXY_NOT_AUTHORISED)));
            String failed = createTask(server, key, Map.of("type", "CloudFlare5STask", "websiteURL", "https://site.example/",
                    "proxy", "http://user:pw-SECRET-9@203.0.113.5:3128"));
            solver.awaitStarted(1);
            server.clock().advance(Duration.ofMillis(1700));
            solver.release(1);
            server.standalone().tasks().find(new TaskId(Long.parseLong(failed))).ended().get(30, TimeUnit.SECONDS);
            String solved = solveTaking(server, solver, key, 2600);

            ChromiumInstallation chromium = ChromiumInstallation.discover(null);
            List<String> requested = new CopyOnWriteArrayList<>();
            try (ChromiumProcess process = ChromiumProcess.launch(chromium, profiles, chromium.identity().userAgent(),
                    true, List.of("--host-resolver-rules=MAP * ^NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1"),
                    Map.of(), 0, Duration.ofSeconds(30));
                 CdpConnection cdp = CdpConnection.open(process.devToolsUrl(), new ObjectMapper(), Duration.ofSeconds(10))) {
                BlankPage blank = BlankPage.open(cdp);
                CdpSession page = blank.page();
                page.on("Network.requestWillBeSent", p -> requested.add(p.path("request").path("url").asText()));
                page.call("Network.enable", null);
                page.call("Page.enable", null);
                page.call("Emulation.setDeviceMetricsOverride", page.params().put("width", 1180).put("height", 1500)
                        .put("deviceScaleFactor", 1).put("mobile", false));
                var loaded = page.next("Page.loadEventFired", p -> true);
                page.call("Page.navigate", page.params().put("url", origin + "/admin#token=" + TOKEN));
                CdpSession.await(loaded, "page load", Duration.ofSeconds(30));

                awaitTrue(page, "document.getElementById('latest').textContent.includes('" + solved + "')");
                awaitTrue(page, "document.getElementById('failures').textContent.includes('PROXY_NOT_AUTHORISED')");
                assertThat(evaluate(page, "location.hash").asText()).as("the token left the address bar").isEmpty();
                assertThat(evaluate(page, "document.body.innerText").asText()).doesNotContain(key).doesNotContain("pw-SECRET-9");

                evaluate(page, "document.getElementById('create-name').value = 'made on the page';"
                        + "document.getElementById('create-points').value = '500';"
                        + "document.getElementById('create-submit').click(); true");
                awaitTrue(page, "document.getElementById('created-key').textContent.length > 20");
                String pageKey = evaluate(page, "document.getElementById('created-key').textContent").asText();
                awaitTrue(page, "document.getElementById('keys').textContent.includes('made on the page')");

                String pageTask = createTask(server, pageKey, turnstile());
                assertThat(pageTask).isNotEmpty();
                assertThat(server.balance(pageKey)).as("the new key's points, 15 of them held").isEqualTo(485);

                String row = "document.querySelector('#keys tr[data-prefix=\"" + pageKey.substring(0, 8) + "\"]')";
                evaluate(page, row + ".querySelector('input.topup').value = '100';"
                        + row + ".querySelector('button[data-action=topup]').click(); true");
                awaitTrue(page, row + ".textContent.includes('600')");
                assertThat(server.balance(pageKey)).as("topped up from the page").isEqualTo(585);

                byte[] png = Base64.getDecoder().decode(page.call("Page.captureScreenshot",
                        page.params().put("format", "png").put("captureBeyondViewport", true)).path("data").asText());
                Files.write(Path.of("target", "status-page.png"), png);
                // Revoking asks for confirmation; the test answers yes for the page.
                evaluate(page, "window.confirm = () => true;" + row
                        + ".querySelector('button[data-action=revoke]').click(); true");
                awaitTrue(page, row + ".textContent.includes('revoked')");
                assertThat(server.client().call("getBalance", Map.of("clientKey", pageKey)).path("errorCode").asText())
                        .isEqualTo("ERROR_KEY_DOES_NOT_EXIST");
                blank.dispose(cdp);
            }
            assertThat(requested).isNotEmpty().allSatisfy(url -> assertThat(url).startsWith(origin + "/"));
            assertThat(requested).as("the token never travels in a URL").noneMatch(url -> url.contains(TOKEN));
            assertThat(requested).contains(origin + "/admin/status.js", origin + "/admin/api/stats");
        }
    }

    private static JsonNode evaluate(CdpSession page, String expression) throws InterruptedException {
        JsonNode result = page.call("Runtime.evaluate", page.params().put("expression", expression)
                .put("returnByValue", true).put("awaitPromise", true));
        assertThat(result.has("exceptionDetails")).as(result.toString()).isFalse();
        return result.path("result").path("value");
    }

    private static void awaitTrue(CdpSession page, String expression) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!evaluate(page, expression).asBoolean(false)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not true within 30 s: " + expression + "; page: "
                        + evaluate(page, "document.body.innerText").asText());
            }
            Thread.sleep(100);
        }
    }
}
