package dev.turnpike.server.role;

import dev.turnpike.server.config.Config;
import dev.turnpike.server.config.ConfigLoader;
import dev.turnpike.server.solver.Solver;
import dev.turnpike.server.task.Solution;
import dev.turnpike.server.task.TaskSpec;
import dev.turnpike.server.task.TaskType;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * A solver node process for {@link ClusterProcessesTest} (test code only): the product's {@link SolverNode} and
 * its drain-on-SIGTERM, with a solver that takes a fixed time and prints what it solved, standing in for the
 * browser solvers until they are wired into the product. Settings come from {@code TURNPIKE_…} variables.
 *
 * <p>Usage: {@code ClusterSolverMain <millis per solve>}
 */
public final class ClusterSolverMain {

    private ClusterSolverMain() {
    }

    public static void main(String[] args) throws Exception {
        Config config = ConfigLoader.load(Map.of(), System.getenv(), null);
        SolverNode node = SolverNode.builder(config).solver(new TimedSolver(Duration.ofMillis(Long.parseLong(args[0]))))
                .start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                node.drain(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            node.close();
            System.out.println("stopped");
            System.out.flush();
            stopped.countDown();
        }));
        System.out.println("running " + node.name());
        System.out.flush();
        stopped.await();
    }

    /** Sleeps as long as a solve takes, then answers a token naming the task's action. */
    private record TimedSolver(Duration time) implements Solver {
        @Override
        public Set<TaskType> types() {
            return EnumSet.of(TaskType.TURNSTILE_PROXYLESS);
        }

        @Override
        public Solution solve(TaskSpec spec, Instant deadline) throws InterruptedException {
            Thread.sleep(time);
            String action = ((TaskSpec.Turnstile) spec).action();
            System.out.println("solved " + action);
            System.out.flush();
            return new Solution.Turnstile("0.cluster-" + action, "ClusterSolverMain");
        }
    }
}
