package dev.turnpike.server.browser.cdp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.turnpike.server.browser.OwnProcesses;
import dev.turnpike.server.browser.TestSite;
import dev.turnpike.server.browser.chromium.ChromiumInstallation;
import dev.turnpike.server.browser.chromium.ChromiumProcess;
import dev.turnpike.server.browser.chromium.ProcessGroup;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The DevTools client against a real Chromium: commands, errors, events by session, and a dying browser. */
class CdpConnectionTest {

    @TempDir
    static Path profiles;
    static TestSite site;
    static ChromiumInstallation chromium;

    @BeforeAll
    static void start() throws Exception {
        site = TestSite.start();
        site.page("/hello", "<title>hello</title><p>hi</p>");
        chromium = ChromiumInstallation.discover(null);
    }

    @AfterAll
    static void stop() {
        site.close();
    }

    private ChromiumProcess launch() throws Exception {
        return ChromiumProcess.launch(chromium, profiles, chromium.identity().userAgent(), true,
                site.chromiumArgs(), Map.of(), 0, Duration.ofSeconds(30));
    }

    @Test
    void commandsAnswerAndEventsArriveOnTheirSession() throws Exception {
        try (ChromiumProcess process = launch();
             CdpConnection cdp = CdpConnection.open(process.devToolsUrl(), new ObjectMapper(), Duration.ofSeconds(10))) {
            CdpSession browser = cdp.browser();
            JsonNode version = browser.call("Browser.getVersion", null);
            assertThat(version.path("product").asText()).contains(chromium.version());

            BlankPage blank = BlankPage.open(cdp);
            CdpSession page = blank.page();
            page.call("Page.enable", null);
            CompletableFuture<JsonNode> loaded = page.next("Page.loadEventFired", p -> true);
            CompletableFuture<JsonNode> onBrowserSession = browser.next("Page.loadEventFired", p -> true);
            page.call("Page.navigate", page.params().put("url", TestSite.url("/hello")));
            loaded.get(20, TimeUnit.SECONDS);
            JsonNode title = page.call("Runtime.evaluate", page.params().put("expression", "document.title")
                    .put("returnByValue", true));
            assertThat(title.path("result").path("value").asText()).isEqualTo("hello");
            assertThat(onBrowserSession).as("a page event is not delivered to the browser session").isNotDone();
            blank.dispose(cdp);
        }
    }

    @Test
    void anUnknownMethodFailsItsFutureWithChromiumsMessage() throws Exception {
        try (ChromiumProcess process = launch();
             CdpConnection cdp = CdpConnection.open(process.devToolsUrl(), new ObjectMapper(), Duration.ofSeconds(10))) {
            assertThatThrownBy(() -> cdp.browser().call("No.suchMethod", null))
                    .isInstanceOf(CdpException.class).hasMessageContaining("No.suchMethod");
            assertThat(cdp.browser().call("Browser.getVersion", null).has("product")).isTrue();
        }
    }

    @Test
    void aCommandPendingOnASessionFailsAtOnceWhenItsTargetGoesAway() throws Exception {
        try (ChromiumProcess process = launch();
             CdpConnection cdp = CdpConnection.open(process.devToolsUrl(), new ObjectMapper(), Duration.ofSeconds(10))) {
            CdpSession browser = cdp.browser();
            BlankPage blank = BlankPage.open(cdp);
            CdpSession page = blank.page();
            // Chromium never answers a command of a session whose target is destroyed while it runs.
            CompletableFuture<JsonNode> never = page.send("Runtime.evaluate", page.params()
                    .put("expression", "new Promise(() => {})").put("awaitPromise", true));
            browser.call("Target.closeTarget", browser.params().put("targetId", blank.targetId()));
            assertThatThrownBy(() -> never.get(5, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(CdpException.class)
                    .hasMessageContaining("detached");
            blank.dispose(cdp);
        }
    }

    @Test
    void killingTheBrowserFailsPendingCommandsAndLeavesNothingBehind() throws Exception {
        ChromiumProcess process = launch();
        long pgid = process.pgid();
        assertThat(ProcessGroup.members(pgid)).hasSizeGreaterThan(1);
        CdpConnection cdp = CdpConnection.open(process.devToolsUrl(), new ObjectMapper(), Duration.ofSeconds(10));
        // A command that never answers by itself: waits for an event that will not come.
        CompletableFuture<JsonNode> neverComes = cdp.browser().next("Target.targetCreated", p -> true);
        long browserPid = ProcessGroup.browserPid(pgid);
        assertThat(browserPid).isPositive();
        new ProcessBuilder("kill", "-9", Long.toString(browserPid)).start().waitFor();
        assertThatThrownBy(() -> neverComes.get(20, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(CdpClosedException.class);
        assertThatThrownBy(() -> cdp.browser().call("Browser.getVersion", null)).isInstanceOf(CdpClosedException.class);
        process.kill();
        assertThat(ProcessGroup.members(pgid)).isEmpty();
        assertThat(OwnProcesses.mentioning(profiles)).isEmpty();
        assertThat(OwnProcesses.profilesIn(profiles)).isEmpty();
    }
}
