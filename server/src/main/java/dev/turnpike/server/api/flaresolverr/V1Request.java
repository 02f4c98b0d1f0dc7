package dev.turnpike.server.api.flaresolverr;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.turnpike.server.api.TaskParser;
import dev.turnpike.server.net.ProxyParser;
import dev.turnpike.server.net.ProxySpec;
import dev.turnpike.server.task.TaskSpec;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The body of {@code POST /v1} (PROTOCOL.md §10.2), read field by field as FlareSolverr reads it: unknown fields are
 * ignored, a missing {@code maxTimeout} (or one below 1) is 60000 ms; a field of the wrong type is refused with a
 * {@link V1Exception} whose text names it.
 */
record V1Request(String cmd, URI url, String postData, long maxTimeoutMillis, String session, int sessionTtlMinutes,
                 List<Map<String, Object>> cookies, ProxySpec proxy, boolean returnOnlyCookies,
                 boolean returnScreenshot, int waitInSeconds, boolean disableMedia, boolean tabsTillVerify) {

    static final long DEFAULT_MAX_TIMEOUT = 60_000;
    /** Longer waits would outlast any task's deadline. */
    private static final int MAX_WAIT_SECONDS = 60;

    static V1Request read(ObjectNode body) throws V1Exception {
        String cmd = text(body, "cmd");
        if (cmd == null) {
            throw new V1Exception("Request parameter 'cmd' is mandatory.");
        }
        String urlText = text(body, "url");
        URI url = null;
        if (urlText != null) {
            url = TaskParser.httpUrl(urlText);
            if (url == null) {
                throw new V1Exception("Request parameter 'url' is not an http or https URL: " + urlText);
            }
        }
        long maxTimeout = number(body, "maxTimeout");
        return new V1Request(cmd, url, text(body, "postData"), maxTimeout < 1 ? DEFAULT_MAX_TIMEOUT : maxTimeout,
                text(body, "session"), (int) Math.min(Integer.MAX_VALUE, Math.max(0, number(body, "session_ttl_minutes"))),
                cookies(body.get("cookies")), proxy(body.get("proxy")), flag(body, "returnOnlyCookies"),
                flag(body, "returnScreenshot"), (int) Math.min(MAX_WAIT_SECONDS, Math.max(0, number(body, "waitInSeconds"))),
                flag(body, "disableMedia"), tabsTillVerify(body));
    }

    /**
     * Whether {@code tabs_till_verify} asks for the page's Turnstile token: any number (FlareSolverr presses Tab that
     * many times to reach the widget; Turnpike finds the widget itself, so the count only says "solve it").
     */
    private static boolean tabsTillVerify(ObjectNode body) throws V1Exception {
        JsonNode n = body.get("tabs_till_verify");
        if (n == null || n.isNull()) {
            return false;
        }
        if (!n.canConvertToInt() && !(n.isTextual() && n.asText().matches("\\d{1,9}"))) {
            throw new V1Exception("Request parameter 'tabs_till_verify' must be a number.");
        }
        return true;
    }

    /** {@code postData} as the form's fields, in order ({@code a=1&b=2}, a leading {@code ?} ignored). */
    TaskSpec.RqData form() {
        String query = postData.startsWith("?") ? postData.substring(1) : postData;
        Map<String, Object> fields = new LinkedHashMap<>();
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            fields.put(name, eq < 0 ? "" : decode(pair.substring(eq + 1)));
        }
        return new TaskSpec.RqData(TaskSpec.RqData.Mode.FORM, fields);
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s;
        }
    }

    private static String text(ObjectNode body, String name) throws V1Exception {
        JsonNode n = body.get(name);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual()) {
            throw new V1Exception("Request parameter '" + name + "' must be a string.");
        }
        return n.textValue();
    }

    /** A number, or a string of digits (FlareSolverr casts with int()); 0 when absent. */
    private static long number(ObjectNode body, String name) throws V1Exception {
        JsonNode n = body.get(name);
        if (n == null || n.isNull()) {
            return 0;
        }
        if (n.isNumber()) {
            return n.asLong();
        }
        if (n.isTextual() && n.textValue().strip().matches("-?\\d{1,12}")) {
            return Long.parseLong(n.textValue().strip());
        }
        throw new V1Exception("Request parameter '" + name + "' must be a number.");
    }

    private static boolean flag(ObjectNode body, String name) throws V1Exception {
        JsonNode n = body.get(name);
        if (n == null || n.isNull()) {
            return false;
        }
        if (!n.isBoolean()) {
            throw new V1Exception("Request parameter '" + name + "' must be true or false.");
        }
        return n.booleanValue();
    }

    private static List<Map<String, Object>> cookies(JsonNode node) throws V1Exception {
        List<Map<String, Object>> out = new ArrayList<>();
        if (node == null || node.isNull()) {
            return out;
        }
        if (!node.isArray()) {
            throw new V1Exception("Request parameter 'cookies' must be a list of {name, value, ...}.");
        }
        for (JsonNode c : node) {
            if (!c.isObject() || !c.path("name").isTextual() || c.path("name").textValue().isEmpty()
                    || (c.has("value") && !c.get("value").isValueNode())) {
                throw new V1Exception("Request parameter 'cookies' must be a list of {name, value, ...}.");
            }
            Map<String, Object> cookie = new LinkedHashMap<>();
            c.properties().forEach(e -> {
                JsonNode v = e.getValue();
                if (v.isBoolean()) {
                    cookie.put(e.getKey(), v.booleanValue());
                } else if (v.isNumber()) {
                    cookie.put(e.getKey(), v.numberValue());
                } else if (v.isTextual()) {
                    cookie.put(e.getKey(), v.textValue());
                }
            });
            out.add(cookie);
        }
        return out;
    }

    /**
     * {@code {url, username, password}}: the URL in any form of PROTOCOL.md §5 (http, socks4, socks5), the
     * credentials beside it or in it.
     */
    private static ProxySpec proxy(JsonNode node) throws V1Exception {
        if (node == null || node.isNull() || (node.isObject() && node.isEmpty())) {
            return null;
        }
        if (!node.isObject() || !node.path("url").isTextual()) {
            throw new V1Exception("Request parameter 'proxy' must be {\"url\": ..., \"username\": ..., \"password\": ...}.");
        }
        try {
            ProxySpec spec = ProxyParser.parse(node.path("url").textValue());
            String user = node.path("username").isTextual() ? node.path("username").textValue() : null;
            String password = node.path("password").isTextual() ? node.path("password").textValue() : null;
            if (user != null && !user.isEmpty()) {
                spec = new ProxySpec(spec.scheme(), spec.host(), spec.port(), user, password == null ? "" : password);
            }
            return spec;
        } catch (IllegalArgumentException e) {
            throw new V1Exception("Request parameter 'proxy' is not valid: " + e.getMessage());
        }
    }
}
