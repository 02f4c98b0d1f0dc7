package dev.turnpike.server.browser.chromium;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.turnpike.server.browser.BrowserSettings;
import dev.turnpike.server.browser.cdp.CdpConnection;
import dev.turnpike.server.browser.cdp.CdpException;
import dev.turnpike.server.browser.cdp.CdpSession;
import dev.turnpike.server.browser.identity.BrowserIdentity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The start-up check: finds Chromium, starts it once with the pool's flags, loads a page in a fresh
 * context and checks what a site would see (no HeadlessChrome, {@code navigator.webdriver} false), then
 * removes every trace. Fails loudly, saying what went wrong and how to install Chromium, so a broken
 * browser is found at start and not as a stream of failed tasks.
 */
public final class SelfCheck {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final String PAGE = "data:text/html,<title>turnpike-self-check</title>";

    /**
     * @param version   Chromium's version
     * @param userAgent what pages see
     * @param startup   launch to first DevTools answer
     */
    public record Report(String version, String userAgent, Duration startup) {
    }

    private SelfCheck() {
    }

    /**
     * The page's user agent and webdriver flag, read in an isolated world. The new target starts on about:blank and
     * then commits the data: page, which destroys a world made in between: then look again, in the new document.
     */
    private static JsonNode whatThePageSees(CdpSession page) throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                String frame = page.call("Page.getFrameTree", null, TIMEOUT).path("frameTree").path("frame").path("id")
                        .asText();
                long world = page.call("Page.createIsolatedWorld", page.params().put("frameId", frame)
                        .put("worldName", "turnpike-self-check"), TIMEOUT).path("executionContextId").asLong();
                return page.call("Runtime.evaluate", page.params().put("contextId", world).put("returnByValue", true)
                        .put("expression", "({ua: navigator.userAgent, webdriver: navigator.webdriver})"), TIMEOUT)
                        .path("result").path("value");
            } catch (CdpException e) {
                if (attempt >= 5 || e instanceof dev.turnpike.server.browser.cdp.CdpClosedException) {
                    throw e;
                }
                Thread.sleep(100); // the document was replaced under us
            }
        }
    }

    public static Report run(BrowserSettings settings) throws ChromiumUnavailableException, InterruptedException {
        ChromiumInstallation installation = ChromiumInstallation.discover(settings.chromiumPath());
        BrowserIdentity identity = installation.identity();
        Path root;
        try {
            root = Files.createTempDirectory(settings.effectiveProfileRoot(), "turnpike-self-check-");
        } catch (IOException e) {
            throw new ChromiumUnavailableException("Cannot create a profile directory under "
                    + settings.effectiveProfileRoot() + ": " + e.getMessage(), e);
        }
        long started = System.nanoTime();
        // The check needs no network (the page is a data: URL) and no display: it runs headless even when the
        // pool will run under Xvfb, whose own start is checked when the pool starts.
        try (ChromiumProcess process = ChromiumProcess.launch(installation, root, identity.userAgent(), true,
                settings.extraArgs(), Map.of(), settings.nice(), TIMEOUT);
             CdpConnection cdp = CdpConnection.open(process.devToolsUrl(), new ObjectMapper(), TIMEOUT)) {
            CdpSession browser = cdp.browser();
            browser.call("Browser.getVersion", null, TIMEOUT);
            Duration startup = Duration.ofNanos(System.nanoTime() - started);
            String context = browser.call("Target.createBrowserContext", null, TIMEOUT).path("browserContextId").asText();
            String target = browser.call("Target.createTarget", browser.params().put("url", PAGE)
                    .put("browserContextId", context), TIMEOUT).path("targetId").asText();
            CdpSession page = cdp.session(browser.call("Target.attachToTarget", browser.params()
                    .put("targetId", target).put("flatten", true), TIMEOUT).path("sessionId").asText());
            JsonNode seen = whatThePageSees(page);
            browser.call("Target.disposeBrowserContext", browser.params().put("browserContextId", context), TIMEOUT);
            String ua = seen.path("ua").asText();
            if (ua.contains("Headless") || !ua.equals(identity.userAgent())) {
                throw new ChromiumUnavailableException("Chromium " + installation.version()
                        + " does not present the configured user agent (pages see \"" + ua + "\").");
            }
            if (seen.path("webdriver").asBoolean(true)) {
                throw new ChromiumUnavailableException("Chromium " + installation.version()
                        + " shows navigator.webdriver = true despite --disable-blink-features=AutomationControlled.");
            }
            return new Report(installation.version(), ua, startup);
        } catch (IOException | CdpException e) {
            throw new ChromiumUnavailableException("Chromium " + installation.version() + " at "
                    + installation.binary() + " did not start or answer: " + e.getMessage(), e);
        } finally {
            ChromiumProcess.deleteTree(root);
        }
    }
}
