package dev.turnpike.server.health;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.sql.DataSource;

/** Whether the store answers a trivial query within a short time. */
@FunctionalInterface
public interface StoreCheck {

    boolean answers(Duration timeout) throws InterruptedException;

    /**
     * {@code SELECT 1} on a virtual thread, waited for at most {@code timeout}: the pool's own connection timeout
     * (30 s) must not hold a readiness probe. Only one query runs at a time; while it hangs, the store is down.
     */
    static StoreCheck jdbc(DataSource db) {
        return new StoreCheck() {
            private CompletableFuture<Boolean> running;

            @Override
            public boolean answers(Duration timeout) throws InterruptedException {
                CompletableFuture<Boolean> query;
                synchronized (this) {
                    if (running == null || running.isDone()) {
                        running = new CompletableFuture<>();
                        CompletableFuture<Boolean> mine = running;
                        Thread.ofVirtual().name("store-check").start(() -> mine.complete(selectOne(db)));
                    }
                    query = running;
                }
                try {
                    return query.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                } catch (TimeoutException | ExecutionException e) {
                    return false;
                }
            }
        };
    }

    private static boolean selectOne(DataSource db) {
        try (Connection c = db.getConnection(); Statement st = c.createStatement()) {
            st.setQueryTimeout(5);
            try (ResultSet rs = st.executeQuery("SELECT 1")) {
                return rs.next();
            }
        } catch (SQLException | RuntimeException e) {
            return false;
        }
    }
}
