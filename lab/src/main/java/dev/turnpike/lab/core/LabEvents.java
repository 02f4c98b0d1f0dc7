package dev.turnpike.lab.core;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The lab's event log: every token, verification, challenge and clearance decision, in the order it happened,
 * numbered from 1. Tests read it to see why the lab refused a solver. Bounded so a long-running lab does not
 * grow without end; the oldest entries are dropped first.
 */
public final class LabEvents {

    /** Most entries kept; older ones are dropped. */
    public static final int MAX_EVENTS = 100_000;

    private final Clock clock;
    private final ArrayList<LabEvent> events = new ArrayList<>();
    private long nextSeq = 1;

    public LabEvents(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Appends an event; fields are given as alternating name, value pairs (null values are skipped). */
    public LabEvent append(String type, Object... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("fields must be name, value pairs");
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            if (namesAndValues[i + 1] != null) {
                fields.put(namesAndValues[i].toString(), namesAndValues[i + 1]);
            }
        }
        return append(type, fields);
    }

    /** Appends an event with the given fields (null values are not allowed in the map). */
    public synchronized LabEvent append(String type, Map<String, Object> fields) {
        Objects.requireNonNull(type, "type");
        LabEvent event = new LabEvent(nextSeq++, clock.instant(), type, fields);
        events.add(event);
        if (events.size() > MAX_EVENTS) {
            events.subList(0, events.size() - MAX_EVENTS).clear();
        }
        return event;
    }

    /** Every kept event, oldest first. */
    public synchronized List<LabEvent> all() {
        return List.copyOf(events);
    }

    /** Events with a sequence number greater than {@code seq}, oldest first. */
    public synchronized List<LabEvent> since(long seq) {
        return events.stream().filter(e -> e.seq() > seq).toList();
    }

    /** Events of one type, oldest first. */
    public synchronized List<LabEvent> ofType(String type) {
        return events.stream().filter(e -> e.type().equals(type)).toList();
    }

    /** The sequence number of the newest event, 0 when empty. */
    public synchronized long lastSeq() {
        return nextSeq - 1;
    }

    /** Forgets every event; numbering goes on (so "since" readers never see a number twice). */
    public synchronized void clear() {
        events.clear();
    }
}
