package dev.turnpike.server.browser.identity;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides whether a task's wanted user agent can be presented consistently by this browser, and if so makes the
 * whole override (string, {@code navigator.platform}, client hints). Consistent means:
 * <ul>
 *   <li>a desktop Chrome in the form Chrome sends ({@code Chrome/MAJOR.x.y.z}, a frozen platform token, nothing
 *       after {@code Safari/537.36}): not Firefox, Safari, Edge, Opera, mobile or headless;</li>
 *   <li>of exactly the browser's major version: the engine's features, the client hints' brands and the TLS
 *       fingerprint ({@code chrome<major>}) must match what the string claims;</li>
 *   <li>on the platform the engine itself runs on: a dedicated worker's {@code navigator.platform} cannot be
 *       overridden (measured in Chromium 156: {@code Emulation}/{@code Network.setUserAgentOverride} are accepted
 *       by a worker target but leave it as is, {@code Emulation.setNavigatorOverrides} is refused), so a Windows
 *       or macOS string would meet {@code Linux x86_64} in every worker.</li>
 * </ul>
 * Anything else keeps the browser's own identity; the reason is logged at debug.
 */
public final class WantedUserAgent {

    private static final Logger log = LoggerFactory.getLogger(WantedUserAgent.class);

    /** What {@code --accept-lang} gives every context; an override must name it again or it would be dropped. */
    public static final String ACCEPT_LANGUAGE = "en-US,en";

    private static final Pattern DESKTOP_CHROME = Pattern.compile(
            "Mozilla/5\\.0 \\((Windows NT 10\\.0; Win64; x64|Macintosh; Intel Mac OS X 10_15_7|X11; Linux (x86_64|aarch64))\\)"
                    + " AppleWebKit/537\\.36 \\(KHTML, like Gecko\\) Chrome/((\\d+)\\.\\d+\\.\\d+\\.\\d+)"
                    + " Safari/537\\.36");

    private WantedUserAgent() {
    }

    /**
     * The override presenting {@code wanted}, or empty when the browser keeps its own user agent: none wanted,
     * the browser's own one wanted, or one it cannot present consistently.
     */
    public static Optional<UserAgentOverride> decide(String wanted, BrowserIdentity browser) {
        if (wanted == null || wanted.isBlank() || wanted.equals(browser.userAgent())) {
            return Optional.empty();
        }
        return present(wanted, browser);
    }

    /**
     * The browser's own identity as an override. {@code --user-agent} (which keeps {@code HeadlessChrome} out of
     * every target) empties the high-entropy client hints — architecture, bitness, full version list — which a
     * real Chrome never leaves empty; presenting the same string through the override fills them in again
     * (measured in Chromium 156: without the flag it reports x86, 64 and its build; with it, empty strings).
     */
    public static UserAgentOverride own(BrowserIdentity browser) {
        return present(browser.userAgent(), browser).orElseThrow(() -> new IllegalStateException(
                "the browser's own user agent does not pass its own consistency rules: " + browser.userAgent()));
    }

    private static Optional<UserAgentOverride> present(String wanted, BrowserIdentity browser) {
        Matcher m = DESKTOP_CHROME.matcher(wanted);
        if (!m.matches()) {
            log.debug("wanted user agent not honoured: not a desktop Chrome ({} chars)", wanted.length());
            return Optional.empty();
        }
        int major = Integer.parseInt(m.group(4));
        if (major != browser.major()) {
            log.debug("wanted user agent not honoured: it claims Chrome {}, the browser is {}", major, browser.major());
            return Optional.empty();
        }
        String token = m.group(1);
        String navigatorPlatform = token.startsWith("Windows") ? "Win32"
                : token.startsWith("Macintosh") ? "MacIntel" : "Linux " + m.group(2);
        if (!navigatorPlatform.equals(browser.navigatorPlatform())) {
            log.debug("wanted user agent not honoured: it claims {}, workers would say {}", navigatorPlatform,
                    browser.navigatorPlatform());
            return Optional.empty();
        }
        // A reduced version (156.0.0.0) names no build: the full hints carry the real one, as Chrome's do.
        String claimed = m.group(3);
        String fullVersion = claimed.endsWith(".0.0.0") ? browser.fullVersion() : claimed;
        boolean arm = navigatorPlatform.endsWith("aarch64");
        return Optional.of(new UserAgentOverride(wanted, ACCEPT_LANGUAGE, navigatorPlatform,
                new UserAgentOverride.Metadata(brands(major, Integer.toString(major), ""),
                        brands(major, fullVersion, ".0.0.0"), fullVersion, "Linux", "", arm ? "arm" : "x86", "64",
                        "", false)));
    }

    /**
     * Chromium's own brand list for a major version: its GREASE brand and {@code Chromium}, in the order it derives
     * from the major (components/embedder_support/user_agent_utils.cc), so an override sends the brands this
     * browser sends without one (156: {@code "Not:A-Brand";v="8", "Chromium";v="156"}).
     */
    static List<UserAgentOverride.Brand> brands(int major, String chromiumVersion, String greaseVersionTail) {
        String[] chars = {" ", "(", ":", "-", ".", "/", ")", ";", "=", "?", "_"};
        String[] greaseVersions = {"8", "99", "24"};
        UserAgentOverride.Brand grease = new UserAgentOverride.Brand(
                "Not" + chars[major % chars.length] + "A" + chars[(major + 1) % chars.length] + "Brand",
                greaseVersions[major % 3] + greaseVersionTail);
        UserAgentOverride.Brand chromium = new UserAgentOverride.Brand("Chromium", chromiumVersion);
        UserAgentOverride.Brand[] list = new UserAgentOverride.Brand[2];
        list[major % 2] = grease;
        list[(major + 1) % 2] = chromium;
        return List.of(list);
    }
}
