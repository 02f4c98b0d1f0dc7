package dev.turnpike.lab.core;

import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** HTML pages registered through the admin API, served on plain hosts (widget test pages, solver fixtures). */
public final class Pages {

    /** Largest page accepted. */
    public static final int MAX_PAGE_CHARS = 1_000_000;

    /** A page and the HTTP status it is answered with (an error page of a site has a widget to find too, or not). */
    public record Page(String html, int status) {
    }

    private final ConcurrentHashMap<String, Page> byHostAndPath = new ConcurrentHashMap<>();

    public void put(String host, String path, String html) {
        put(host, path, html, 200);
    }

    public void put(String host, String path, String html, int status) {
        if (status < 200 || status > 599) {
            throw new IllegalArgumentException("status must be 200-599");
        }
        if (path == null || !path.startsWith("/")) {
            throw new IllegalArgumentException("path must start with /");
        }
        if (html == null || html.length() > MAX_PAGE_CHARS) {
            throw new IllegalArgumentException("html is missing or longer than " + MAX_PAGE_CHARS + " characters");
        }
        byHostAndPath.put(key(host, path), new Page(html, status));
    }

    public Optional<Page> find(String host, String path) {
        return Optional.ofNullable(byHostAndPath.get(key(host, path)));
    }

    public void clear() {
        byHostAndPath.clear();
    }

    private static String key(String host, String path) {
        return host.toLowerCase(Locale.ROOT) + path;
    }
}
