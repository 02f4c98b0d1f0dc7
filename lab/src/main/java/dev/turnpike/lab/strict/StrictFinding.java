package dev.turnpike.lab.strict;

/** One check that fired, with what it saw (for the event log; never sent to the page). */
public record StrictFinding(StrictCheck check, String detail) {
}
