package dev.turnpike.server.browser;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Every setting of the browser engine, validated at construction. The defaults are named constants; the
 * central configuration builds one of these and the pool never reads settings from anywhere else.
 *
 * @param browsers           the most Chromium processes the pool runs at once
 * @param contextsPerBrowser how many tasks one browser runs at once (one browser context each)
 * @param warmContexts       ready contexts kept per browser for proxyless tasks (≤ contextsPerBrowser)
 * @param maxTasksPerBrowser a browser is recycled after serving this many tasks
 * @param maxBrowserAge      ... or after this long
 * @param ageJitter          a random part added to the age limit, so browsers don't all recycle at once
 * @param memoryCapBytes     ... or when its process tree's PSS passes this (0 = no cap)
 * @param chromiumPath       the Chromium binary, or null to look in the usual places
 * @param profileRoot        where profile directories are made (and deleted); null = the system temp dir
 * @param display            headless, or headful under a private Xvfb server
 * @param extraArgs          more command-line flags (e.g. the lab's host rules and certificate pin)
 * @param housekeepingPeriod how often ages, memory and idle browsers are checked
 * @param minBrowsers        the fewest browsers kept running, even idle (0 ≤ minBrowsers ≤ browsers); more are
 *                           started when tasks find every slot taken, up to {@code browsers}
 * @param idleAfter          a browser above {@code minBrowsers} with no task for this long is retired
 * @param nice               how far below Turnpike's the browsers' CPU priority is, as nice(1) counts (0..19): on
 *                           full cores the API, the queue and the DevTools hand-offs run first, the pages after
 */
public record BrowserSettings(int browsers, int contextsPerBrowser, int warmContexts, int maxTasksPerBrowser,
                              Duration maxBrowserAge, Duration ageJitter, long memoryCapBytes, Path chromiumPath,
                              Path profileRoot, Display display, List<String> extraArgs,
                              Duration housekeepingPeriod, int minBrowsers, Duration idleAfter, int nice) {

    /** Headless by default: no X server to install or keep alive, and identity gaps are closed by flags. */
    public enum Display { HEADLESS, XVFB }

    public static final int DEFAULT_BROWSERS = 2;
    public static final int DEFAULT_CONTEXTS_PER_BROWSER = 8;
    public static final int DEFAULT_WARM_CONTEXTS = 2;
    public static final int DEFAULT_MAX_TASKS_PER_BROWSER = 200;
    public static final Duration DEFAULT_MAX_BROWSER_AGE = Duration.ofMinutes(30);
    public static final Duration DEFAULT_AGE_JITTER = Duration.ofMinutes(5);
    /** A browser with 8 busy contexts sits near 1 GiB PSS (BROWSER.md); 1.5 GiB means something grew. */
    public static final long DEFAULT_MEMORY_CAP_BYTES = 1536L << 20;
    public static final Duration DEFAULT_HOUSEKEEPING_PERIOD = Duration.ofSeconds(30);
    public static final Duration DEFAULT_IDLE_AFTER = Duration.ofMinutes(1);
    /** Browsers weigh a tenth of Turnpike on a full CPU (BENCHMARKS.md, "Browsers below the JVM"). */
    public static final int DEFAULT_NICE = 10;

    public BrowserSettings {
        if (browsers < 1 || browsers > 64) {
            throw new IllegalArgumentException("browsers must be 1..64, got " + browsers);
        }
        if (contextsPerBrowser < 1 || contextsPerBrowser > 64) {
            throw new IllegalArgumentException("contextsPerBrowser must be 1..64, got " + contextsPerBrowser);
        }
        if (warmContexts < 0 || warmContexts > contextsPerBrowser) {
            throw new IllegalArgumentException("warmContexts must be 0..contextsPerBrowser, got " + warmContexts);
        }
        if (maxTasksPerBrowser < 1) {
            throw new IllegalArgumentException("maxTasksPerBrowser must be ≥ 1, got " + maxTasksPerBrowser);
        }
        requirePositive(maxBrowserAge, "maxBrowserAge");
        Objects.requireNonNull(ageJitter, "ageJitter");
        if (ageJitter.isNegative()) {
            throw new IllegalArgumentException("ageJitter must not be negative");
        }
        if (memoryCapBytes < 0) {
            throw new IllegalArgumentException("memoryCapBytes must be ≥ 0 (0 = no cap)");
        }
        Objects.requireNonNull(display, "display");
        extraArgs = List.copyOf(Objects.requireNonNull(extraArgs, "extraArgs"));
        requirePositive(housekeepingPeriod, "housekeepingPeriod");
        if (minBrowsers < 0 || minBrowsers > browsers) {
            throw new IllegalArgumentException("minBrowsers must be 0..browsers (" + browsers + "), got " + minBrowsers);
        }
        requirePositive(idleAfter, "idleAfter");
        if (nice < 0 || nice > 19) {
            throw new IllegalArgumentException("nice must be 0..19, got " + nice);
        }
    }

    /** The defaults, headless, Chromium found in the usual places; a fixed pool (every browser kept). */
    public static BrowserSettings defaults() {
        return new BrowserSettings(DEFAULT_BROWSERS, DEFAULT_CONTEXTS_PER_BROWSER, DEFAULT_WARM_CONTEXTS,
                DEFAULT_MAX_TASKS_PER_BROWSER, DEFAULT_MAX_BROWSER_AGE, DEFAULT_AGE_JITTER,
                DEFAULT_MEMORY_CAP_BYTES, null, null, Display.HEADLESS, List.of(), DEFAULT_HOUSEKEEPING_PERIOD,
                DEFAULT_BROWSERS, DEFAULT_IDLE_AFTER, DEFAULT_NICE);
    }

    /** A fixed pool of this size: every browser kept. */
    public BrowserSettings withSize(int browsers, int contextsPerBrowser, int warmContexts) {
        return with(b -> {
            b.browsers = browsers;
            b.contextsPerBrowser = contextsPerBrowser;
            b.warmContexts = warmContexts;
            b.minBrowsers = browsers;
        });
    }

    /** An elastic pool: {@code minBrowsers} kept, up to {@code browsers} started on demand, idle ones retired. */
    public BrowserSettings withElasticity(int minBrowsers, Duration idleAfter) {
        return with(b -> {
            b.minBrowsers = minBrowsers;
            b.idleAfter = idleAfter;
        });
    }

    /** Whether browsers are started on demand and retired when idle. */
    public boolean elastic() {
        return minBrowsers < browsers;
    }

    public BrowserSettings withRecycling(int maxTasksPerBrowser, Duration maxBrowserAge, Duration ageJitter,
                                         long memoryCapBytes) {
        return with(b -> {
            b.maxTasksPerBrowser = maxTasksPerBrowser;
            b.maxBrowserAge = maxBrowserAge;
            b.ageJitter = ageJitter;
            b.memoryCapBytes = memoryCapBytes;
        });
    }

    public BrowserSettings withProfileRoot(Path profileRoot) {
        return with(b -> b.profileRoot = profileRoot);
    }

    public BrowserSettings withExtraArgs(List<String> extraArgs) {
        return with(b -> b.extraArgs = extraArgs);
    }

    public BrowserSettings withDisplay(Display display) {
        return with(b -> b.display = display);
    }

    public BrowserSettings withHousekeepingPeriod(Duration period) {
        return with(b -> b.housekeepingPeriod = period);
    }

    /** Browsers this far below Turnpike's CPU priority (0: the same). */
    public BrowserSettings withNice(int nice) {
        return with(b -> b.nice = nice);
    }

    /** A copy with some settings changed, validated as a whole again. */
    private BrowserSettings with(Consumer<Copy> change) {
        Copy copy = new Copy(this);
        change.accept(copy);
        return copy.settings();
    }

    /** The settings as fields to change, for {@link #with}: each {@code with…} names only what it changes. */
    private static final class Copy {
        int browsers;
        int contextsPerBrowser;
        int warmContexts;
        int maxTasksPerBrowser;
        Duration maxBrowserAge;
        Duration ageJitter;
        long memoryCapBytes;
        Path chromiumPath;
        Path profileRoot;
        Display display;
        List<String> extraArgs;
        Duration housekeepingPeriod;
        int minBrowsers;
        Duration idleAfter;
        int nice;

        Copy(BrowserSettings s) {
            browsers = s.browsers;
            contextsPerBrowser = s.contextsPerBrowser;
            warmContexts = s.warmContexts;
            maxTasksPerBrowser = s.maxTasksPerBrowser;
            maxBrowserAge = s.maxBrowserAge;
            ageJitter = s.ageJitter;
            memoryCapBytes = s.memoryCapBytes;
            chromiumPath = s.chromiumPath;
            profileRoot = s.profileRoot;
            display = s.display;
            extraArgs = s.extraArgs;
            housekeepingPeriod = s.housekeepingPeriod;
            minBrowsers = s.minBrowsers;
            idleAfter = s.idleAfter;
            nice = s.nice;
        }

        BrowserSettings settings() {
            return new BrowserSettings(browsers, contextsPerBrowser, warmContexts, maxTasksPerBrowser, maxBrowserAge,
                    ageJitter, memoryCapBytes, chromiumPath, profileRoot, display, extraArgs, housekeepingPeriod,
                    minBrowsers, idleAfter, nice);
        }
    }

    /** Where profiles go. */
    public Path effectiveProfileRoot() {
        return profileRoot != null ? profileRoot : Path.of(System.getProperty("java.io.tmpdir"));
    }

    private static void requirePositive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive");
        }
    }
}
