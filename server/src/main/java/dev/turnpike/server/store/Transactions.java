package dev.turnpike.server.store;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/** One transaction of the store, retried when the database gave up on a lock. */
public final class Transactions {

    private static final int ATTEMPTS = 5;

    private Transactions() {
    }

    /** What runs inside the transaction. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /**
     * Runs {@code work} in one transaction; retried a few times when the database gave up on a lock (H2's lock
     * timeout, PostgreSQL's deadlock or serialization failure), which a burst of tasks on one account can cause.
     *
     * @throws StoreException the store failed, naming {@code what}
     */
    public static <T> T run(DataSource db, String what, Work<T> work) {
        for (int attempt = 1; ; attempt++) {
            try (Connection c = db.getConnection()) {
                c.setAutoCommit(false);
                try {
                    T result = work.run(c);
                    c.commit();
                    return result;
                } catch (SQLException | RuntimeException e) {
                    c.rollback();
                    throw e;
                } finally {
                    c.setAutoCommit(true);
                }
            } catch (SQLException e) {
                if (attempt < ATTEMPTS && isLockConflict(e)) {
                    continue;
                }
                throw new StoreException(what, e);
            }
        }
    }

    private static boolean isLockConflict(SQLException e) {
        String state = e.getSQLState();
        return e.getErrorCode() == 50200 || "HYT00".equals(state) || "40001".equals(state) || "40P01".equals(state);
    }
}
