package dev.turnpike.server.role;

import dev.turnpike.server.browser.session.BrowserSessions;
import dev.turnpike.server.metrics.PoolView;
import dev.turnpike.server.solver.challenge.ChallengeSolver;
import dev.turnpike.server.metrics.TurnpikeMetrics;
import dev.turnpike.server.solver.Solver;
import dev.turnpike.server.solver.SolverRegistry;
import dev.turnpike.server.solver.SolverSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The solvers a node installed, single ones and sets sharing a browser pool: each goes to the registry under its
 * own types (one dispatch by type), and closing closes what they own. Shared by {@link Standalone} and
 * {@link SolverNode}.
 */
final class InstalledSolvers implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(InstalledSolvers.class);

    private final List<Solver> singles;
    private final List<SolverSet> sets;
    private final SolverRegistry registry;
    private final List<Solver> all;

    private InstalledSolvers(List<Solver> singles, List<SolverSet> sets) {
        this.singles = List.copyOf(singles);
        this.sets = List.copyOf(sets);
        List<Solver> all = new ArrayList<>(singles);
        sets.forEach(set -> all.addAll(set.solvers()));
        this.all = List.copyOf(all);
        this.registry = SolverRegistry.of(all);
    }

    /** FlareSolverr's sessions, on the pool of the challenge solver among these; empty without one. */
    Optional<BrowserSessions> sessions() {
        return all.stream().filter(ChallengeSolver.class::isInstance).map(ChallengeSolver.class::cast)
                .map(ChallengeSolver::sessions).filter(java.util.Objects::nonNull).findFirst();
    }

    /** Installs {@code singles} and builds a set with each factory. */
    static InstalledSolvers build(List<Solver> singles, List<Function<Standalone.SolverContext, SolverSet>> factories,
                                  Standalone.SolverContext context) {
        List<SolverSet> sets = new ArrayList<>();
        for (Function<Standalone.SolverContext, SolverSet> factory : factories) {
            sets.add(factory.apply(context));
        }
        return new InstalledSolvers(singles, sets);
    }

    SolverRegistry registry() {
        return registry;
    }

    boolean isEmpty() {
        return registry.supportedTypes().isEmpty();
    }

    /** The pool of the browser solvers among these, as the metrics and readiness see it; empty without one. */
    Optional<PoolView> poolView() {
        return sets.stream().filter(BrowserSolvers.class::isInstance).map(BrowserSolvers.class::cast)
                .findFirst().map(browsers -> PoolView.of(browsers.pool()));
    }

    /**
     * Tells {@code metrics} (a node's) the phases of every solve of the browser solvers among these, and lets it read
     * their challenge tasks waiting for an identical solve and FlareSolverr's sessions on their pool.
     */
    void report(TurnpikeMetrics metrics) {
        sets.stream().filter(BrowserSolvers.class::isInstance).map(BrowserSolvers.class::cast)
                .forEach(browsers -> {
                    browsers.phases().addListener(metrics);
                    metrics.watchChallengeFlights(browsers.flights()::waiting, browsers.flights()::shared);
                });
        sessions().ifPresent(s -> metrics.watchSessions(new TurnpikeMetrics.FlareSolverrSessions(s.max(),
                s::countByOwner)));
    }

    /** Closes the sets and the single solvers that own something. */
    @Override
    public void close() {
        for (SolverSet set : sets) {
            try {
                set.close();
            } catch (RuntimeException e) {
                log.warn("closing solvers {}: {}", set, e.toString());
            }
        }
        for (Solver solver : singles) {
            if (solver instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    log.warn("closing solver {}: {}", solver, e.toString());
                }
            }
        }
    }
}
