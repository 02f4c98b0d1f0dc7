package dev.turnpike.server.task.pg;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.turnpike.server.account.Account;
import dev.turnpike.server.account.AccountInfo;
import dev.turnpike.server.account.ClientKeys;
import dev.turnpike.server.store.Database;
import dev.turnpike.server.account.JdbcAccounts;
import dev.turnpike.server.account.LedgerEntry;
import dev.turnpike.server.config.Config;
import dev.turnpike.server.config.StoreSettings;
import dev.turnpike.server.net.ProxySpec;
import dev.turnpike.server.task.Dialect;
import dev.turnpike.server.task.FailReason;
import dev.turnpike.server.task.Solution;
import dev.turnpike.server.task.Task;
import dev.turnpike.server.task.Tasks;
import dev.turnpike.server.task.Tasks.Submission;
import dev.turnpike.server.task.TaskSpec;
import dev.turnpike.server.task.TaskState;
import dev.turnpike.server.task.TaskType;
import dev.turnpike.fixtures.PgTestDatabase;
import dev.turnpike.fixtures.TestClock;
import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The PostgreSQL task queue on a real PostgreSQL: claims, leases, notifications, sweeps, and the points. */
class PgTasksTest {

    private static final Duration LEASE = Duration.ofSeconds(20);
    private static final Tasks.Timing TIMING = new Tasks.Timing(Duration.ofSeconds(120),
            Duration.ofMinutes(5), Duration.ofSeconds(60));
    private static final TaskSpec TURNSTILE = new TaskSpec.Turnstile(TaskType.TURNSTILE_PROXYLESS,
            URI.create("https://site.example/"), "0x4AAAAAAAB", null, null, null, null, null);

    private static PgTestDatabase pg;
    private static Database database;

    private TestClock clock;
    private JdbcAccounts accounts;
    private final List<PgTasks> nodes = new ArrayList<>();

    @BeforeAll
    static void createDatabase() {
        pg = PgTestDatabase.create();
        database = Database.open(StoreSettings.options(Config.of(Map.of("store.url", pg.url(), "store.user",
                pg.user(), "store.password", pg.password(), "store.poolSize", "30"))));
    }

    @AfterAll
    static void dropDatabase() {
        if (database != null) {
            database.close();
        }
        if (pg != null) {
            pg.close();
        }
    }

    @BeforeEach
    void emptyQueue() throws Exception {
        try (Connection c = pg.connect(); Statement st = c.createStatement()) {
            st.execute("DELETE FROM task");
        }
        clock = TestClock.atNow();
        accounts = new JdbcAccounts(database.dataSource(), clock, ClientKeys.secure(), 0);
    }

    @AfterEach
    void stopNodes() {
        nodes.forEach(PgTasks::close);
        nodes.clear();
    }

    private PgTasks node(String name, Duration poll) {
        PgTasks node = new PgTasks(database.dataSource(), accounts, clock, TIMING,
                new PgTasks.Options(name, EnumSet.allOf(TaskType.class), 10_000, LEASE, poll, Duration.ofSeconds(1)))
                .start();
        nodes.add(node);
        return node;
    }

    private PgTasks apiNode(String name) {
        PgTasks node = new PgTasks(database.dataSource(), accounts, clock, TIMING,
                new PgTasks.Options(name, Set.of(), 10_000, LEASE, Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .start();
        nodes.add(node);
        return node;
    }

    private Account account(long points) {
        return accounts.createKey("pg-test", points).account();
    }

    private static Task accepted(Submission s) {
        assertThat(s).isInstanceOf(Submission.Accepted.class);
        return ((Submission.Accepted) s).task();
    }

    private AccountInfo info(Account account) {
        return accounts.list().stream().filter(a -> a.id() == account.id()).findFirst().orElseThrow();
    }

    private void assertLedgerAgrees(Account account) {
        AccountInfo info = info(account);
        List<LedgerEntry> ledger = accounts.ledger(account.id());
        assertThat(ledger.stream().mapToLong(LedgerEntry::balanceDelta).sum()).isEqualTo(info.balance());
        assertThat(ledger.stream().mapToLong(LedgerEntry::heldDelta).sum()).isEqualTo(info.held());
    }

    @Test
    void concurrentClaimersOnManyNodesGetEveryTaskExactlyOnce() throws Exception {
        Account account = account(200 * 15);
        PgTasks api = apiNode("api");
        for (int i = 0; i < 200; i++) {
            accepted(api.submit(account, TURNSTILE, 15, null));
        }
        List<PgTasks> solvers = List.of(node("s1", Duration.ofSeconds(60)), node("s2", Duration.ofSeconds(60)),
                node("s3", Duration.ofSeconds(60)), node("s4", Duration.ofSeconds(60)));
        Map<Long, String> claimedBy = new ConcurrentHashMap<>();
        AtomicInteger duplicates = new AtomicInteger();
        CountDownLatch go = new CountDownLatch(1);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (PgTasks solver : solvers) {
                for (int t = 0; t < 4; t++) {
                    pool.submit(() -> {
                        go.await();
                        PgTasks.Claim claim;
                        while ((claim = solver.claim()) != null) {
                            if (claimedBy.putIfAbsent(claim.task().id().value(), "x") != null) {
                                duplicates.incrementAndGet();
                            }
                        }
                        return null;
                    });
                }
            }
            go.countDown();
        }
        assertThat(duplicates.get()).isZero();
        assertThat(claimedBy).hasSize(200);
        assertThat(api.waiting()).isZero();
        assertThat(api.solving()).isEqualTo(200);
    }

    @Test
    void aQueuedTaskWakesAnIdleClaimerWithoutWaitingForThePoll() throws Exception {
        Account account = account(15);
        PgTasks solver = node("solver", Duration.ofMinutes(10)); // the poll would be far too late
        PgTasks api = apiNode("api");
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<Task> taken = pool.submit(solver::take);
            Thread.sleep(300); // let the claimer find the queue empty and wait
            assertThat(taken.isDone()).isFalse();
            Task task = accepted(api.submit(account, TURNSTILE, 15, null));
            assertThat(taken.get(60, TimeUnit.SECONDS).id()).isEqualTo(task.id());
        }
    }

    @Test
    void aTaskEndedInTheClusterIsLoggedWithTheKeyValuesOfAnEmbeddedEnd() throws Exception {
        ch.qos.logback.classic.Logger root = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(
                org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        root.addAppender(logs);
        Task task;
        try {
            PgTasks solver = node("solver", Duration.ofSeconds(60));
            accepted(solver.submit(account(100), TURNSTILE, 15, null));
            task = solver.take();
            solver.startSolving(task);
            solver.fail(task, FailReason.WIDGET_ERROR, "the widget said no");
            solver.stopSolving(task);
        } finally {
            root.detachAppender(logs);
        }

        List<Map<String, Object>> ends = logs.list.stream().filter(e -> e.getFormattedMessage()
                        .startsWith("task " + task.id() + " type="))
                .map(e -> e.getKeyValuePairs() == null ? Map.<String, Object>of() : e.getKeyValuePairs().stream()
                        .collect(java.util.stream.Collectors.toMap(kv -> kv.key, kv -> kv.value)))
                .toList();
        assertThat(ends).singleElement().satisfies(kv -> assertThat(kv)
                .containsEntry("taskId", task.id().toString()).containsEntry("type", "TurnstileTaskProxyless")
                .containsEntry("outcome", "failed").containsEntry("reason", "WIDGET_ERROR")
                .containsKey("durationMs"));
    }

    @Test
    void aSolvedTaskIsChargedOnceAndReadableFromAnotherNode() throws Exception {
        Account account = account(100);
        PgTasks api = apiNode("api");
        PgTasks solver = node("solver", Duration.ofSeconds(60));
        Task created = accepted(api.submit(account, TURNSTILE, 15, null));
        assertThat(info(account).held()).isEqualTo(15);

        Task task = solver.take();
        assertThat(solver.startSolving(task)).isTrue();
        assertThat(api.find(task.id()).state()).isInstanceOf(TaskState.Solving.class);
        solver.complete(task, new Solution.Turnstile("0.token", "UA"));
        solver.complete(task, new Solution.Turnstile("0.again", "UA")); // a second end changes nothing
        solver.fail(task, FailReason.WIDGET_ERROR, "late");
        solver.stopSolving(task);

        Task seen = api.find(created.id());
        assertThat(seen.state()).isInstanceOfSatisfying(TaskState.Ready.class,
                r -> assertThat(r.solution()).isEqualTo(new Solution.Turnstile("0.token", "UA")));
        assertThat(info(account).balance()).isEqualTo(85);
        assertThat(info(account).held()).isZero();
        assertThat(accounts.ledger(account.id())).extracting(LedgerEntry::kind).containsExactly(
                LedgerEntry.Kind.TOPUP, LedgerEntry.Kind.HOLD, LedgerEntry.Kind.CAPTURE);
        assertLedgerAgrees(account);
    }

    @Test
    void aWorkerAskedToStopWhileItEndsItsTaskStillRecordsTheSolutionAndChargesIt() throws Exception {
        Account account = account(100);
        PgTasks api = apiNode("api");
        PgTasks solver = node("solver", Duration.ofSeconds(60));
        Task created = accepted(api.submit(account, TURNSTILE, 15, null));
        AtomicBoolean stopKept = new AtomicBoolean();
        // A virtual thread, as the workers are: an interrupted one cannot use a socket, so the write must not run so.
        Thread worker = Thread.ofVirtual().start(() -> {
            try {
                Task task = solver.take();
                solver.startSolving(task);
                Thread.currentThread().interrupt(); // the workers stopping at shutdown
                solver.complete(task, new Solution.Turnstile("0.token", "UA"));
                stopKept.set(Thread.currentThread().isInterrupted());
                solver.stopSolving(task);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(worker.join(Duration.ofSeconds(30))).isTrue();

        assertThat(stopKept).isTrue();
        assertThat(api.find(created.id()).state()).isInstanceOf(TaskState.Ready.class);
        assertThat(info(account).balance()).isEqualTo(85);
        assertThat(info(account).held()).isZero();
        assertLedgerAgrees(account);
    }

    @Test
    void aLostNodesTaskIsClaimedOnceMoreThenFailsWithNodeLost() throws Exception {
        Account account = account(100);
        PgTasks api = apiNode("api");
        PgTasks first = node("first", Duration.ofSeconds(60));
        PgTasks second = node("second", Duration.ofSeconds(60));
        Task created = accepted(api.submit(account, TURNSTILE, 15, null));

        Task onFirst = first.take();
        assertThat(first.startSolving(onFirst)).isTrue();
        clock.advance(LEASE.plusSeconds(1)); // "first" died: no heartbeat renewed its lease
        assertThat(api.sweepIfFirst()).isTrue();
        assertThat(api.find(created.id()).state()).isInstanceOf(TaskState.Queued.class);

        Task onSecond = second.take();
        assertThat(onSecond.id()).isEqualTo(created.id());
        first.complete(onFirst, new Solution.Turnstile("0.zombie", "UA")); // fenced off: "first" lost its claim
        assertThat(api.find(created.id()).state()).isInstanceOf(TaskState.Solving.class);

        clock.advance(LEASE.plusSeconds(1)); // "second" died too
        assertThat(api.sweepIfFirst()).isTrue();
        assertThat(api.find(created.id()).state()).isInstanceOfSatisfying(TaskState.Failed.class,
                f -> assertThat(f.reason()).isEqualTo(FailReason.NODE_LOST));
        assertThat(info(account).balance()).isEqualTo(100);
        assertThat(info(account).held()).isZero();
        assertThat(accounts.ledger(account.id())).extracting(LedgerEntry::kind).containsExactly(
                LedgerEntry.Kind.TOPUP, LedgerEntry.Kind.HOLD, LedgerEntry.Kind.RELEASE);
        assertLedgerAgrees(account);
    }

    @Test
    void aHeartbeatKeepsTheClaimAlive() throws Exception {
        Account account = account(100);
        PgTasks solver = node("solver", Duration.ofSeconds(60));
        Task created = accepted(solver.submit(account, TURNSTILE, 15, null));
        Task task = solver.take();
        assertThat(solver.startSolving(task)).isTrue();
        for (int i = 0; i < 4; i++) {
            clock.advance(LEASE.dividedBy(2));
            solver.renewLeases(clock.instant());
            assertThat(solver.sweepIfFirst()).isTrue();
        }
        assertThat(solver.find(created.id()).state()).isInstanceOf(TaskState.Solving.class);
        solver.complete(task, new Solution.Turnstile("0.token", "UA"));
        assertThat(solver.find(created.id()).state()).isInstanceOf(TaskState.Ready.class);
    }

    @Test
    void theDeadlineFailsTasksClusterWideAndInterruptsTheirSolver() throws Exception {
        Account account = account(100);
        PgTasks api = apiNode("api");
        PgTasks solver = node("solver", Duration.ofSeconds(60));
        Task queued = accepted(api.submit(account, TURNSTILE, 15, null));
        Task solving = accepted(api.submit(account, TURNSTILE, 15, null));
        Task taken = solver.take();
        assertThat(taken.id()).isEqualTo(queued.id());
        CountDownLatch started = new CountDownLatch(1);
        AtomicBoolean interrupted = new AtomicBoolean();
        Thread worker = Thread.ofVirtual().start(() -> {
            solver.startSolving(taken);
            started.countDown();
            try {
                Thread.sleep(Duration.ofMinutes(1));
            } catch (InterruptedException e) {
                interrupted.set(true);
            }
            solver.stopSolving(taken);
        });
        started.await();
        List<Tasks.EndListener> seen = new ArrayList<>();
        List<Task> ended = new ArrayList<>();
        api.addEndListener(ended::add);

        clock.advance(Duration.ofSeconds(121));
        assertThat(api.sweepIfFirst()).isTrue();
        assertThat(ended).extracting(Task::id).containsExactlyInAnyOrder(queued.id(), solving.id());
        assertThat(ended).allSatisfy(t -> assertThat(t.state()).isInstanceOfSatisfying(TaskState.Failed.class,
                f -> assertThat(f.reason()).isEqualTo(FailReason.DEADLINE)));

        solver.housekeep(); // the solver node sees its task past the deadline and stops its solve
        assertThat(worker.join(Duration.ofSeconds(10))).isTrue();
        assertThat(interrupted).isTrue();
        assertThat(taken.state().ended()).isTrue();
        assertThat(info(account).held()).isZero();
        assertThat(info(account).balance()).isEqualTo(100);
        assertLedgerAgrees(account);
        assertThat(seen).isEmpty();
    }

    @Test
    void oneNodeAtATimeSweeps() throws Exception {
        PgTasks node = apiNode("api");
        try (Connection other = pg.connect()) {
            try (PreparedStatement st = other.prepareStatement("SELECT pg_advisory_lock(?)")) {
                st.setLong(1, PgTasks.SWEEP_LOCK);
                st.executeQuery().close();
            }
            assertThat(node.sweepIfFirst()).isFalse();
            try (PreparedStatement st = other.prepareStatement("SELECT pg_advisory_unlock(?)")) {
                st.setLong(1, PgTasks.SWEEP_LOCK);
                st.executeQuery().close();
            }
        }
        assertThat(node.sweepIfFirst()).isTrue();
    }

    @Test
    void endedTasksAreForgottenAfterTheirRetention() throws Exception {
        Account account = account(100);
        PgTasks solver = node("solver", Duration.ofSeconds(60));
        Task created = accepted(solver.submit(account, TURNSTILE, 15, null));
        Task task = solver.take();
        solver.startSolving(task);
        solver.fail(task, FailReason.WIDGET_ERROR, "widget error 300030");
        solver.stopSolving(task);
        clock.advance(Duration.ofMinutes(4));
        solver.sweepIfFirst();
        assertThat(solver.find(created.id())).isNotNull();
        clock.advance(Duration.ofMinutes(1));
        solver.sweepIfFirst();
        assertThat(solver.find(created.id())).isNull();
    }

    @Test
    void aWaiterOnAnotherNodeWakesWhenTheTaskEnds() throws Exception {
        Account account = account(100);
        PgTasks api = apiNode("api");
        PgTasks solver = node("solver", Duration.ofSeconds(60));
        Task created = accepted(api.submit(account, TURNSTILE, 15, null));
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<Task> waited = pool.submit(() -> api.awaitEnd(created, Duration.ofDays(1)));
            Task task = solver.take();
            solver.startSolving(task);
            solver.complete(task, new Solution.Turnstile("0.token", "UA"));
            solver.stopSolving(task);
            assertThat(waited.get(60, TimeUnit.SECONDS).state()).isInstanceOf(TaskState.Ready.class);
        }
    }

    @Test
    void pointsAreHeldOnlyWhenAvailableAndTheQueueBoundIsKept() {
        Account poor = account(20);
        PgTasks api = new PgTasks(database.dataSource(), accounts, clock, TIMING,
                new PgTasks.Options("small", Set.of(), 1, LEASE, Duration.ofSeconds(2), Duration.ofSeconds(1))).start();
        nodes.add(api);
        accepted(api.submit(poor, TURNSTILE, 15, null));
        assertThat(api.submit(poor, TURNSTILE, 15, null)).isInstanceOf(Submission.ZeroBalance.class);
        Account rich = account(1000);
        assertThat(api.submit(rich, TURNSTILE, 15, null)).isInstanceOf(Submission.QueueFull.class);
        assertThat(info(rich).held()).isZero();
        assertThat(accounts.ledger(rich.id())).extracting(LedgerEntry::kind).containsExactly(LedgerEntry.Kind.TOPUP);
    }

    @Test
    void theSpecTravelsWholeIncludingTheProxyPasswordAndRqData() throws Exception {
        Account account = account(100);
        PgTasks api = apiNode("api");
        PgTasks solver = node("solver", Duration.ofSeconds(60));
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("b", 1);
        fields.put("a", List.of("x", true));
        TaskSpec spec = new TaskSpec.Challenge(URI.create("https://site.example/login"),
                new ProxySpec(ProxySpec.Scheme.SOCKS5, "203.0.113.5", 1080, "user", "p@ss:word"),
                new TaskSpec.RqData(TaskSpec.RqData.Mode.JSON, fields), null);
        accepted(api.submit(account, spec, 20, URI.create("https://hook.example/done")));
        Task task = solver.take();
        assertThat(task.spec()).isEqualTo(spec);
        assertThat(((TaskSpec.Challenge) task.spec()).rqData().fields().keySet()).containsExactly("b", "a");
        assertThat(task.callbackUrl()).isEqualTo(URI.create("https://hook.example/done"));
        Solution.Challenge clearance = new Solution.Challenge(Map.of("cf_clearance", "abc"), "UA",
                Map.of("user-agent", "UA"), "chrome140", 200, "https://site.example/", "<html></html>")
                .withIdentity(new Solution.Identity("203.0.113.5", "DE", "Europe/Berlin",
                        List.of("de-DE", "de", "en-US", "en"), "proxy", null)); // what the browser presented, kept too
        solver.startSolving(task);
        solver.complete(task, clearance);
        assertThat(api.find(task.id()).state()).isInstanceOfSatisfying(TaskState.Ready.class,
                r -> assertThat(r.solution()).isEqualTo(clearance));
    }

    @Test
    void theDialectATaskWasCreatedInIsStoredAndReadBackByEveryNode() throws Exception {
        Account account = account(100);
        PgTasks api = apiNode("api");
        PgTasks solver = node("solver", Duration.ofSeconds(60));
        Task viaInPhp = accepted(api.submit(account, TURNSTILE, 15, URI.create("https://hook.example/ping"),
                Dialect.TWO_CAPTCHA));
        Task claimed = solver.take();
        assertThat(claimed.id()).isEqualTo(viaInPhp.id());
        assertThat(claimed.dialect()).isEqualTo(Dialect.TWO_CAPTCHA);
        solver.startSolving(claimed);
        solver.complete(claimed, new Solution.Turnstile("tok", "UA", null));
        assertThat(api.find(viaInPhp.id()).dialect()).isEqualTo(Dialect.TWO_CAPTCHA);
        Task viaCreateTask = accepted(api.submit(account, TURNSTILE, 15, null));
        assertThat(api.find(viaCreateTask.id()).dialect()).isEqualTo(Dialect.CREATE_TASK);
    }

    @Test
    void aDrainingNodeClaimsNothingNew() throws Exception {
        Account account = account(100);
        PgTasks solver = node("solver", Duration.ofMillis(200));
        solver.stopClaiming();
        accepted(solver.submit(account, TURNSTILE, 15, null));
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<Task> taken = pool.submit(solver::take);
            Thread.sleep(1_000);
            assertThat(taken.isDone()).isFalse();
            taken.cancel(true);
        }
        assertThat(solver.waiting()).isEqualTo(1);
    }
}
