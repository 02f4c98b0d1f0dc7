package dev.turnpike.server.task;

/** Issues task ids unique across every node of a deployment. */
public interface TaskIdGenerator {
    TaskId next();
}
