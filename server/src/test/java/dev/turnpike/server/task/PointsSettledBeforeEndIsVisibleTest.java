package dev.turnpike.server.task;

import dev.turnpike.server.task.embedded.TaskLifecycle;
import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.server.account.Account;
import dev.turnpike.server.account.Holds;
import dev.turnpike.server.task.embedded.MemoryTaskQueue;
import dev.turnpike.server.task.embedded.MemoryTaskStore;
import dev.turnpike.fixtures.TestClock;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A client that sees its task end and asks for its balance at once must see the points already charged or
 * given back: the end becomes visible only after the hold is settled.
 */
class PointsSettledBeforeEndIsVisibleTest {

    private final TestClock clock = TestClock.atNow();
    private final SpyHolds holds = new SpyHolds();
    private final TaskLifecycle tasks = new TaskLifecycle(clock, new ClockTaskIdGenerator(clock, 0),
            new MemoryTaskStore(), new MemoryTaskQueue(10), holds,
            new Tasks.Timing(Duration.ofSeconds(120), Duration.ofMinutes(5), Duration.ofSeconds(60)));
    private final TaskSpec spec = new TaskSpec.Turnstile(TaskType.TURNSTILE_PROXYLESS, URI.create("https://site.example"),
            "0x4AAAAAAAB", null, null, null, null, null);

    private Task submit() {
        var submission = tasks.submit(new Account(1, "test", "abcdef12"), spec, 15, null);
        return ((Tasks.Submission.Accepted) submission).task();
    }

    @Test
    void aFailureIsVisibleOnlyAfterItsPointsWereReleased() throws Exception {
        Task task = submit();
        holds.watch = task;
        tasks.take();
        tasks.startSolving(task);
        tasks.fail(task, FailReason.WIDGET_ERROR, "widget said 600010");
        assertThat(holds.endedWhenSettled).containsExactly(false);
        assertThat(task.state()).isInstanceOf(TaskState.Failed.class);
    }

    @Test
    void aSolutionIsVisibleOnlyAfterItsPointsWereCharged() throws Exception {
        Task task = submit();
        holds.watch = task;
        tasks.take();
        tasks.startSolving(task);
        tasks.complete(task, new Solution.Turnstile("token", "UA"));
        assertThat(holds.endedWhenSettled).containsExactly(false);
        assertThat(task.state()).isInstanceOf(TaskState.Ready.class);
    }

    @Test
    void aDeadlineIsVisibleOnlyAfterItsPointsWereReleasedAndIsDecidedOnce() {
        Task task = submit();
        holds.watch = task;
        clock.advance(Duration.ofSeconds(120));
        tasks.housekeep();
        tasks.housekeep();
        tasks.complete(task, new Solution.Turnstile("late", "UA"));
        assertThat(holds.endedWhenSettled).containsExactly(false);
        assertThat(task.state()).isInstanceOfSatisfying(TaskState.Failed.class,
                f -> assertThat(f.reason()).isEqualTo(FailReason.DEADLINE));
    }

    /** Records, at each capture or release, whether the watched task already looked ended to a reader. */
    private static final class SpyHolds implements Holds {
        volatile Task watch;
        final List<Boolean> endedWhenSettled = new ArrayList<>();

        @Override
        public boolean hold(long accountId, long taskId, long points) {
            return true;
        }

        @Override
        public boolean capture(long taskId, long points) {
            endedWhenSettled.add(watch.state().ended());
            return true;
        }

        @Override
        public boolean release(long taskId, String note) {
            endedWhenSettled.add(watch.state().ended());
            return true;
        }

        @Override
        public java.util.List<dev.turnpike.server.account.AbandonedTask> releaseAbandoned(int nodeId) {
            return java.util.List.of();
        }
    }
}
