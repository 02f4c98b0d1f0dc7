package dev.turnpike.server.browser.pool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.fixtures.TestClock;
import dev.turnpike.server.browser.BrowserSettings;
import dev.turnpike.server.browser.Eventually;
import dev.turnpike.server.browser.OwnProcesses;
import dev.turnpike.server.browser.TestPools;
import dev.turnpike.server.browser.TestSite;
import dev.turnpike.server.browser.chromium.ProcessGroup;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The elastic pool: browsers started when tasks take the last slot, up to the maximum; idle ones beyond the minimum
 * retired after the idle time (read from an injected clock, so nothing here sleeps through it); nothing left behind.
 */
class ElasticPoolTest {

    private static final Duration T = Duration.ofSeconds(30);
    private static final Duration IDLE_AFTER = Duration.ofSeconds(60);

    static TestSite site;
    @TempDir
    Path profiles;
    ScheduledExecutorService scheduler;
    final TestClock clock = new TestClock(Instant.parse("2026-01-01T00:00:00Z"));
    BrowserPool pool;
    final Set<Long> groupsSeen = new HashSet<>();
    final List<ContextLease> held = new ArrayList<>();

    @BeforeAll
    static void startSite() throws Exception {
        site = TestSite.start();
        site.page("/plain", "<title>plain</title>");
    }

    @AfterAll
    static void stopSite() {
        site.close();
    }

    /** At most two browsers of two contexts, at least {@code min}. */
    private void start(int min) throws Exception {
        start(min, 0);
    }

    /** The same, each browser keeping {@code warm} contexts ready. */
    private void start(int min, int warm) throws Exception {
        scheduler = Executors.newSingleThreadScheduledExecutor();
        BrowserSettings settings = BrowserSettings.defaults().withSize(2, 2, warm).withElasticity(min, IDLE_AFTER)
                .withProfileRoot(profiles).withExtraArgs(site.chromiumArgs()).withHousekeepingPeriod(Duration.ofHours(1));
        pool = TestPools.start(settings, scheduler, clock, 11, TestPools.allowing(TestSite.HOST));
    }

    @AfterEach
    void closeAndCountLeftovers() throws Exception {
        held.forEach(ContextLease::close);
        if (pool != null) {
            groupsSeen.addAll(pool.processGroups());
            pool.close();
            scheduler.shutdownNow();
        }
        for (long group : groupsSeen) {
            assertThat(ProcessGroup.members(group)).as("processes left in group " + group).isEmpty();
        }
        assertThat(OwnProcesses.profilesIn(profiles)).as("profile directories left").isEmpty();
    }

    private ContextLease take() throws Exception {
        ContextLease lease = pool.acquireDirect();
        held.add(lease);
        groupsSeen.addAll(pool.processGroups());
        lease.navigate(TestSite.url("/plain"), T);
        return lease;
    }

    /** Closes the lease and waits until its slot is free (disposal runs on the pool's threads, at today's clock). */
    private void release(ContextLease lease) throws InterruptedException {
        held.remove(lease);
        lease.close();
        Eventually.await("the slot is free", T, () -> pool.stats().busy() == held.size());
    }

    private int ready() {
        return (int) pool.stats().browsers().stream().filter(b -> b.state().equals("READY")).count();
    }

    private void awaitReady(int browsers) throws InterruptedException {
        Eventually.await(browsers + " browser(s) ready", T, () -> {
            groupsSeen.addAll(pool.processGroups());
            return ready() == browsers && pool.stats().launching() == 0;
        });
    }

    private void housekeepWhenIdle() {
        pool.runHousekeeping();
    }

    @Test
    void anIdleBrowserBeyondTheMinimumIsRetiredAndTheNextTaskStartsOne() throws Exception {
        start(0);
        awaitReady(1); // the start browser, so the first task does not wait for a launch
        release(take());
        clock.advance(IDLE_AFTER.minusSeconds(1));
        housekeepWhenIdle();
        assertThat(ready()).as("idle for less than the idle time").isEqualTo(1);

        clock.advance(Duration.ofSeconds(1));
        housekeepWhenIdle();
        assertThat(pool.stats().browsers()).as("an idle pool of minimum 0 holds no browser").isEmpty();
        assertThat(pool.retirements()).singleElement().satisfies(r -> {
            assertThat(r.reason()).isEqualTo(RetireReason.IDLE);
            assertThat(r.detail()).isEqualTo("no task for 60 s");
        });
        assertThat(pool.stats().startable()).as("it can start browsers again").isEqualTo(2);
        Eventually.await("the idle browser's processes and profile are gone", T,
                () -> groupsSeen.stream().allMatch(g -> ProcessGroup.members(g).isEmpty())
                        && OwnProcesses.profilesIn(profiles).isEmpty());

        ContextLease next = take();
        assertThat(next.evaluateIsolated("document.title", T).asText()).isEqualTo("plain");
        assertThat(ready()).isEqualTo(1);
    }

    /**
     * The first task after an idle time waits for a browser to start; that browser makes no warm context while the
     * task makes its own and runs (before, it made its two at once: the task took the first, and the second was made
     * beside the task's page, competing for the CPU and the spare renderer it needed), and keeps its warm ones ready
     * once the task has ended.
     */
    @Test
    void aBrowserStartedForAWaitingTaskWarmsNothingUntilTheTaskEnds() throws Exception {
        start(0, 2);
        awaitReady(1);
        release(take());
        Eventually.await("the start browser's warm contexts", T, () -> warmOrWarming() == 2
                && pool.stats().browsers().getFirst().warm() == 2);
        clock.advance(IDLE_AFTER);
        housekeepWhenIdle();
        assertThat(pool.stats().browsers()).as("retired for idleness").isEmpty();

        ContextLease first = take(); // waits for a browser to start, then navigates
        assertThat(warmOrWarming()).as("warm contexts on the browser started for the task, while it runs").isZero();
        release(first);
        Eventually.await("warm contexts once the task has ended", T,
                () -> pool.stats().browsers().getFirst().warm() == 2);
    }

    private int warmOrWarming() {
        return pool.stats().browsers().stream().mapToInt(b -> b.warm() + b.warming()).sum();
    }

    @Test
    void takingTheLastFreeSlotStartsAnotherBrowserUpToTheMaximum() throws Exception {
        start(0);
        awaitReady(1);
        take();
        assertThat(pool.stats().launching()).as("a free slot is left: nothing starts").isZero();
        take();
        awaitReady(2);
        take();
        take();
        assertThat(pool.stats().launching()).as("at the maximum nothing more starts").isZero();
        assertThat(pool.stats().startable()).isZero();

        CompletableFuture<ContextLease> fifth = CompletableFuture.supplyAsync(() -> {
            try {
                return pool.acquireDirect();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Eventually.await("the fifth task waits for a slot", T, () -> pool.stats().waiting() == 1);
        assertThat(pool.stats().browsers()).hasSize(2);
        ContextLease freed = held.remove(0);
        freed.close(); // its slot goes straight to the waiting fifth task
        ContextLease lease = fifth.get(T.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
        held.add(lease);
        lease.navigate(TestSite.url("/plain"), T);
    }

    @Test
    void theMinimumStaysWhenIdleAndABusyBrowserIsNeverRetiredForIdleness() throws Exception {
        start(1);
        assertThat(ready()).as("the minimum is up when start returns").isEqualTo(1);
        ContextLease first = take();
        ContextLease second = take();
        awaitReady(2);
        ContextLease third = take(); // the first browser is full: this one runs on the second
        long busyBrowser = pool.stats().browsers().stream().filter(b -> b.busy() == 1).findFirst().orElseThrow().id();
        release(first);
        release(second);
        clock.advance(IDLE_AFTER.multipliedBy(5));
        pool.runHousekeeping();
        assertThat(pool.stats().browsers()).as("the idle browser goes, the busy one stays")
                .singleElement().extracting(PoolStats.BrowserStats::id).isEqualTo(busyBrowser);

        release(third);
        clock.advance(IDLE_AFTER.multipliedBy(5));
        housekeepWhenIdle();
        assertThat(ready()).as("the minimum stays, idle").isEqualTo(1);
        assertThat(pool.retirements()).singleElement().extracting(BrowserRetired::reason).isEqualTo(RetireReason.IDLE);
    }
}
