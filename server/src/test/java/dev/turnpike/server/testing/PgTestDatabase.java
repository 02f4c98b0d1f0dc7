package dev.turnpike.server.testing;

import dev.turnpike.server.store.StoreUrl;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A throwaway database on a real PostgreSQL for one test class: {@code CREATE DATABASE turnpike_test_<random>} on
 * the server named by {@value #ENV} (a JDBC or postgresql:// URL; default the machine's
 * {@code jdbc:postgresql://127.0.0.1:5432/test} as user postgres), dropped again on close, so runs never collide.
 * When no PostgreSQL answers, creating one fails the test: these tests never skip ({@code bin/test} starts a
 * throwaway server where none runs).
 */
public final class PgTestDatabase implements AutoCloseable {

    public static final String ENV = "TURNPIKE_TEST_PG_URL";
    private static final String DEFAULT_URL = "jdbc:postgresql://127.0.0.1:5432/test";
    private static final Pattern JDBC = Pattern.compile("(jdbc:postgresql://[^/?]+/)([^?]*)(\\?.*)?");

    private final String serverUrl;
    private final String user;
    private final String password;
    private final String name;
    private final String url;

    private PgTestDatabase(String serverUrl, String user, String password, String name) {
        this.serverUrl = serverUrl;
        this.user = user;
        this.password = password;
        this.name = name;
        Matcher m = JDBC.matcher(serverUrl);
        if (!m.matches()) {
            throw new IllegalArgumentException(ENV + " is not a PostgreSQL URL with a database: " + serverUrl);
        }
        this.url = m.group(1) + name + (m.group(3) == null ? "" : m.group(3));
    }

    /** Creates a fresh, empty database. @throws AssertionError no PostgreSQL answers */
    public static PgTestDatabase create() {
        String configured = System.getenv(ENV);
        StoreUrl server = StoreUrl.parse(configured == null || configured.isBlank() ? DEFAULT_URL : configured);
        String user = server.user() != null ? server.user() : "postgres";
        String password = server.password() != null ? server.password() : "";
        byte[] random = new byte[6];
        new SecureRandom().nextBytes(random);
        PgTestDatabase db = new PgTestDatabase(server.jdbcUrl(), user, password,
                "turnpike_test_" + HexFormat.of().formatHex(random));
        db.admin("CREATE DATABASE " + db.name);
        return db;
    }

    /** The JDBC URL of the new database. */
    public String url() {
        return url;
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    /** The settings that point a Turnpike node at this database. */
    public Map<String, String> settings() {
        return Map.of("store.url", url, "store.user", user, "store.password", password);
    }

    /** A new connection to this database (the caller closes it). */
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(url, user, password);
    }

    private void admin(String sql) {
        try (Connection c = DriverManager.getConnection(serverUrl, user, password); Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new AssertionError("PostgreSQL at " + serverUrl + " (user " + user + ") is needed for this test and "
                    + "did not answer: " + e.getMessage() + ". Start one, set " + ENV + ", or run bin/test, which "
                    + "starts a throwaway server.", e);
        }
    }

    @Override
    public void close() {
        admin("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }
}
