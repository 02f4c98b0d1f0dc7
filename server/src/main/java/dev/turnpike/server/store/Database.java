package dev.turnpike.server.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * The store's connection pool, migrated to the newest schema on open. The embedded default is an H2 file database
 * in PostgreSQL mode inside the data directory; {@code store.url} points it at PostgreSQL instead.
 */
public final class Database implements AutoCloseable {

    private final HikariDataSource dataSource;
    private final String description;
    private final boolean postgres;

    private Database(HikariDataSource dataSource, String description, boolean postgres) {
        this.dataSource = dataSource;
        this.description = description;
        this.postgres = postgres;
    }

    /** Opens (creating the data directory and the database when missing) and migrates. */
    public static Database open(StoreOptions options) {
        String url = options.url();
        String description;
        String user = options.user();
        String password = options.password();
        boolean postgres = false;
        if (url.isEmpty()) {
            Path dir = options.dataDir();
            secure(dir);
            url = embeddedUrl(dir, options.autoServer());
            description = "embedded H2 database " + dir.resolve("turnpike.mv.db");
        } else {
            StoreUrl parsed = StoreUrl.parse(url);
            url = parsed.jdbcUrl();
            user = parsed.user() != null ? parsed.user() : user;
            password = parsed.password() != null ? parsed.password() : password;
            postgres = parsed.isPostgres();
            description = parsed.describe();
        }
        HikariConfig hikari = new HikariConfig();
        hikari.setJdbcUrl(url);
        hikari.setUsername(user);
        hikari.setPassword(password);
        hikari.setMaximumPoolSize(options.poolSize());
        hikari.setPoolName("turnpike-store");
        hikari.setAutoCommit(true);
        HikariDataSource ds = new HikariDataSource(hikari);
        try {
            Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
            if (options.url().isEmpty()) {
                secure(options.dataDir()); // the files H2 has just created, under the process's umask
            }
        } catch (RuntimeException e) {
            ds.close();
            throw e;
        }
        return new Database(ds, description, postgres);
    }

    private static void secure(Path dir) {
        try {
            DataDirectory.secure(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create or protect the data directory " + dir, e);
        }
    }

    /**
     * PostgreSQL mode so the same SQL runs on both; a lock wait long enough for a burst of concurrent holds;
     * AUTO_SERVER lets {@code turnpike keys} use the file while {@code turnpike serve} has it open.
     */
    static String embeddedUrl(Path dir, boolean autoServer) {
        return "jdbc:h2:file:" + dir.resolve("turnpike").toAbsolutePath()
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;LOCK_TIMEOUT=10000"
                + (autoServer ? ";AUTO_SERVER=TRUE" : "");
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /** Whether this is a PostgreSQL store, which every node of a cluster can share. */
    public boolean isPostgres() {
        return postgres;
    }

    /** Where the data is, for the start-up message (no password). */
    public String description() {
        return description;
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
