package dev.turnpike.server.browser.chromium;

import dev.turnpike.server.net.HostRules;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line of a pooled Chromium, as measured in BROWSER.md: quiet (no background networking,
 * no component updates, no sync), light (features that cost a renderer per context turned off, no GPU process), and presenting a desktop identity (no HeadlessChrome, no automation flag).
 */
public final class ChromiumFlags {

    /** Features whose WebUI renderers or background work cost memory and CPU in every context. */
    public static final String DISABLED_FEATURES = String.join(",",
            "WebUIOmniboxPopup", "WebUIOmniboxAimPopup", "WebUIOmniboxFullPopup", "PreloadTopChromeWebUI",
            "WebUIReloadButton", "PaintHolding", "Translate", "OptimizationHints", "MediaRouter", "LensOverlay");

    private static final String DISABLE_FEATURES = "--disable-features=";
    /** The screen a headless browser reports: the commonest desktop's, as large as the Xvfb display's. */
    public static final String HEADLESS_SCREEN = "1920x1080";
    /**
     * Every context's proxy is a relay on this address: host rules must never map it (a {@code MAP *} would, and
     * every navigation would fail with ERR_PROXY_CONNECTION_FAILED). Pages' hosts are the relay's to map and check.
     */
    private static final String RELAYS_EXCLUDED = ", EXCLUDE 127.0.0.1";

    /**
     * For a lab on loopback only: a page served by interception (fast mode) counts as public, and
     * Chromium's Local Network Access checks would then refuse its scripts from the loopback lab.
     */
    public static final String LAB_ON_LOOPBACK = DISABLE_FEATURES + "LocalNetworkAccessChecks";

    /**
     * Never given: without site isolation the widget's cross-site frame has no DevTools target of its own, and the
     * solvers find, watch and click the widget through that target (it saved a renderer per context, BENCHMARKS.md
     * "Density" 2026-12-07, but interactive widgets, M1 and the challenge's checkbox then fail).
     */
    public static final String NO_SITE_ISOLATION = "--disable-site-isolation-trials";

    /** Flags every pooled browser gets, whatever the display. */
    public static final List<String> COMMON = List.of(
            "--disable-gpu",
            // The software compositor in the browser process: no GPU process of its own (about 45 MiB PSS each).
            "--in-process-gpu",
            // V8's young generation at 1 MiB a semi-space instead of up to 16: renderers at full load 289 MiB instead
            // of 417, at no CPU we could measure. An operator's own --js-flags replaces this one (the last one wins).
            "--js-flags=--max-semi-space-size=1",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--no-default-browser-check",
            "--disable-features=" + DISABLED_FEATURES,
            "--disable-extensions",
            "--disable-component-extensions-with-background-pages",
            "--disable-default-apps",
            "--disable-field-trial-config",
            "--disable-back-forward-cache",
            "--disable-renderer-backgrounding",
            // Contexts of one browser are windows behind each other: don't throttle the hidden ones.
            "--disable-background-timer-throttling",
            "--disable-backgrounding-occluded-windows",
            "--disable-client-side-phishing-detection",
            "--disable-breakpad",
            "--disable-hang-monitor",
            "--disable-blink-features=AutomationControlled",
            // WebRTC's UDP does not go through a proxy: without this a page sends STUN to any address (around the
            // relay and its address policy) and sees this machine's own addresses instead of the task's proxy's.
            "--webrtc-ip-handling-policy=disable_non_proxied_udp",
            "--password-store=basic",
            "--use-mock-keychain",
            "--lang=en-US",
            "--accept-lang=en-US,en",
            "--window-size=1366,768",
            "--remote-debugging-address=127.0.0.1",
            "--remote-debugging-port=0");

    private ChromiumFlags() {
    }

    /**
     * The full argument list after the binary.
     *
     * @param profile   a fresh user-data-dir
     * @param userAgent the user agent every target and worker presents
     * @param headless  true for {@code --headless=new}; false when a display is set in the environment
     * @param noSandbox Chromium's sandbox cannot run as root
     * @param extra     the operator's or the tests' flags, last so they win
     */
    public static List<String> build(Path profile, String userAgent, boolean headless, boolean noSandbox,
                                     List<String> extra) {
        List<String> args = new ArrayList<>();
        if (headless) {
            args.add("--headless=new");
        }
        if (noSandbox) {
            args.add("--no-sandbox");
        }
        if (headless) {
            // Headless has no display: without this its screen is 800x600, smaller than the window (a known tell).
            args.add("--screen-info={" + HEADLESS_SCREEN + "}");
        }
        // Chromium keeps only the last --disable-features: merge any the caller gives into ours.
        List<String> disabled = new ArrayList<>(List.of(DISABLED_FEATURES));
        List<String> rest = new ArrayList<>();
        for (String arg : extra) {
            if (arg.startsWith(DISABLE_FEATURES)) {
                disabled.add(arg.substring(DISABLE_FEATURES.length()));
            } else if (arg.startsWith(HostRules.CHROMIUM_FLAG)) {
                rest.add(HostRules.CHROMIUM_FLAG + HostRules.unquoted(arg.substring(HostRules.CHROMIUM_FLAG.length()))
                        + RELAYS_EXCLUDED);
            } else {
                rest.add(arg);
            }
        }
        for (String flag : COMMON) {
            args.add(flag.startsWith(DISABLE_FEATURES) ? DISABLE_FEATURES + String.join(",", disabled) : flag);
        }
        args.add("--user-data-dir=" + profile);
        args.add("--user-agent=" + userAgent);
        args.addAll(rest);
        args.add("about:blank");
        return args;
    }
}
