package dev.turnpike.server.store;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * The store's address as the operator wrote it: a JDBC URL ({@code jdbc:postgresql://…}, {@code jdbc:h2:…}) or
 * the libpq form operators already use ({@code postgresql://user:password@host:5432/db?sslmode=require}),
 * turned into a JDBC URL with the user and password apart, so neither ends up in a log line.
 *
 * @param jdbcUrl  for the driver, without credentials when they came in the libpq form
 * @param user     from the URL, or null (then {@code store.user} applies)
 * @param password from the URL, or null (then {@code store.password} applies)
 */
public record StoreUrl(String jdbcUrl, String user, String password) {

    /** @throws IllegalArgumentException the text is neither form */
    public static StoreUrl parse(String text) {
        if (text.startsWith("jdbc:")) {
            return new StoreUrl(text, null, null);
        }
        if (!text.startsWith("postgresql://") && !text.startsWith("postgres://")) {
            throw new IllegalArgumentException("store.url must be a JDBC URL (jdbc:postgresql://host/db) or "
                    + "postgresql://user@host:port/db");
        }
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("store.url is not a valid postgresql:// URL: " + e.getReason());
        }
        if (uri.getHost() == null || uri.getPath() == null || uri.getPath().length() <= 1) {
            throw new IllegalArgumentException("store.url needs a host and a database: postgresql://user@host:port/db");
        }
        String user = null;
        String password = null;
        if (uri.getRawUserInfo() != null) {
            String[] parts = uri.getRawUserInfo().split(":", 2);
            user = decode(parts[0]);
            password = parts.length > 1 ? decode(parts[1]) : null;
        }
        String host = uri.getHost().contains(":") && !uri.getHost().startsWith("[") ? "[" + uri.getHost() + "]" : uri.getHost();
        String jdbc = "jdbc:postgresql://" + host + (uri.getPort() > 0 ? ":" + uri.getPort() : "") + uri.getRawPath()
                + (uri.getRawQuery() != null ? "?" + uri.getRawQuery() : "");
        return new StoreUrl(jdbc, user, password);
    }

    public boolean isPostgres() {
        return jdbcUrl.startsWith("jdbc:postgresql:");
    }

    /** The URL without any password: for the start-up message. */
    public String describe() {
        return jdbcUrl.replaceAll("password=[^&;]*", "password=***");
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "StoreUrl[" + describe() + (user != null ? " user=" + user : "") + "]";
    }
}
