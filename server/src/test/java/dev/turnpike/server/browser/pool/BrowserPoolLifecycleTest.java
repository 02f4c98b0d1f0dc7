package dev.turnpike.server.browser.pool;

import dev.turnpike.server.browser.TestPools;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.turnpike.server.browser.BrowserSettings;
import dev.turnpike.server.browser.Eventually;
import dev.turnpike.fixtures.TestClock;
import dev.turnpike.server.browser.OwnProcesses;
import dev.turnpike.server.browser.TestSite;
import dev.turnpike.server.browser.cdp.CdpClosedException;
import dev.turnpike.server.browser.chromium.ProcessGroup;
import java.nio.file.Path;
import java.time.Instant;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Recycling, crashes and leaks: each test has its own small pool and counts what it leaves behind. */
class BrowserPoolLifecycleTest {

    private static final Duration T = Duration.ofSeconds(30);

    static TestSite site;
    @TempDir
    Path profiles;
    ScheduledExecutorService scheduler;
    TestClock clock = new TestClock(Instant.parse("2026-01-01T00:00:00Z"));
    BrowserPool pool;
    /** Every process group the pool ever had, to prove none of them survives. */
    final Set<Long> groupsSeen = new HashSet<>();

    @BeforeAll
    static void startSite() throws Exception {
        site = TestSite.start();
        site.page("/plain", "<title>plain</title>");
    }

    @AfterAll
    static void stopSite() {
        site.close();
    }

    private BrowserPool start(int maxTasks, long memoryCap) throws Exception {
        scheduler = Executors.newSingleThreadScheduledExecutor();
        BrowserSettings settings = BrowserSettings.defaults().withSize(1, 2, 1).withProfileRoot(profiles)
                .withExtraArgs(site.chromiumArgs()).withHousekeepingPeriod(Duration.ofHours(1))
                .withRecycling(maxTasks, Duration.ofMinutes(10), Duration.ofMinutes(2), memoryCap);
        pool = TestPools.start(settings, scheduler, clock, 7, TestPools.allowing(TestSite.HOST));
        groupsSeen.addAll(pool.processGroups());
        return pool;
    }

    @AfterEach
    void closeAndCountLeftovers() throws Exception {
        if (pool != null) {
            groupsSeen.addAll(pool.processGroups());
            pool.close();
            scheduler.shutdownNow();
        }
        for (long group : groupsSeen) {
            assertThat(ProcessGroup.members(group)).as("processes left in group " + group).isEmpty();
        }
        assertThat(OwnProcesses.mentioning(profiles)).as("processes using our profiles").isEmpty();
        assertThat(OwnProcesses.profilesIn(profiles)).as("profile directories left").isEmpty();
    }

    private long onlyBrowserId() {
        List<PoolStats.BrowserStats> browsers = pool.stats().browsers();
        assertThat(browsers).hasSize(1);
        return browsers.get(0).id();
    }

    private void awaitOneReadyBrowserOtherThan(long oldId) throws InterruptedException {
        Eventually.await("a replacement browser is ready", T, () -> {
            List<PoolStats.BrowserStats> browsers = pool.stats().browsers();
            groupsSeen.addAll(pool.processGroups());
            return browsers.size() == 1 && browsers.get(0).id() != oldId && browsers.get(0).state().equals("READY");
        });
    }

    @Test
    void aBrowserIsRecycledAfterItsTaskLimit() throws Exception {
        start(2, 0);
        long first = onlyBrowserId();
        long firstGroup = pool.processGroups().get(0);
        for (int i = 0; i < 2; i++) {
            try (ContextLease lease = pool.acquireDirect()) {
                lease.navigate(TestSite.url("/plain"), T);
            }
        }
        awaitOneReadyBrowserOtherThan(first);
        Eventually.await("the old browser is retired", T, () -> !pool.retirements().isEmpty());
        BrowserRetired retired = pool.retirements().get(0);
        assertThat(retired.reason()).isEqualTo(RetireReason.TASKS);
        assertThat(retired.tasks()).isEqualTo(2);
        assertThat(ProcessGroup.members(firstGroup)).isEmpty();
        try (ContextLease lease = pool.acquireDirect()) {
            lease.navigate(TestSite.url("/plain"), T);
        }
    }

    @Test
    void aBrowserPastItsAgeIsRecycledByHousekeeping() throws Exception {
        start(1000, 0);
        long first = onlyBrowserId();
        clock.advance(Duration.ofMinutes(9));
        pool.runHousekeeping();
        assertThat(pool.retirements()).isEmpty();
        clock.advance(Duration.ofMinutes(3 + 1)); // past 10 min + at most 2 min of jitter
        pool.runHousekeeping();
        awaitOneReadyBrowserOtherThan(first);
        Eventually.await("the old browser is retired", T, () -> !pool.retirements().isEmpty());
        assertThat(pool.retirements().get(0).reason()).isEqualTo(RetireReason.AGE);
    }

    @Test
    void aBrowserAboveTheMemoryCapIsRecycled() throws Exception {
        start(1000, 1L << 20); // 1 MiB: any browser is above it
        long first = onlyBrowserId();
        pool.runHousekeeping();
        awaitOneReadyBrowserOtherThan(first);
        Eventually.await("the old browser is retired", T, () -> !pool.retirements().isEmpty());
        assertThat(pool.retirements().get(0).reason()).isEqualTo(RetireReason.MEMORY);
        assertThat(pool.retirements().get(0).detail()).contains("MiB");
    }

    @Test
    void aRunningTaskFinishesBeforeItsBrowserIsRecycled() throws Exception {
        start(1000, 0);
        try (ContextLease lease = pool.acquireDirect()) {
            clock.advance(Duration.ofHours(1));
            pool.runHousekeeping();
            // The browser drains: a new one takes new tasks, this one keeps serving the running lease.
            lease.navigate(TestSite.url("/plain"), T);
            assertThat(lease.evaluateIsolated("document.title", T).asText()).isEqualTo("plain");
            assertThat(pool.retirements()).isEmpty();
        }
        Eventually.await("the drained browser is retired once idle", T, () -> !pool.retirements().isEmpty());
        assertThat(pool.retirements().get(0).reason()).isEqualTo(RetireReason.AGE);
    }

    @Test
    void killingABrowserMidTaskFailsTheTaskAndThePoolHealsWithoutLeftovers() throws Exception {
        start(1000, 0);
        long first = onlyBrowserId();
        long pid = pool.processGroups().get(0);
        ContextLease lease = pool.acquireDirect();
        lease.navigate(TestSite.url("/plain"), T);

        long browserPid = ProcessGroup.browserPid(pid);
        assertThat(browserPid).isPositive();
        new ProcessBuilder("kill", "-9", Long.toString(browserPid)).start().waitFor();

        assertThatThrownBy(() -> lease.navigate(TestSite.url("/plain"), T)).isInstanceOf(CdpClosedException.class);
        assertThat(lease.browserCrashed()).isTrue();
        lease.close();
        awaitOneReadyBrowserOtherThan(first);
        BrowserRetired retired = pool.retirements().get(0);
        assertThat(retired.reason()).isEqualTo(RetireReason.CRASHED);
        assertThat(retired.detail()).isNotBlank();
        // The crashed browser is torn down on its own thread: its group and profile go shortly after.
        Eventually.await("the crashed browser's group and profile are gone", T,
                () -> ProcessGroup.members(pid).isEmpty() && OwnProcesses.profilesIn(profiles).size() == 1);
        try (ContextLease next = pool.acquireDirect()) {
            next.navigate(TestSite.url("/plain"), T);
        }
    }

    @Test
    void headfulUnderXvfbRunsTasksAndLeavesNothing() throws Exception {
        scheduler = Executors.newSingleThreadScheduledExecutor();
        pool = TestPools.start(BrowserSettings.defaults().withSize(1, 1, 0).withProfileRoot(profiles)
                .withExtraArgs(site.chromiumArgs()).withHousekeepingPeriod(Duration.ofHours(1))
                .withDisplay(BrowserSettings.Display.XVFB), scheduler, clock, 3, TestPools.allowing(TestSite.HOST));
        groupsSeen.addAll(pool.processGroups());
        try (ContextLease lease = pool.acquireDirect()) {
            lease.navigate(TestSite.url("/plain"), T);
            assertThat(lease.evaluateIsolated("navigator.userAgent + ' ' + navigator.webdriver", T).asText())
                    .isEqualTo(lease.userAgent() + " false");
        }
    }
}
