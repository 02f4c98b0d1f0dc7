package dev.turnpike.server.testing;

import dev.turnpike.server.solver.SolveException;
import dev.turnpike.server.solver.Solver;
import dev.turnpike.server.task.FailReason;
import dev.turnpike.server.task.Solution;
import dev.turnpike.server.task.TaskSpec;
import dev.turnpike.server.task.TaskType;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A scriptable solver for tests (never part of the product): each call takes the next scripted outcome, or
 * the default one. Outcomes: succeed with a solution, fail with a reason, or block until {@link #release} (or
 * until interrupted, which it records and honours, as a real solver must).
 */
public final class FakeSolver implements Solver {

    /** What one call does. */
    public sealed interface Outcome {
        record Succeed(Solution solution) implements Outcome {
        }

        record Fail(FailReason reason, String description) implements Outcome {
        }

        /** Waits for {@link #release}, then does {@code after}. */
        record Block(Outcome after) implements Outcome {
        }
    }

    public static final String TOKEN = "0.fake-token";
    public static final String USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) FakeSolver";

    private final Set<TaskType> types;
    private final ConcurrentLinkedQueue<Outcome> script = new ConcurrentLinkedQueue<>();
    private volatile Outcome fallback = new Outcome.Succeed(new Solution.Turnstile(TOKEN, USER_AGENT));
    private final Semaphore released = new Semaphore(0);
    private final Semaphore started = new Semaphore(0);
    private final Semaphore interruptedSignal = new Semaphore(0);
    private final AtomicInteger calls = new AtomicInteger();
    private final AtomicInteger interrupted = new AtomicInteger();
    private final List<TaskSpec> seen = new CopyOnWriteArrayList<>();

    public FakeSolver(Set<TaskType> types) {
        this.types = Set.copyOf(types);
    }

    public static FakeSolver forAllTypes() {
        return new FakeSolver(EnumSet.allOf(TaskType.class));
    }

    /** The outcome of calls with nothing scripted. */
    public FakeSolver byDefault(Outcome outcome) {
        this.fallback = outcome;
        return this;
    }

    /** The outcomes of the next calls, in order. */
    public FakeSolver then(Outcome... outcomes) {
        script.addAll(List.of(outcomes));
        return this;
    }

    public static Outcome succeed(String token) {
        return new Outcome.Succeed(new Solution.Turnstile(token, USER_AGENT));
    }

    public static Outcome clearance() {
        return new Outcome.Succeed(new Solution.Challenge(Map.of("cf_clearance", "fake-clearance", "__cf_bm", "bm"),
                USER_AGENT, Map.of("user-agent", USER_AGENT, "accept-language", "en-US,en;q=0.9"), "chrome140", 200,
                "https://site.example/", "<html>ok</html>"));
    }

    public static Outcome fail(FailReason reason) {
        return new Outcome.Fail(reason, "fake failure: " + reason);
    }

    /** Blocks until released, then succeeds. */
    public static Outcome block() {
        return new Outcome.Block(succeed(TOKEN));
    }

    /** Blocks until released, then does {@code after}. */
    public static Outcome block(Outcome after) {
        return new Outcome.Block(after);
    }

    /** Lets {@code n} blocked calls (present or future) go on. */
    public void release(int n) {
        released.release(n);
    }

    /** Waits until {@code n} calls have started (since the last wait). */
    public void awaitStarted(int n) throws InterruptedException {
        if (!started.tryAcquire(n, 30, TimeUnit.SECONDS)) {
            throw new AssertionError("the solver was not called " + n + " time(s) within 30 s");
        }
    }

    /** Waits until {@code n} blocked calls have been interrupted (since the last wait). */
    public void awaitInterrupted(int n) throws InterruptedException {
        if (!interruptedSignal.tryAcquire(n, 30, TimeUnit.SECONDS)) {
            throw new AssertionError("the solver was not interrupted " + n + " time(s) within 30 s");
        }
    }

    public int calls() {
        return calls.get();
    }

    /** Calls that ended because the worker interrupted them. */
    public int interruptions() {
        return interrupted.get();
    }

    public List<TaskSpec> seen() {
        return List.copyOf(seen);
    }

    @Override
    public Set<TaskType> types() {
        return types;
    }

    @Override
    public Solution solve(TaskSpec spec, Instant deadline) throws SolveException, InterruptedException {
        calls.incrementAndGet();
        seen.add(spec);
        started.release();
        Outcome outcome = script.poll();
        if (outcome == null) {
            outcome = fallback;
        }
        if (outcome instanceof Outcome.Block b) {
            try {
                if (!released.tryAcquire(Duration.ofMinutes(5).toMillis(), TimeUnit.MILLISECONDS)) {
                    throw new SolveException(FailReason.INTERNAL, "fake solver was never released");
                }
            } catch (InterruptedException e) {
                interrupted.incrementAndGet();
                interruptedSignal.release();
                throw e;
            }
            outcome = b.after();
        }
        if (outcome instanceof Outcome.Succeed s && s.solution() instanceof Solution.Turnstile
                && spec instanceof TaskSpec.Challenge) {
            outcome = clearance();
        }
        return switch (outcome) {
            case Outcome.Succeed s -> s.solution();
            case Outcome.Fail f -> throw new SolveException(f.reason(), f.description());
            case Outcome.Block b -> throw new IllegalStateException("nested block");
        };
    }
}
