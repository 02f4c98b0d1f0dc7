package dev.turnpike.server.solver.strict;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.turnpike.lab.core.HostKind;
import dev.turnpike.lab.core.LabHost;
import dev.turnpike.lab.core.Sitekey;
import dev.turnpike.lab.core.SitekeyHostile;
import dev.turnpike.lab.core.SitekeyMode;
import dev.turnpike.lab.strict.CountryConventions;
import dev.turnpike.server.browser.BrowserSettings;
import dev.turnpike.server.net.ProxySpec;
import dev.turnpike.server.solver.Solver;
import dev.turnpike.server.task.Solution;
import dev.turnpike.server.task.TaskSpec;
import dev.turnpike.server.task.TaskType;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Turnpike's browsers pass the lab's strict battery (LAB.md L5) in every mode — fast and full Turnstile, managed
 * interactive and non-interactive challenges (which always come with a proxy) — eight at once, headless. No
 * check fires.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TurnpikePassesStrictTest {

    static final String SITE = "shop.lab.test";
    static final String PROTECTED = "guarded.lab.test";
    static final int CONCURRENCY = 8;
    static StrictLab strict;

    /**
     * An instance method of a class-wide instance, so that a subclass changes the pool by overriding
     * {@link #settings()}: a static {@code start()} in a subclass only hides this one, JUnit runs both, and the
     * superclass's lab and browser were left running to the end of the test JVM.
     */
    @BeforeAll
    void start() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/lib/chromium/chromium")), "Chromium is not installed");
        strict = StrictLab.start(CONCURRENCY, settings());
    }

    /** The pool's settings for this battery: headless. */
    UnaryOperator<BrowserSettings> settings() {
        return s -> s;
    }

    @AfterAll
    static void stop() throws Exception {
        if (strict != null) {
            strict.close();
        }
    }

    @BeforeEach
    void reset() {
        strict.lab.admin().reset();
        strict.registerProxyAccounts();
    }

    static Sitekey strictSitekey(String name, SitekeyHostile hostile) {
        Sitekey key = strict.lab.admin().registerSitekey(new Sitekey("0x4AAAAAAA" + name, "0x4AAAAAAA" + name + "Secret",
                List.of("lab.test"), SitekeyMode.MANAGED, 8, 0, hostile));
        strict.lab.admin().setSitekeyStrict(key.sitekey(), true);
        return key;
    }

    static TaskSpec.Turnstile turnstile(TaskType type, String path, Sitekey key, String cData) {
        return new TaskSpec.Turnstile(type, URI.create("https://" + SITE + path), key.sitekey(), "login", cData, null,
                null, null);
    }

    /**
     * Runs every task at once on {@code solver}; all must be solved, no strict check may fire, and each solution must
     * report what its browser presented: its proxy exit's country, time zone and language, or this machine's own.
     */
    static void allPass(Solver solver, List<? extends TaskSpec> tasks) throws Exception {
        List<CompletableFuture<Solution>> solves = new ArrayList<>();
        for (TaskSpec task : tasks) {
            CompletableFuture<Solution> solve = new CompletableFuture<>();
            Thread.ofVirtual().start(() -> {
                try {
                    solve.complete(solver.solve(task, Instant.now().plusSeconds(150)));
                } catch (Throwable e) {
                    solve.completeExceptionally(e);
                }
            });
            solves.add(solve);
        }
        List<Throwable> failures = new ArrayList<>();
        List<Solution> solutions = new ArrayList<>();
        for (CompletableFuture<Solution> solve : solves) {
            try {
                solutions.add(solve.get(240, TimeUnit.SECONDS));
            } catch (Exception e) {
                failures.add(e);
                solutions.add(null);
            }
        }
        assertThat(strict.firedDetails()).as("strict checks that fired").isEmpty();
        assertThat(failures).as("failed solves").isEmpty();
        assertThat(strict.passed()).isGreaterThanOrEqualTo(tasks.size());
        for (int i = 0; i < tasks.size(); i++) {
            assertPresented(tasks.get(i), solutions.get(i));
        }
    }

    /** The solution's {@code identity}: the proxy exit's (address, country, a zone and language of it), else the machine's. */
    static void assertPresented(TaskSpec task, Solution solution) {
        Solution.Identity identity = switch (solution) {
            case Solution.Turnstile t -> t.identity();
            case Solution.Challenge c -> c.identity();
            case Solution.Page p -> throw new AssertionError("no page request is sent here");
        };
        assertThat(identity).as("the solution's identity").isNotNull();
        ProxySpec proxy = switch (task) {
            case TaskSpec.Turnstile t -> t.proxy();
            case TaskSpec.Challenge c -> c.proxy();
            case TaskSpec.PageRequest p -> p.proxy();
        };
        if (proxy == null) {
            assertThat(identity.source()).isEqualTo("machine");
            assertThat(identity.country()).isNull();
            assertThat(identity.fallback()).isNull();
            return;
        }
        StrictLab.Exit exit = StrictLab.exitOf(proxy);
        assertThat(identity.source()).as(identity.toString()).isEqualTo("proxy");
        assertThat(identity.ip()).isEqualTo(exit.ip());
        assertThat(identity.country()).isEqualTo(exit.country());
        assertThat(COUNTRIES.zoneOf(exit.country(), identity.timeZone())).as(identity.timeZone()).isTrue();
        assertThat(COUNTRIES.languageOf(exit.country(), identity.languages().getFirst()))
                .as(identity.languages().toString()).isTrue();
    }

    /** The lab judge's own reading of the tz and locale data. */
    static final CountryConventions COUNTRIES = CountryConventions.load(CountryConventions.ZONEINFO);

    @Test
    void fullModeThroughProxiesOfFourCountriesPassesTheCountryChecks() throws Exception {
        Sitekey key = strictSitekey("strictCountry", null);
        sitesOwnPage("/abroad", key);
        List<TaskSpec.Turnstile> tasks = new ArrayList<>();
        for (int i = 0; i < CONCURRENCY; i++) {
            tasks.add(new TaskSpec.Turnstile(TaskType.TURNSTILE_PROXYLESS_M1, URI.create("https://" + SITE + "/abroad"),
                    key.sitekey(), "login", "abroad-" + i, null, null, strict.proxy(i)));
        }
        allPass(strict.turnstile, tasks);
    }

    static List<TaskSpec.Turnstile> many(TaskType type, String path, Sitekey key) {
        List<TaskSpec.Turnstile> tasks = new ArrayList<>();
        for (int i = 0; i < CONCURRENCY; i++) {
            tasks.add(turnstile(type, path, key, "strict-" + i));
        }
        return tasks;
    }

    @Test
    void fastModePassesTheStrictWidgetEightAtOnce() throws Exception {
        Sitekey key = strictSitekey("strictFast", null);
        allPass(strict.turnstile, many(TaskType.TURNSTILE_PROXYLESS, "/form", key));
    }

    @Test
    void fastModePassesAStrictInteractiveWidgetWithItsClick() throws Exception {
        Sitekey key = strictSitekey("strictClick", SitekeyHostile.NONE.withInteractiveOnly(120_000));
        allPass(strict.turnstile, many(TaskType.TURNSTILE_PROXYLESS, "/form", key));
    }

    @Test
    void fullModePassesTheStrictWidgetOnTheSitesOwnPage() throws Exception {
        Sitekey key = strictSitekey("strictFull", null);
        sitesOwnPage("/login", key);
        allPass(strict.turnstile, many(TaskType.TURNSTILE_PROXYLESS_M1, "/login", key));
    }

    /** A page of the site with its own widget of {@code key}, as full mode loads it. */
    static void sitesOwnPage(String path, Sitekey key) {
        strict.lab.admin().registerPage(SITE, path, """
                <!doctype html><html><head><title>login</title>
                <script src="https://challenges.cloudflare.com/turnstile/v0/api.js" async defer></script></head>
                <body><form><div class="cf-turnstile" data-sitekey="%s" data-action="login"></div></form></body></html>
                """.formatted(key.sitekey()));
    }

    /**
     * Challenge tasks always have a proxy (PROTOCOL.md); proxyless is the Turnstile tasks' case. Each challenge type
     * has its own host, so that no test reuses another's cached clearance and skips the page.
     */
    static List<TaskSpec.Challenge> challenges(String cType, boolean proxied) {
        String host = cType + "-" + PROTECTED;
        strict.lab.admin().registerHost(new LabHost(host, HostKind.PROTECTED, cType, 0, null));
        strict.lab.admin().setHostStrict(host, true);
        List<TaskSpec.Challenge> tasks = new ArrayList<>();
        for (int i = 0; i < CONCURRENCY; i++) {
            tasks.add(new TaskSpec.Challenge(URI.create("https://" + host + "/page-" + i), proxied ? strict.proxy(i)
                    : null, null, null));
        }
        return tasks;
    }

    @Test
    void managedChallengesThroughAProxyPassTheStrictPage() throws Exception {
        allPass(strict.challenge, challenges("managed", true));
    }

    @Test
    void interactiveChallengesThroughAProxyPassWithTheirClicks() throws Exception {
        allPass(strict.challenge, challenges("interactive", true));
    }

    @Test
    void nonInteractiveChallengesPassTheStrictPage() throws Exception {
        allPass(strict.challenge, challenges("non-interactive", true));
    }
}
