package dev.turnpike.server.task;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.fixtures.TestClock;
import dev.turnpike.server.account.AbandonedTask;
import dev.turnpike.server.account.Account;
import dev.turnpike.server.account.Holds;
import dev.turnpike.server.store.StoreException;
import dev.turnpike.server.task.embedded.MemoryTaskQueue;
import dev.turnpike.server.task.embedded.MemoryTaskStore;
import dev.turnpike.server.task.embedded.TaskLifecycle;
import java.net.URI;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A task's points are settled even by a thread asked to stop (the deadline, the workers stopping at shutdown).
 * The store's connection pool refuses an interrupted thread, as HikariCP does when it has to wait for a connection;
 * a settlement refused that way left the points held until the next start.
 */
class PointsSettledOnAStoppingThreadTest {

    private final TestClock clock = TestClock.atNow();
    private final PoolLikeHolds holds = new PoolLikeHolds();
    private final TaskLifecycle tasks = new TaskLifecycle(clock, new ClockTaskIdGenerator(clock, 0),
            new MemoryTaskStore(), new MemoryTaskQueue(10), holds,
            new Tasks.Timing(Duration.ofSeconds(120), Duration.ofMinutes(5), Duration.ofSeconds(60)));
    private final TaskSpec spec = new TaskSpec.Turnstile(TaskType.TURNSTILE_PROXYLESS, URI.create("https://site.example"),
            "0x4AAAAAAAB", null, null, null, null, null);

    @AfterEach
    void clearInterrupt() {
        Thread.interrupted();
    }

    private Task solving() throws InterruptedException {
        tasks.submit(new Account(1, "test", "abcdef12"), spec, 15, null);
        Task task = tasks.take();
        assertThat(tasks.startSolving(task)).isTrue();
        return task;
    }

    @Test
    void aSolverFailingItsOwnTaskReleasesItsPointsWithoutInterruptingItself() throws Exception {
        Task task = solving();
        tasks.fail(task, FailReason.WIDGET_ERROR, "widget said 600010");
        assertThat(holds.settled).containsExactly("release " + task.id().value());
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
        tasks.stopSolving(task);
    }

    @Test
    void aWorkerAskedToStopBeforeItChargesItsSolutionStillChargesItAndKeepsTheRequest() throws Exception {
        Task task = solving();
        Thread.currentThread().interrupt();
        tasks.complete(task, new Solution.Turnstile("token", "UA"));
        assertThat(holds.settled).containsExactly("capture " + task.id().value());
        assertThat(Thread.currentThread().isInterrupted()).as("the stop request is kept for the worker").isTrue();
    }

    @Test
    void aStopArrivingWhileThePointsAreWrittenIsSurvivedByWritingThemAgain() throws Exception {
        Task task = solving();
        holds.interruptDuringNextWrite.set(true);
        tasks.complete(task, new Solution.Turnstile("token", "UA"));
        assertThat(holds.settled).containsExactly("capture " + task.id().value());
        assertThat(Thread.currentThread().isInterrupted()).isTrue();
        assertThat(task.state()).isInstanceOf(TaskState.Ready.class);
    }

    @Test
    void aDeadlineStillInterruptsTheThreadSolvingTheTask() throws Exception {
        tasks.submit(new Account(1, "test", "abcdef12"), spec, 15, null);
        Task task = tasks.take();
        AtomicBoolean interrupted = new AtomicBoolean();
        Thread worker = Thread.ofVirtual().start(() -> {
            tasks.startSolving(task);
            try {
                Thread.sleep(Duration.ofMinutes(1));
            } catch (InterruptedException e) {
                interrupted.set(true);
            }
        });
        while (task.state() instanceof TaskState.Queued) {
            Thread.onSpinWait();
        }
        clock.advance(Duration.ofSeconds(120));
        tasks.housekeep();
        assertThat(worker.join(Duration.ofSeconds(10))).isTrue();
        assertThat(interrupted).isTrue();
        assertThat(holds.settled).containsExactly("release " + task.id().value());
    }

    /** Settles like the store behind a busy connection pool: an interrupted caller gets no connection. */
    private static final class PoolLikeHolds implements Holds {
        final List<String> settled = new CopyOnWriteArrayList<>();
        final AtomicBoolean interruptDuringNextWrite = new AtomicBoolean();

        @Override
        public boolean hold(long accountId, long taskId, long points) {
            return true;
        }

        @Override
        public boolean capture(long taskId, long points) {
            return write("capture " + taskId);
        }

        @Override
        public boolean release(long taskId, String note) {
            return write("release " + taskId);
        }

        private boolean write(String entry) {
            if (Thread.currentThread().isInterrupted()) {
                throw new StoreException("find hold", new SQLException("Interrupted during connection acquisition"));
            }
            if (interruptDuringNextWrite.getAndSet(false)) {
                Thread.currentThread().interrupt(); // the stop arrives mid-write; the write is rolled back
                throw new StoreException("capture", new SQLException("An I/O error occurred while sending"));
            }
            settled.add(entry);
            return true;
        }

        @Override
        public List<AbandonedTask> releaseAbandoned(int nodeId) {
            return List.of();
        }
    }
}
