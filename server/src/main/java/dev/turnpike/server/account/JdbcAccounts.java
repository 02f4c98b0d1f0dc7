package dev.turnpike.server.account;

import dev.turnpike.server.store.StoreException;
import dev.turnpike.server.store.Transactions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Accounts and holds in a SQL database (H2 in PostgreSQL mode, or PostgreSQL). A hold is a conditional update
 * ({@code … WHERE balance - held >= price}), so the available balance can never go negative however many
 * tasks race: the database's row lock serialises them and each re-checks the condition.
 */
public final class JdbcAccounts implements Accounts, Holds {

    private final DataSource db;
    private final Clock clock;
    private final ClientKeys keys;
    private final int nodeId;

    public JdbcAccounts(DataSource db, Clock clock, ClientKeys keys, int nodeId) {
        this.db = db;
        this.clock = clock;
        this.keys = keys;
        this.nodeId = nodeId;
    }

    @Override
    public Optional<Account> authenticate(String clientKey) {
        if (clientKey == null || clientKey.isEmpty() || clientKey.length() > 256) {
            return Optional.empty();
        }
        String sql = "SELECT id, name, key_prefix FROM account WHERE key_hash = ? AND active";
        try (Connection c = db.getConnection(); PreparedStatement st = c.prepareStatement(sql)) {
            st.setString(1, ClientKeys.hash(clientKey));
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? Optional.of(new Account(rs.getLong(1), rs.getString(2), rs.getString(3)))
                        : Optional.empty();
            }
        } catch (SQLException e) {
            throw new StoreException("authenticate", e);
        }
    }

    @Override
    public long available(long accountId) {
        try (Connection c = db.getConnection();
             PreparedStatement st = c.prepareStatement("SELECT balance - held FROM account WHERE id = ?")) {
            st.setLong(1, accountId);
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalArgumentException("no account " + accountId);
                }
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new StoreException("balance", e);
        }
    }

    @Override
    public CreatedKey createKey(String name, long points) {
        String problem = Points.problemWithInitial("points", points);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        String key = keys.newKey();
        return inTransaction("create key", c -> {
            long id;
            try (PreparedStatement st = c.prepareStatement(
                    "INSERT INTO account (name, key_hash, key_prefix, balance, held, active, created_at) VALUES (?, ?, ?, ?, 0, TRUE, ?)",
                    new String[]{"id"})) {
                st.setString(1, name);
                st.setString(2, ClientKeys.hash(key));
                st.setString(3, ClientKeys.prefix(key));
                st.setLong(4, points);
                st.setTimestamp(5, now());
                st.executeUpdate();
                try (ResultSet rs = st.getGeneratedKeys()) {
                    rs.next();
                    id = rs.getLong(1);
                }
            }
            if (points > 0) {
                ledger(c, id, "TOPUP", null, points, 0, "initial points");
            }
            return new CreatedKey(new Account(id, name, ClientKeys.prefix(key)), key);
        });
    }

    @Override
    public List<AccountInfo> list() {
        String sql = "SELECT id, name, key_prefix, balance, held, active, created_at FROM account ORDER BY id";
        try (Connection c = db.getConnection(); PreparedStatement st = c.prepareStatement(sql);
             ResultSet rs = st.executeQuery()) {
            List<AccountInfo> out = new ArrayList<>();
            while (rs.next()) {
                out.add(info(rs));
            }
            return out;
        } catch (SQLException e) {
            throw new StoreException("list", e);
        }
    }

    @Override
    public long topUp(String keyOrPrefix, long points) {
        String problem = Points.problemWithTopUp("points", points);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        return inTransaction("top up", c -> {
            long id = find(c, keyOrPrefix).id();
            // Compared as balance <= MAX - points: both sides stay far inside a long.
            try (PreparedStatement st = c.prepareStatement(
                    "UPDATE account SET balance = balance + ? WHERE id = ? AND balance <= ?")) {
                st.setLong(1, points);
                st.setLong(2, id);
                st.setLong(3, Points.MAX - points);
                if (st.executeUpdate() == 0) {
                    throw new IllegalArgumentException("points would take the key's balance over " + Points.MAX
                            + " (10^15)");
                }
            }
            ledger(c, id, "TOPUP", null, points, 0, "top-up");
            try (PreparedStatement st = c.prepareStatement("SELECT balance - held FROM account WHERE id = ?")) {
                st.setLong(1, id);
                try (ResultSet rs = st.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    @Override
    public AccountInfo revoke(String keyOrPrefix) {
        return inTransaction("revoke", c -> {
            AccountInfo found = find(c, keyOrPrefix);
            try (PreparedStatement st = c.prepareStatement(
                    "UPDATE account SET active = FALSE, revoked_at = ? WHERE id = ?")) {
                st.setTimestamp(1, now());
                st.setLong(2, found.id());
                st.executeUpdate();
            }
            return new AccountInfo(found.id(), found.name(), found.keyPrefix(), found.balance(), found.held(), false,
                    found.createdAt());
        });
    }

    @Override
    public List<LedgerEntry> ledger(long accountId) {
        String sql = "SELECT kind, task_id, balance_delta, held_delta, note, created_at FROM ledger WHERE account_id = ? ORDER BY id";
        try (Connection c = db.getConnection(); PreparedStatement st = c.prepareStatement(sql)) {
            st.setLong(1, accountId);
            try (ResultSet rs = st.executeQuery()) {
                List<LedgerEntry> out = new ArrayList<>();
                while (rs.next()) {
                    long id = rs.getLong(2);
                    Long taskId = rs.wasNull() ? null : id;
                    out.add(new LedgerEntry(LedgerEntry.Kind.valueOf(rs.getString(1)), taskId,
                            rs.getLong(3), rs.getLong(4), rs.getString(5), rs.getTimestamp(6).toInstant()));
                }
                return out;
            }
        } catch (SQLException e) {
            throw new StoreException("ledger", e);
        }
    }

    @Override
    public void recordReport(long accountId, long taskId, String taskType, String method, boolean correct) {
        String sql = "INSERT INTO task_report (account_id, task_id, task_type, method, correct, created_at) VALUES (?, ?, ?, ?, ?, ?)";
        try (Connection c = db.getConnection(); PreparedStatement st = c.prepareStatement(sql)) {
            st.setLong(1, accountId);
            st.setLong(2, taskId);
            st.setString(3, taskType);
            st.setString(4, method);
            st.setBoolean(5, correct);
            st.setTimestamp(6, now());
            st.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("report", e);
        }
    }

    @Override
    public boolean hold(long accountId, long taskId, long points) {
        return inTransaction("hold", c -> hold(c, accountId, taskId, points));
    }

    /**
     * {@link #hold} inside a transaction the caller owns (the PostgreSQL queue holds the points and inserts the
     * task in one transaction). @return whether it held; when false nothing was written
     */
    public boolean hold(Connection c, long accountId, long taskId, long points) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(
                "UPDATE account SET held = held + ? WHERE id = ? AND active AND balance - held >= ?")) {
            st.setLong(1, points);
            st.setLong(2, accountId);
            st.setLong(3, points);
            if (st.executeUpdate() != 1) {
                return false;
            }
        }
        try (PreparedStatement st = c.prepareStatement(
                "INSERT INTO task_hold (task_id, account_id, points, node_id, created_at) VALUES (?, ?, ?, ?, ?)")) {
            st.setLong(1, taskId);
            st.setLong(2, accountId);
            st.setLong(3, points);
            st.setInt(4, nodeId);
            st.setTimestamp(5, now());
            st.executeUpdate();
        }
        ledger(c, accountId, "HOLD", taskId, 0, points, null);
        return true;
    }

    @Override
    public boolean capture(long taskId, long points) {
        return settle(taskId, points, null);
    }

    @Override
    public boolean release(long taskId, String note) {
        return settle(taskId, RELEASE, note);
    }

    @Override
    public List<AbandonedTask> releaseAbandoned(int node) {
        List<AbandonedTask> holds = new ArrayList<>();
        try (Connection c = db.getConnection();
             PreparedStatement st = c.prepareStatement("SELECT task_id, account_id FROM task_hold WHERE node_id = ?")) {
            st.setInt(1, node);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    holds.add(new AbandonedTask(rs.getLong(1), rs.getLong(2)));
                }
            }
        } catch (SQLException e) {
            throw new StoreException("find abandoned holds", e);
        }
        List<AbandonedTask> released = new ArrayList<>();
        for (AbandonedTask hold : holds) {
            if (release(hold.taskId(), "abandoned by a stopped node")) {
                released.add(hold);
            }
        }
        return released;
    }

    /**
     * Locks the account row first (every transaction here takes the account before the hold rows, so they cannot
     * deadlock), deletes the hold (so a second settle finds nothing), moves the points, writes the entry.
     */
    /** A settlement that charges nothing and writes a RELEASE entry. */
    private static final long RELEASE = -1;

    /** @param charge the points to charge (at most the hold), or {@link #RELEASE} */
    private boolean settle(long taskId, long charge, String note) {
        Long owner = holdOwner(taskId);
        if (owner == null) {
            return false;
        }
        return inTransaction(charge >= 0 ? "capture" : "release", c -> settle(c, owner, taskId, charge, note));
    }

    /**
     * Captures or releases a task's hold inside a transaction the caller owns (the PostgreSQL queue does it in the
     * transaction that ends the task). @return whether there was a hold to settle
     */
    public boolean settle(Connection c, long taskId, boolean capture, String note) throws SQLException {
        return settle(c, taskId, capture ? Long.MAX_VALUE : RELEASE, note);
    }

    /**
     * The same, charging {@code charge} points of the hold (at most the hold) and giving the rest back; a negative charge releases it all.
     */
    public boolean settle(Connection c, long taskId, long charge, String note) throws SQLException {
        Long owner;
        try (PreparedStatement st = c.prepareStatement("SELECT account_id FROM task_hold WHERE task_id = ?")) {
            st.setLong(1, taskId);
            try (ResultSet rs = st.executeQuery()) {
                owner = rs.next() ? rs.getLong(1) : null;
            }
        }
        return owner != null && settle(c, owner, taskId, charge, note);
    }

    private boolean settle(Connection c, long accountId, long taskId, long charge, String note) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT id FROM account WHERE id = ? FOR UPDATE")) {
            st.setLong(1, accountId);
            st.executeQuery().close();
        }
        long points;
        try (PreparedStatement st = c.prepareStatement("SELECT points FROM task_hold WHERE task_id = ? AND account_id = ?")) {
            st.setLong(1, taskId);
            st.setLong(2, accountId);
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next()) {
                    return false;
                }
                points = rs.getLong(1);
            }
        }
        try (PreparedStatement st = c.prepareStatement("DELETE FROM task_hold WHERE task_id = ?")) {
            st.setLong(1, taskId);
            if (st.executeUpdate() != 1) {
                return false;
            }
        }
        boolean capture = charge >= 0;
        long charged = capture ? Math.min(points, charge) : 0;
        String sql = capture ? "UPDATE account SET balance = balance - ?, held = held - ? WHERE id = ?"
                : "UPDATE account SET held = held - ? WHERE id = ?";
        try (PreparedStatement st = c.prepareStatement(sql)) {
            int i = 1;
            if (capture) {
                st.setLong(i++, charged);
            }
            st.setLong(i++, points);
            st.setLong(i, accountId);
            st.executeUpdate();
        }
        ledger(c, accountId, capture ? "CAPTURE" : "RELEASE", taskId, capture ? -charged : 0, -points, note);
        return true;
    }

    /** The account a task's hold belongs to, or null when there is no hold. */
    private Long holdOwner(long taskId) {
        try (Connection c = db.getConnection();
             PreparedStatement st = c.prepareStatement("SELECT account_id FROM task_hold WHERE task_id = ?")) {
            st.setLong(1, taskId);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? rs.getLong(1) : null;
            }
        } catch (SQLException e) {
            throw new StoreException("find hold", e);
        }
    }

    private void ledger(Connection c, long accountId, String kind, Long taskId, long balanceDelta, long heldDelta,
                        String note) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(
                "INSERT INTO ledger (account_id, kind, task_id, balance_delta, held_delta, note, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            st.setLong(1, accountId);
            st.setString(2, kind);
            if (taskId == null) {
                st.setNull(3, java.sql.Types.BIGINT);
            } else {
                st.setLong(3, taskId);
            }
            st.setLong(4, balanceDelta);
            st.setLong(5, heldDelta);
            st.setString(6, note);
            st.setTimestamp(7, now());
            st.executeUpdate();
        }
    }

    /** The one account a full key or a shown prefix names. */
    private AccountInfo find(Connection c, String keyOrPrefix) throws SQLException {
        String sql = "SELECT id, name, key_prefix, balance, held, active, created_at FROM account WHERE key_hash = ? OR key_prefix = ?";
        try (PreparedStatement st = c.prepareStatement(sql)) {
            st.setString(1, ClientKeys.hash(keyOrPrefix));
            st.setString(2, keyOrPrefix);
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalArgumentException("no key matches " + ClientKeys.prefix(keyOrPrefix));
                }
                AccountInfo found = info(rs);
                if (rs.next()) {
                    throw new IllegalArgumentException("several keys start with " + keyOrPrefix + "; give the full key");
                }
                return found;
            }
        }
    }

    private static AccountInfo info(ResultSet rs) throws SQLException {
        return new AccountInfo(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getLong(5),
                rs.getBoolean(6), rs.getTimestamp(7).toInstant());
    }

    private Timestamp now() {
        return Timestamp.from(Instant.now(clock));
    }

    private <T> T inTransaction(String what, Transactions.Work<T> work) {
        return Transactions.run(db, what, work);
    }
}
