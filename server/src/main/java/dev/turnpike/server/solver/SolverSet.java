package dev.turnpike.server.solver;

import java.util.List;

/**
 * Solvers installed together because they share what they own (the browser solvers their pool): the registry
 * takes each of them for its own types, and the server closes the set once, after the last task.
 */
public interface SolverSet extends AutoCloseable {

    List<Solver> solvers();

    /** Releases what the solvers share (every browser process killed, every profile deleted). */
    @Override
    void close();
}
