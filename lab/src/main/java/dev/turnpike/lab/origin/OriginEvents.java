package dev.turnpike.lab.origin;

/** Where the origin's events go: the lab's ordered event log. */
@FunctionalInterface
public interface OriginEvents {

    void record(OriginEvent event);
}
