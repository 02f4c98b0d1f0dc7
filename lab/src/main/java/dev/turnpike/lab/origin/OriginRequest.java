package dev.turnpike.lab.origin;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One request to the origin, independent of the HTTP server: what the gate, the solve endpoint and the
 * application read.
 *
 * @param host     the host name, lower case, without port
 * @param method   the method, upper case
 * @param path     the path as sent (not decoded), starting with "/"
 * @param rawQuery the query as sent, without "?", or null
 * @param headers  every header in the order sent
 * @param body     the body (empty when none)
 * @param clientIp the client's IP: the exit IP on the lab's proxied connectors, the peer address elsewhere
 */
public record OriginRequest(String host, String method, String path, String rawQuery, List<Header> headers,
                            byte[] body, String clientIp) {

    /** One header line. */
    public record Header(String name, String value) {
    }

    public OriginRequest {
        Objects.requireNonNull(host, "host");
        host = host.toLowerCase(Locale.ROOT);
        method = method.toUpperCase(Locale.ROOT);
        Objects.requireNonNull(path, "path");
        headers = List.copyOf(headers);
        body = body == null ? new byte[0] : body;
        Objects.requireNonNull(clientIp, "clientIp");
    }

    /** The first value of a header, by case-insensitive name. */
    public Optional<String> header(String name) {
        return headers.stream().filter(h -> h.name().equalsIgnoreCase(name)).map(Header::value).findFirst();
    }

    public String userAgent() {
        return header("User-Agent").orElse(null);
    }

    /** Cookies from every Cookie header; the first of a repeated name wins, as servers commonly read them. */
    public Map<String, String> cookies() {
        Map<String, String> cookies = new LinkedHashMap<>();
        for (Header h : headers) {
            if (!h.name().equalsIgnoreCase("Cookie")) {
                continue;
            }
            for (String pair : h.value().split(";")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    cookies.putIfAbsent(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
                }
            }
        }
        return cookies;
    }

    /** The query's parameters, decoded, in order. */
    public List<Map.Entry<String, String>> queryParameters() {
        return parseForm(rawQuery);
    }

    public Optional<String> queryParameter(String name) {
        return queryParameters().stream().filter(e -> e.getKey().equals(name)).map(Map.Entry::getValue).findFirst();
    }

    /** The path and query, as the visitor asked for it. */
    public String pathAndQuery() {
        return rawQuery == null ? path : path + "?" + rawQuery;
    }

    /** Parses {@code application/x-www-form-urlencoded} text; bad escapes are kept as they are. */
    static List<Map.Entry<String, String>> parseForm(String text) {
        List<Map.Entry<String, String>> out = new ArrayList<>();
        if (text == null || text.isEmpty()) {
            return out;
        }
        for (String pair : text.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            out.add(Map.entry(decode(name), decode(value)));
        }
        return out;
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException badEscape) {
            return s;
        }
    }
}
