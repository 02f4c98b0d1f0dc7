package dev.turnpike.server.task.pg;

import dev.turnpike.server.store.StoreException;
import dev.turnpike.server.task.TaskType;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * The nodes of a cluster in the {@code cluster_node} table: each node writes its row at start and at every
 * heartbeat. API nodes read it to accept only the task types some live solver node supports, and to report the
 * cluster's capacity. A node whose row was not renewed within {@code liveness} counts as gone.
 */
public final class PgNodes {

    /** What a node is. */
    public enum Role { SERVE, API, SOLVER }

    /** What the live solving nodes offer together. */
    public record Capacity(Set<TaskType> types, int workers, int nodes) {
    }

    private final DataSource db;
    private final Clock clock;
    private final Duration liveness;
    private final Duration cacheFor;
    private volatile Capacity cached;
    private volatile Instant cachedAt = Instant.MIN;

    public PgNodes(DataSource db, Clock clock, Duration liveness) {
        this.db = db;
        this.clock = clock;
        this.liveness = liveness;
        this.cacheFor = Duration.ofSeconds(1);
    }

    /** Writes or renews this node's row. */
    public void announce(String name, Role role, Set<TaskType> types, int workers, boolean draining) {
        String typeNames = types.stream().map(Enum::name).sorted().collect(Collectors.joining(","));
        Timestamp now = Timestamp.from(clock.instant());
        try (Connection c = db.getConnection();
             PreparedStatement st = c.prepareStatement("""
                     INSERT INTO cluster_node (name, role, types, workers, draining, started_at, seen_at)
                     VALUES (?, ?, ?, ?, ?, ?, ?)
                     ON CONFLICT (name) DO UPDATE SET role = EXCLUDED.role, types = EXCLUDED.types,
                         workers = EXCLUDED.workers, draining = EXCLUDED.draining, seen_at = EXCLUDED.seen_at""")) {
            st.setString(1, name);
            st.setString(2, role.name());
            st.setString(3, typeNames);
            st.setInt(4, workers);
            st.setBoolean(5, draining);
            st.setTimestamp(6, now);
            st.setTimestamp(7, now);
            st.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("announce node", e);
        }
    }

    /** Removes this node's row (a clean stop). */
    public void leave(String name) {
        try (Connection c = db.getConnection();
             PreparedStatement st = c.prepareStatement("DELETE FROM cluster_node WHERE name = ?")) {
            st.setString(1, name);
            st.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("leave", e);
        }
    }

    /** Forgets nodes not seen for a long time (they crashed); run by the sweeping node. */
    void forgetLongGone() {
        try (Connection c = db.getConnection();
             PreparedStatement st = c.prepareStatement("DELETE FROM cluster_node WHERE seen_at < ?")) {
            st.setTimestamp(1, Timestamp.from(clock.instant().minus(liveness.multipliedBy(20))));
            st.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("forget nodes", e);
        }
    }

    /** The types and workers of the live solving nodes that are not draining; cached for a second. */
    public Capacity capacity() {
        Instant now = clock.instant();
        Capacity c = cached;
        if (c != null && now.isBefore(cachedAt.plus(cacheFor)) && !now.isBefore(cachedAt)) {
            return c;
        }
        c = readCapacity(now);
        cached = c;
        cachedAt = now;
        return c;
    }

    private Capacity readCapacity(Instant now) {
        Set<TaskType> types = EnumSet.noneOf(TaskType.class);
        int workers = 0;
        int nodes = 0;
        try (Connection c = db.getConnection();
             PreparedStatement st = c.prepareStatement(
                     "SELECT types, workers FROM cluster_node WHERE role <> 'API' AND NOT draining AND seen_at >= ?")) {
            st.setTimestamp(1, Timestamp.from(now.minus(liveness)));
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    nodes++;
                    workers += rs.getInt(2);
                    Arrays.stream(rs.getString(1).split(",")).filter(s -> !s.isEmpty())
                            .forEach(name -> types.add(TaskType.valueOf(name)));
                }
            }
        } catch (SQLException e) {
            throw new StoreException("read nodes", e);
        }
        return new Capacity(types, workers, nodes);
    }
}
