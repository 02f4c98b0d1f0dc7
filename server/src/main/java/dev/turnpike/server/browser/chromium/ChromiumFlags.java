package dev.turnpike.server.browser.chromium;

import dev.turnpike.server.net.HostRules;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line of a pooled Chromium, as measured in BROWSER.md: quiet (no background networking,
 * no component updates, no sync), light (features that cost a renderer per context turned off, no GPU process, no
 * network-service process, no process of its own for a cross-site iframe), and presenting a desktop identity (no
 * HeadlessChrome, no automation flag).
 */
public final class ChromiumFlags {

    /** Features whose WebUI renderers or background work cost memory and CPU in every context. */
    public static final String DISABLED_FEATURES = String.join(",",
            "WebUIOmniboxPopup", "WebUIOmniboxAimPopup", "WebUIOmniboxFullPopup", "PreloadTopChromeWebUI",
            "WebUIReloadButton", "PaintHolding", "Translate", "OptimizationHints", "MediaRouter", "LensOverlay");

    /**
     * Features turned on. {@code NetworkServiceInProcess2}: the network service runs in the browser process instead
     * of a utility process of its own, ~20 MiB PSS less per browser (a process's own copy of the binary's relocated
     * data and its allocators; BENCHMARKS.md "Density", session 6), at no CPU measured. Pages cannot tell where the
     * network stack runs. What it costs: a crash of the network stack ends the browser (the pool retires it,
     * {@code CRASHED}) instead of restarting the service; and with Chromium's sandbox on (not as root) the network
     * code runs in the unsandboxed browser process, as it does on Android. An operator's
     * {@code --disable-features=NetworkServiceInProcess2} gives it back its process.
     */
    public static final String ENABLED_FEATURES = "NetworkServiceInProcess2";

    private static final String DISABLE_FEATURES = "--disable-features=";
    private static final String ENABLE_FEATURES = "--enable-features=";
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
     * Site isolation off: the Turnstile widget's cross-site iframe renders in its page's process instead of one of
     * its own, one renderer less per busy context (BENCHMARKS.md "Density"). The solvers reach the widget either way
     * ({@code PageFrame}). What a page could tell: no standard API says whether a frame has a process of its own;
     * the frame now shares its page's main thread (a busy page delays its timers, measurable only against a clock
     * and as noisy as any busy machine) and its heap figures ({@code performance.memory}, non-standard) count the
     * page's too; cross-origin reads that site isolation stops (Spectre-class) are no API a check uses, and Chromium's
     * own cross-origin read blocking and the frame's origin checks stay. Desktop Chrome isolates every site, Chrome
     * on small Android devices does not, so none of this is a tell of automation; the lab's strict checks pass with it
     * ({@code TurnpikePassesStrictTest}). Contexts never share a renderer either way: a renderer holds one browser
     * context's pages only. {@link #SITE_PER_PROCESS} among an operator's flags turns it back on.
     */
    public static final String NO_SITE_ISOLATION = "--disable-site-isolation-trials";

    /** Site isolation on (every site in a process of its own): an operator's, it drops {@link #NO_SITE_ISOLATION}. */
    public static final String SITE_PER_PROCESS = "--site-per-process";

    /**
     * Whether a browser started with {@code extra} (an operator's flags) renders other sites' iframes in processes of
     * their own: {@link #SITE_PER_PROCESS} or a list of isolated origins. Without, a page's iframes are frames of its
     * own session, and only workers are attached as targets of their own.
     */
    public static boolean isolatesSites(List<String> extra) {
        return extra.stream().anyMatch(arg -> arg.equals(SITE_PER_PROCESS) || arg.startsWith("--isolate-origins"));
    }

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
            ENABLE_FEATURES + ENABLED_FEATURES,
            "--disable-extensions",
            "--disable-component-extensions-with-background-pages",
            "--disable-default-apps",
            "--disable-field-trial-config",
            NO_SITE_ISOLATION,
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
        // Chromium keeps only the last --disable-features and --enable-features: merge the caller's into ours.
        List<String> disabled = new ArrayList<>(List.of(DISABLED_FEATURES));
        List<String> enabled = new ArrayList<>(List.of(ENABLED_FEATURES.split(",")));
        List<String> rest = new ArrayList<>();
        for (String arg : extra) {
            if (arg.startsWith(DISABLE_FEATURES)) {
                disabled.add(arg.substring(DISABLE_FEATURES.length()));
            } else if (arg.startsWith(ENABLE_FEATURES)) {
                enabled.addAll(List.of(arg.substring(ENABLE_FEATURES.length()).split(",")));
            } else if (arg.startsWith(HostRules.CHROMIUM_FLAG)) {
                rest.add(HostRules.CHROMIUM_FLAG + HostRules.unquoted(arg.substring(HostRules.CHROMIUM_FLAG.length()))
                        + RELAYS_EXCLUDED);
            } else {
                rest.add(arg);
            }
        }
        boolean siteIsolation = rest.contains(SITE_PER_PROCESS);
        // A feature the caller disables is not enabled by us: named in both lists, Chromium would not say which wins.
        List<String> disabledNames = disabled.stream().flatMap(list -> List.of(list.split(",")).stream()).toList();
        enabled.removeIf(feature -> feature.isBlank() || disabledNames.contains(feature));
        for (String flag : COMMON) {
            if (siteIsolation && flag.equals(NO_SITE_ISOLATION)) {
                continue; // the operator's way back: both given, which wins would be Chromium's to say
            }
            if (flag.startsWith(DISABLE_FEATURES)) {
                args.add(DISABLE_FEATURES + String.join(",", disabled));
            } else if (flag.startsWith(ENABLE_FEATURES)) {
                if (!enabled.isEmpty()) {
                    args.add(ENABLE_FEATURES + String.join(",", enabled));
                }
            } else {
                args.add(flag);
            }
        }
        args.add("--user-data-dir=" + profile);
        args.add("--user-agent=" + userAgent);
        args.addAll(rest);
        args.add("about:blank");
        return args;
    }
}
