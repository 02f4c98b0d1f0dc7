package dev.turnpike.server.solver;

import dev.turnpike.server.task.FailReason;
import dev.turnpike.server.task.Solution;
import dev.turnpike.server.task.Task;
import dev.turnpike.server.task.Tasks;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * N worker threads (virtual), each: take a queued task → mark it solving → call the solver for its type →
 * complete or fail it. The deadline is not this class's business: {@link Tasks#housekeep()} fails a
 * task whose deadline passed and interrupts the thread solving it. A failure whose reason is retryable
 * (the browser crashed) is tried once more.
 */
public final class SolverWorker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SolverWorker.class);
    /** The logging context's key for the task a worker solves. */
    public static final String TASK_KEY = "task";

    private final Tasks tasks;
    private final SolverRegistry solvers;
    private final int workers;
    private final ThreadFactory threads;
    private final List<Thread> running = new ArrayList<>();
    private volatile boolean stopping;

    public SolverWorker(Tasks tasks, SolverRegistry solvers, int workers, ThreadFactory threads) {
        this.tasks = tasks;
        this.solvers = solvers;
        this.workers = workers;
        this.threads = threads;
    }

    public static ThreadFactory virtualThreads() {
        return Thread.ofVirtual().name("solver-", 0).factory();
    }

    public synchronized void start() {
        for (int i = 0; i < workers; i++) {
            Thread t = threads.newThread(this::loop);
            running.add(t);
            t.start();
        }
    }

    private void loop() {
        while (!stopping) {
            Task task;
            try {
                task = tasks.take();
            } catch (InterruptedException e) {
                if (stopping) {
                    return;
                }
                continue;
            }
            if (!tasks.startSolving(task)) {
                continue; // ended while it waited (deadline)
            }
            // Every line the solve logs on this thread names its task (logback.xml shows it after the logger).
            MDC.put(TASK_KEY, task.id().toString());
            try {
                run(task);
            } finally {
                MDC.remove(TASK_KEY);
                tasks.stopSolving(task);
            }
        }
    }

    private void run(Task task) {
        Optional<Solver> solver = solvers.forType(task.type());
        if (solver.isEmpty()) {
            tasks.fail(task, FailReason.INTERNAL, "No solver for " + task.type().wireName());
            return;
        }
        for (int attempt = 1; ; attempt++) {
            try {
                Solution solution = solver.get().solve(task.spec(), task.deadline());
                tasks.complete(task, solution);
                return;
            } catch (SolveException e) {
                if (e.reason().retryable() && attempt == 1 && !task.endDecided()) {
                    log.info("task {}: {} ({}), trying once more", task.id(), e.reason(), e.getMessage());
                    continue;
                }
                tasks.fail(task, e.reason(), e.getMessage());
                return;
            } catch (InterruptedException e) {
                // The deadline passed (the task already failed) or the server is stopping.
                tasks.fail(task, stopping ? FailReason.SHUTDOWN : FailReason.DEADLINE, "The solve was stopped");
                return;
            } catch (RuntimeException e) {
                log.error("task {}: the solver failed", task.id(), e);
                tasks.fail(task, FailReason.INTERNAL, "Internal error of the solver");
                return;
            }
        }
    }

    /** Stops taking tasks and interrupts every worker; solves in flight are failed by the caller (shutdown). */
    @Override
    public synchronized void close() {
        stopping = true;
        running.forEach(Thread::interrupt);
        for (Thread t : running) {
            try {
                t.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        running.clear();
    }
}
