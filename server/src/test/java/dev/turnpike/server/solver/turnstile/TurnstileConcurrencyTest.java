package dev.turnpike.server.solver.turnstile;

import dev.turnpike.server.solver.SolvePhases;
import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.lab.Lab;
import dev.turnpike.lab.LabOptions;
import dev.turnpike.lab.core.Sitekey;
import dev.turnpike.lab.core.SitekeyMode;
import dev.turnpike.server.browser.BrowserSettings;
import dev.turnpike.server.browser.Eventually;
import dev.turnpike.server.browser.OwnProcesses;
import dev.turnpike.server.browser.chromium.ChromiumFlags;
import dev.turnpike.server.browser.chromium.ProcessGroup;
import dev.turnpike.server.browser.TestPools;
import dev.turnpike.server.browser.pool.BrowserPool;
import dev.turnpike.server.browser.pool.PoolStats;
import dev.turnpike.server.browser.pool.RetireReason;
import dev.turnpike.server.solver.SolveException;
import dev.turnpike.server.task.FailReason;
import dev.turnpike.server.task.Solution;
import dev.turnpike.server.task.TaskSpec;
import dev.turnpike.server.task.TaskType;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** 2 browsers × 8 contexts: sixteen solves at once without cross-talk, and a browser killed mid-solve. */
class TurnstileConcurrencyTest {

    static final String HOST = "busy.lab.test";
    @TempDir
    static Path profiles;
    static Lab lab;
    static LabVerifier verifier;
    static ScheduledExecutorService scheduler;
    static BrowserPool pool;
    static TurnstileSolver solver;
    static final Set<Long> groupsSeen = new HashSet<>();

    @BeforeAll
    static void start() throws Exception {
        lab = Lab.start(LabOptions.defaults().withSeed(21));
        verifier = new LabVerifier(lab);
        scheduler = Executors.newSingleThreadScheduledExecutor();
        List<String> args = new ArrayList<>(lab.chromiumArgs());
        args.add(ChromiumFlags.LAB_ON_LOOPBACK);
        pool = TestPools.start(BrowserSettings.defaults().withSize(2, 8, 2).withProfileRoot(profiles)
                .withExtraArgs(args).withHousekeepingPeriod(Duration.ofHours(1)), scheduler, Clock.systemUTC(), 8,
                TurnstileSolverTest.labPolicy(lab));
        groupsSeen.addAll(pool.processGroups());
        solver = new TurnstileSolver(pool, Clock.systemUTC(), new Random(9), SolvePhases.none());
    }

    @AfterAll
    static void stop() {
        if (pool != null) {
            groupsSeen.addAll(pool.processGroups());
            pool.close();
        }
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
        if (lab != null) {
            lab.close();
        }
        for (long group : groupsSeen) {
            assertThat(ProcessGroup.members(group)).as("processes left in group " + group).isEmpty();
        }
        assertThat(OwnProcesses.mentioning(profiles)).isEmpty();
        assertThat(OwnProcesses.profilesIn(profiles)).isEmpty();
    }

    static TaskSpec.Turnstile task(String sitekey, String cData) {
        return new TaskSpec.Turnstile(TaskType.TURNSTILE_PROXYLESS, URI.create("https://" + HOST + "/form"), sitekey,
                "many", cData, null, null, null);
    }

    @Test
    void sixteenSolvesAtOnceEachGetTheirOwnToken() throws Exception {
        Sitekey key = lab.admin().registerSitekey(new Sitekey("0x4AAAAAAAconcurrent", "0x4AAAAAAAconcurrentSecret",
                List.of("lab.test"), SitekeyMode.MANAGED, 12, 0, null));
        List<CompletableFuture<Solution.Turnstile>> solves = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            TaskSpec.Turnstile task = task(key.sitekey(), "task-" + i);
            CompletableFuture<Solution.Turnstile> solve = new CompletableFuture<>();
            Thread.ofVirtual().start(() -> {
                try {
                    solve.complete((Solution.Turnstile) solver.solve(task, Instant.now().plusSeconds(120)));
                } catch (Throwable e) {
                    solve.completeExceptionally(e);
                }
            });
            solves.add(solve);
        }
        Set<String> tokens = new HashSet<>();
        for (int i = 0; i < 16; i++) {
            Solution.Turnstile solution = solves.get(i).get(180, TimeUnit.SECONDS);
            assertThat(tokens.add(solution.token())).isTrue();
            verifier.assertAcceptedOnce(key.secret(), solution.token(), HOST, "many", "task-" + i);
        }
    }

    @Test
    void aBrowserKilledMidSolveFailsTheTaskAsRetryableAndThePoolHeals() throws Exception {
        Sitekey slow = lab.admin().registerSitekey(new Sitekey("0x4AAAAAAAslowCrash", "0x4AAAAAAAslowCrashSecret",
                List.of("lab.test"), SitekeyMode.MANAGED, 12, 4_000, null));
        CompletableFuture<Solution> solve = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                solve.complete(solver.solve(task(slow.sitekey(), "doomed"), Instant.now().plusSeconds(120)));
            } catch (Throwable e) {
                solve.completeExceptionally(e);
            }
        });
        long[] busyGroup = new long[1];
        Eventually.await("the task holds a context", Duration.ofSeconds(30), () -> pool.stats().browsers().stream()
                .filter(b -> b.busy() > 0).findFirst().map(b -> busyGroup[0] = b.pgid()).isPresent());
        groupsSeen.addAll(pool.processGroups());
        Thread.sleep(1_000); // into the widget's slow steps
        long browserPid = ProcessGroup.browserPid(busyGroup[0]);
        assertThat(browserPid).isPositive();
        new ProcessBuilder("kill", "-9", Long.toString(browserPid)).start().waitFor();

        Throwable failure = org.assertj.core.api.Assertions.catchThrowable(() -> solve.get(60, TimeUnit.SECONDS));
        assertThat(failure).hasCauseInstanceOf(SolveException.class);
        SolveException e = (SolveException) failure.getCause();
        assertThat(e.reason()).isEqualTo(FailReason.BROWSER_CRASHED);
        assertThat(e.reason().retryable()).isTrue();

        Eventually.await("two ready browsers again", Duration.ofSeconds(60), () -> {
            List<PoolStats.BrowserStats> browsers = pool.stats().browsers();
            groupsSeen.addAll(pool.processGroups());
            return browsers.size() == 2 && browsers.stream().allMatch(b -> b.state().equals("READY"))
                    && browsers.stream().noneMatch(b -> b.pgid() == busyGroup[0]);
        });
        assertThat(pool.retirements()).anyMatch(r -> r.reason() == RetireReason.CRASHED);
        assertThat(ProcessGroup.members(busyGroup[0])).isEmpty();
        Sitekey quick = lab.admin().registerSitekey(new Sitekey("0x4AAAAAAAafterCrash", "0x4AAAAAAAafterCrashSecret",
                List.of("lab.test"), SitekeyMode.MANAGED, 12, 0, null));
        Solution.Turnstile retried = (Solution.Turnstile) solver.solve(task(quick.sitekey(), "retried"),
                Instant.now().plusSeconds(120));
        verifier.assertAcceptedOnce(quick.secret(), retried.token(), HOST, "many", "retried");
    }
}
