package dev.turnpike.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.turnpike.server.admin.AdminHttp;
import dev.turnpike.server.browser.pool.BrowserRetired;
import dev.turnpike.server.browser.pool.PoolStats;
import dev.turnpike.server.browser.pool.RetireReason;
import dev.turnpike.server.net.ProxySpec;
import dev.turnpike.server.solver.challenge.ClearanceCache;
import dev.turnpike.server.solver.challenge.ClearanceFlights;
import dev.turnpike.server.task.FailReason;
import dev.turnpike.server.task.TaskId;
import dev.turnpike.server.testing.FakeSolver;
import dev.turnpike.server.testing.PoolDouble;
import dev.turnpike.server.testing.TestServer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** /metrics in the Prometheus format: the values move as tasks run and as the pool changes. */
class MetricsTest {

    static final String TOKEN = "metrics-test-token-0123456789";
    static final String TURNSTILE = "TurnstileTaskProxyless";

    private static String createTask(TestServer server, String key) {
        var answer = server.client().call("createTask", Map.of("clientKey", key, "task", Map.of("type", TURNSTILE,
                "websiteURL", "https://site.example/", "websiteKey", "0x4AAAAAAAB")));
        assertThat(answer.path("errorId").asInt()).as(answer.toString()).isZero();
        return answer.path("taskId").asText();
    }

    private static void awaitEnd(TestServer server, String id) throws Exception {
        server.standalone().tasks().find(new TaskId(Long.parseLong(id))).ended().get(30, TimeUnit.SECONDS);
    }

    private static Scrape scrape(TestServer server) {
        AdminHttp.Answer answer = new AdminHttp(server.baseUrl()).get("/metrics", TOKEN);
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/plain; version=0.0.4");
        return new Scrape(answer.text());
    }

    @Test
    void taskCountersHistogramAndPointsMoveAsTasksEnd() throws Exception {
        FakeSolver solver = FakeSolver.forAllTypes().then(FakeSolver.succeed("a"), FakeSolver.succeed("b"),
                FakeSolver.fail(FailReason.WIDGET_ERROR));
        try (TestServer server = TestServer.builder().setting("admin.token", TOKEN).solver(solver).start()) {
            String key = server.createKey(1000);
            Scrape before = scrape(server);
            assertThat(before.value("turnpike_tasks_total", "type=" + TURNSTILE, "outcome=ready", "reason=none")).isZero();
            assertThat(before.value("turnpike_tasks_total", "type=" + TURNSTILE, "outcome=failed", "reason=WIDGET_ERROR")).isZero();

            for (int i = 0; i < 3; i++) {
                awaitEnd(server, createTask(server, key));
            }

            Scrape after = scrape(server);
            assertThat(after.value("turnpike_tasks_total", "type=" + TURNSTILE, "outcome=ready", "reason=none")).isEqualTo(2);
            assertThat(after.value("turnpike_tasks_total", "type=" + TURNSTILE, "outcome=failed", "reason=WIDGET_ERROR")).isEqualTo(1);
            assertThat(after.value("turnpike_tasks_total", "type=" + TURNSTILE, "outcome=failed", "reason=DEADLINE")).isZero();
            assertThat(after.value("turnpike_task_duration_seconds_count", "type=" + TURNSTILE, "outcome=ready")).isEqualTo(2);
            // The test clock does not move, so both took 0 s: they are in the lowest bucket and every one above.
            assertThat(after.value("turnpike_task_duration_seconds_bucket", "type=" + TURNSTILE, "outcome=ready", "le=0.5")).isEqualTo(2);
            assertThat(after.value("turnpike_task_duration_seconds_bucket", "type=" + TURNSTILE, "outcome=ready", "le=+Inf")).isEqualTo(2);
            assertThat(after.value("turnpike_points_charged_total")).isEqualTo(30);
            assertThat(after.value("turnpike_points_held")).isZero();
            assertThat(after.value("turnpike_queue_depth")).isZero();
        }
    }

    @Test
    void solvePhasesShowAsAHistogramByTypeAndPhase() throws Exception {
        try (TestServer server = TestServer.builder().setting("admin.token", TOKEN).solver(FakeSolver.forAllTypes()).start()) {
            var metrics = server.standalone().operator().metrics();
            metrics.phase(dev.turnpike.server.task.TaskType.TURNSTILE_PROXYLESS,
                    dev.turnpike.server.solver.SolvePhase.CONTEXT, Duration.ofMillis(3));
            metrics.phase(dev.turnpike.server.task.TaskType.TURNSTILE_PROXYLESS,
                    dev.turnpike.server.solver.SolvePhase.WIDGET, Duration.ofMillis(700));
            Scrape after = scrape(server);
            assertThat(after.value("turnpike_solve_phase_seconds_count", "type=" + TURNSTILE, "phase=context")).isEqualTo(1);
            assertThat(after.value("turnpike_solve_phase_seconds_bucket", "type=" + TURNSTILE, "phase=context", "le=0.005")).isEqualTo(1);
            assertThat(after.value("turnpike_solve_phase_seconds_bucket", "type=" + TURNSTILE, "phase=widget", "le=0.5")).isZero();
            assertThat(after.value("turnpike_solve_phase_seconds_bucket", "type=" + TURNSTILE, "phase=widget", "le=1.0")).isEqualTo(1);
        }
    }

    @Test
    void aDeadlineShowsInTheHistogramAtItsDuration() throws Exception {
        FakeSolver solver = FakeSolver.forAllTypes().then(FakeSolver.block());
        try (TestServer server = TestServer.builder().setting("admin.token", TOKEN).solver(solver).start()) {
            String key = server.createKey(1000);
            String id = createTask(server, key);
            solver.awaitStarted(1);
            server.advance(Duration.ofSeconds(121));
            awaitEnd(server, id);
            Scrape after = scrape(server);
            assertThat(after.value("turnpike_tasks_total", "type=" + TURNSTILE, "outcome=failed", "reason=DEADLINE")).isEqualTo(1);
            assertThat(after.value("turnpike_task_duration_seconds_bucket", "type=" + TURNSTILE, "outcome=failed", "le=120.0")).isZero();
            assertThat(after.value("turnpike_task_duration_seconds_bucket", "type=" + TURNSTILE, "outcome=failed", "le=+Inf")).isEqualTo(1);
            assertThat(after.value("turnpike_task_duration_seconds_sum", "type=" + TURNSTILE, "outcome=failed")).isEqualTo(121);
        }
    }

    @Test
    void queueDepthSolvingAndPointsHeldFollowWaitingTasks() throws Exception {
        FakeSolver solver = FakeSolver.forAllTypes().then(FakeSolver.block());
        try (TestServer server = TestServer.builder().setting("admin.token", TOKEN).setting("workers", "1")
                .solver(solver).start()) {
            String key = server.createKey(1000);
            String first = createTask(server, key);
            solver.awaitStarted(1);
            String second = createTask(server, key);

            Scrape busy = scrape(server);
            assertThat(busy.value("turnpike_queue_depth")).isEqualTo(1);
            assertThat(busy.value("turnpike_tasks_solving")).isEqualTo(1);
            assertThat(busy.value("turnpike_points_held")).isEqualTo(30);

            solver.release(1);
            awaitEnd(server, first);
            awaitEnd(server, second);
            Scrape done = scrape(server);
            assertThat(done.value("turnpike_queue_depth")).isZero();
            assertThat(done.value("turnpike_points_held")).isZero();
            assertThat(done.value("turnpike_points_charged_total")).isEqualTo(30);
        }
    }


    @Test
    void poolGaugesFollowThePoolAndRetirementsCountByReason() throws Exception {
        PoolDouble pool = new PoolDouble(4);
        pool.stats = new PoolStats(List.of(new PoolStats.BrowserStats(1, 100, "READY", 3, 1, 0, 10),
                new PoolStats.BrowserStats(2, 200, "DRAINING", 1, 0, 0, 200)), 2, 0);
        pool.pss = 512L << 20;
        pool.retirements.add(new BrowserRetired(7, RetireReason.TASKS, 200, Duration.ofMinutes(3), "200 tasks"));
        try (TestServer server = TestServer.builder().setting("admin.token", TOKEN).poolView(pool).start()) {
            Scrape first = scrape(server);
            assertThat(first.value("turnpike_pool_slots", "state=busy")).isEqualTo(4);
            assertThat(first.value("turnpike_pool_slots", "state=idle")).as("only the ready browser takes tasks").isEqualTo(1);
            assertThat(first.value("turnpike_browsers", "state=ready")).isEqualTo(1);
            assertThat(first.value("turnpike_browsers", "state=draining")).isEqualTo(1);
            assertThat(first.value("turnpike_pool_waiting")).isEqualTo(2);
            assertThat(first.value("turnpike_browser_memory_bytes")).isEqualTo(512L << 20);
            assertThat(first.value("turnpike_browser_retired_total", "reason=TASKS")).isEqualTo(1);
            assertThat(first.value("turnpike_browser_retired_total", "reason=CRASHED")).isZero();

            pool.retirements.add(new BrowserRetired(8, RetireReason.CRASHED, 3, Duration.ofSeconds(40), "exit 139"));
            pool.retirements.add(new BrowserRetired(9, RetireReason.CRASHED, 1, Duration.ofSeconds(5), "exit 9"));
            pool.stats = new PoolStats(List.of(new PoolStats.BrowserStats(3, 300, "READY", 0, 2, 0, 0)), 0, 3);
            Scrape second = scrape(server);
            assertThat(second.value("turnpike_browser_retired_total", "reason=CRASHED")).isEqualTo(2);
            assertThat(second.value("turnpike_browser_retired_total", "reason=TASKS")).as("not counted twice").isEqualTo(1);
            assertThat(second.value("turnpike_pool_slots", "state=idle")).isEqualTo(4);
            assertThat(second.value("turnpike_browsers", "state=draining")).isZero();
        }
    }

    @Test
    void challengeTasksWaitingForAnIdenticalSolveShowInMetricsAndOnTheStatusPage() throws Exception {
        ClearanceFlights flights = ClearanceFlights.on(Clock.systemUTC());
        ClearanceCache.Key key = new ClearanceCache.Key("site.test",
                new ProxySpec(ProxySpec.Scheme.HTTP, "10.0.0.1", 8080, "a", "secret-a"), null);
        Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
        try (TestServer server = TestServer.builder().setting("admin.token", TOKEN).poolView(new PoolDouble(4)).start();
             ExecutorService tasks = Executors.newVirtualThreadPerTaskExecutor()) {
            server.standalone().operator().metrics().watchChallengeFlights(flights::waiting, flights::shared);
            ClearanceFlights.Seat leader = flights.board(key, deadline);
            Future<ClearanceFlights.Seat> waiter = tasks.submit(() -> flights.board(key, deadline));
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (flights.waiting() == 0 && System.nanoTime() < until) {
                Thread.onSpinWait();
            }

            Scrape waiting = scrape(server);
            assertThat(waiting.value("turnpike_challenge_waiting")).isEqualTo(1);
            assertThat(waiting.value("turnpike_challenge_shared_total")).isZero();
            var pool = new AdminHttp(server.baseUrl()).get("/admin/api/stats", TOKEN).json().path("pool");
            assertThat(pool.path("challengeWaiting").asInt()).isEqualTo(1);

            leader.cleared(new ObjectMapper().createObjectNode().put("name", "cf_clearance").put("value", "c"));
            waiter.get(10, TimeUnit.SECONDS);

            Scrape shared = scrape(server);
            assertThat(shared.value("turnpike_challenge_waiting")).isZero();
            assertThat(shared.value("turnpike_challenge_shared_total")).isEqualTo(1);
            assertThat(new AdminHttp(server.baseUrl()).get("/admin/api/stats", TOKEN).json().path("pool")
                    .path("challengeShared").asLong()).isEqualTo(1);
        }
    }

    @Test
    void flareSolverrSessionsShowTheirCountCapAndKeysInMetricsAndOnTheStatusPage() throws Exception {
        java.util.SortedMap<Long, Integer> alive = new java.util.concurrent.ConcurrentSkipListMap<>();
        try (TestServer server = TestServer.builder().setting("admin.token", TOKEN).poolView(new PoolDouble(4)).start()) {
            String key = server.createKey(100);
            long id = server.standalone().accounts().list().getFirst().id();
            server.standalone().operator().metrics().watchSessions(new TurnpikeMetrics.FlareSolverrSessions(3,
                    () -> new java.util.TreeMap<>(alive)));
            assertThat(scrape(server).value("turnpike_flaresolverr_sessions")).isZero();
            assertThat(scrape(server).value("turnpike_flaresolverr_sessions_max")).isEqualTo(3);

            alive.put(id, 2);
            Scrape two = scrape(server);
            assertThat(two.value("turnpike_flaresolverr_sessions")).isEqualTo(2);
            assertThat(two.value("turnpike_flaresolverr_sessions_by_key", "key_id=" + id)).isEqualTo(2);
            assertThat(two.toString()).doesNotContain(key);
            var sessions = new AdminHttp(server.baseUrl()).get("/admin/api/stats", TOKEN).json().path("pool")
                    .path("sessions");
            assertThat(sessions.path("count").asInt()).isEqualTo(2);
            assertThat(sessions.path("max").asInt()).isEqualTo(3);
            assertThat(sessions.path("byKey").get(0).path("id").asLong()).isEqualTo(id);
            assertThat(sessions.path("byKey").get(0).path("sessions").asInt()).isEqualTo(2);
            assertThat(key).startsWith(sessions.path("byKey").get(0).path("keyPrefix").asText());
            assertThat(sessions.toString()).doesNotContain(key);

            alive.clear();
            Scrape none = scrape(server);
            assertThat(none.value("turnpike_flaresolverr_sessions")).isZero();
            assertThat(none.has("turnpike_flaresolverr_sessions_by_key")).as("a key's series goes with its last session")
                    .isFalse();
        }
    }

    @Test
    void withoutAPoolThereAreNoPoolSeries() throws Exception {
        try (TestServer server = TestServer.builder().setting("admin.token", TOKEN).start()) {
            Scrape scrape = scrape(server);
            assertThat(scrape.has("turnpike_pool_slots")).isFalse();
            assertThat(scrape.has("turnpike_challenge_waiting")).isFalse();
            assertThat(scrape.has("turnpike_flaresolverr_sessions")).isFalse();
            assertThat(scrape.has("turnpike_queue_depth")).isTrue();
            assertThat(scrape.has("jvm_memory_used_bytes")).isTrue();
        }
    }

    @Test
    void metricsNeedTheTokenUnlessOpened() throws Exception {
        try (TestServer server = TestServer.builder().setting("admin.token", TOKEN).start()) {
            AdminHttp http = new AdminHttp(server.baseUrl());
            assertThat(http.get("/metrics", null).status()).isEqualTo(401);
            assertThat(http.get("/metrics", "wrong-token-0123456789").status()).isEqualTo(401);
        }
        try (TestServer server = TestServer.builder().setting("admin.token", TOKEN)
                .setting("admin.metricsOpen", "true").start()) {
            AdminHttp.Answer open = new AdminHttp(server.baseUrl()).get("/metrics", null);
            assertThat(open.status()).isEqualTo(200);
            assertThat(open.text()).contains("turnpike_tasks_total");
        }
    }

    @Test
    void browserMemoryIsReadAtMostOncePerPeriod() {
        PoolDouble pool = new PoolDouble(4);
        long[] now = {0};
        TurnpikeMetrics.CachedLong cached = new TurnpikeMetrics.CachedLong(pool::pssBytes, Duration.ofSeconds(5), () -> now[0]);
        pool.pss = 1;
        assertThat(cached.get()).isEqualTo(1);
        pool.pss = 2;
        now[0] = Duration.ofSeconds(4).toNanos();
        assertThat(cached.get()).isEqualTo(1);
        now[0] = Duration.ofSeconds(5).toNanos();
        assertThat(cached.get()).isEqualTo(2);
        assertThat(pool.pssReads).isEqualTo(2);
    }
}
