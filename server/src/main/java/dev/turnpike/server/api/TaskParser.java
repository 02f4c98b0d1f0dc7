package dev.turnpike.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.turnpike.protocol.ErrorCode;
import dev.turnpike.server.net.ProxyParser;
import dev.turnpike.server.net.ProxySpec;
import dev.turnpike.server.net.WhatwgHost;
import dev.turnpike.server.task.TaskSpec;
import dev.turnpike.server.task.TaskType;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The {@code task} object of {@code createTask} → a {@link TaskSpec} (PROTOCOL.md §4): the type with its aliases,
 * matched case-insensitively, then every field in every spelling the services use. Unknown fields are ignored.
 */
public final class TaskParser {

    private static final Pattern WEBSITE_KEY = Pattern.compile("[0-9A-Za-z_-]{3,100}");
    private static final Pattern ACTION = Pattern.compile("[a-z0-9_-]{0,32}", Pattern.CASE_INSENSITIVE);
    private static final Pattern CDATA = Pattern.compile("[a-z0-9_\\-=]{0,255}", Pattern.CASE_INSENSITIVE);
    private static final int MAX_TEXT = 8192;

    /** How an alias maps to a type; {@code CAPMONSTER_TURNSTILE} depends on {@code cloudflareTaskType}. */
    private enum Kind { TURNSTILE, TURNSTILE_M1, TURNSTILE_WITH_PROXY, CHALLENGE, CAPMONSTER_TURNSTILE }

    private static final Map<String, Kind> ALIASES = Map.of(
            "turnstiletaskproxyless", Kind.TURNSTILE,
            "turnstiletaskproxylessm1", Kind.TURNSTILE_M1,
            "antiturnstiletaskproxyless", Kind.TURNSTILE,
            "cloudflareturnstiletask", Kind.TURNSTILE,
            "turnstiletask", Kind.CAPMONSTER_TURNSTILE,
            "cloudflare5stask", Kind.CHALLENGE,
            "anticloudflaretask", Kind.CHALLENGE);

    private final Predicate<TaskType> supported;

    /** @param supported whether a solver is installed for a type */
    public TaskParser(Predicate<TaskType> supported) {
        this.supported = supported;
    }

    /** Validates in the protocol's order: type known and supported, then the fields. */
    public TaskSpec parse(JsonNode task) throws ApiException {
        JsonNode typeNode = task.get("type");
        if (typeNode == null || !typeNode.isTextual() || typeNode.textValue().isBlank()) {
            throw new ApiException(ErrorCode.ERROR_TASK_NOT_SUPPORTED, "task.type is missing");
        }
        String typeName = typeNode.textValue().strip();
        Kind kind = ALIASES.get(typeName.toLowerCase(Locale.ROOT));
        if (kind == null) {
            throw new ApiException(ErrorCode.ERROR_TASK_NOT_SUPPORTED, "Task type " + typeName + " is not supported");
        }
        Fields fields = new Fields(task);
        if (kind == Kind.CAPMONSTER_TURNSTILE) {
            String mode = fields.text("cloudflareTaskType");
            if (mode == null || mode.equalsIgnoreCase("token")) {
                kind = Kind.TURNSTILE_WITH_PROXY;
            } else if (mode.equalsIgnoreCase("cf_clearance")) {
                kind = Kind.CHALLENGE;
            } else {
                fields.bad("cloudflareTaskType");
                fields.throwIfBad();
            }
        }
        TaskType type = switch (kind) { // no default: a new kind must say its type
            case TURNSTILE, TURNSTILE_WITH_PROXY -> TaskType.TURNSTILE_PROXYLESS;
            case TURNSTILE_M1 -> TaskType.TURNSTILE_PROXYLESS_M1;
            case CHALLENGE -> TaskType.CLOUDFLARE_CHALLENGE;
            case CAPMONSTER_TURNSTILE -> throw new IllegalStateException("resolved by cloudflareTaskType above");
        };
        if (!supported.test(type)) {
            throw new ApiException(ErrorCode.ERROR_TASK_NOT_SUPPORTED,
                    "Task type " + typeName + " is not supported by this server (no solver installed for " + type.wireName() + ")");
        }
        return switch (type) { // no default: a new type must say how it is parsed
            case TURNSTILE_PROXYLESS, TURNSTILE_PROXYLESS_M1 -> turnstile(type, fields, kind == Kind.TURNSTILE_WITH_PROXY);
            case CLOUDFLARE_CHALLENGE -> challenge(fields);
            case PAGE_REQUEST -> throw new IllegalStateException("no kind of createTask is a page request");
        };
    }

    private static TaskSpec turnstile(TaskType type, Fields f, boolean proxyAllowed) throws ApiException {
        URI url = f.url("websiteURL");
        String key = f.text("websiteKey");
        if (key == null || !WEBSITE_KEY.matcher(key).matches()) {
            f.bad("websiteKey");
        }
        String action = f.first(ACTION, "action", "pageAction", "metadata.action", "rqData.metadataAction");
        String cData = f.first(CDATA, "cData", "turnstileCData", "data", "metadata.cdata", "rqData.metadataCdata");
        String pageData = f.first(null, "chlPageData", "pagedata", "pageData");
        String userAgent = f.first(null, "userAgent");
        ProxySpec proxy = proxyAllowed ? f.proxy(false) : null;
        f.throwIfBad();
        return new TaskSpec.Turnstile(type, url, key, action, cData, pageData, userAgent, proxy);
    }

    private static TaskSpec challenge(Fields f) throws ApiException {
        URI url = f.url("websiteURL");
        ProxySpec proxy = f.proxy(true);
        TaskSpec.RqData rqData = f.rqData();
        String userAgent = f.first(null, "userAgent");
        f.throwIfBad();
        return new TaskSpec.Challenge(url, proxy, rqData, userAgent);
    }

    /** Reads fields, collecting the names of the missing or invalid ones for one error. */
    private static final class Fields {
        private final JsonNode task;
        private final List<String> bad = new ArrayList<>();

        Fields(JsonNode task) {
            this.task = task;
        }

        void bad(String name) {
            if (!bad.contains(name)) {
                bad.add(name);
            }
        }

        void throwIfBad() throws ApiException {
            if (!bad.isEmpty()) {
                throw new ApiException(ErrorCode.ERROR_REQUIRED_FIELDS,
                        "Please check the following fields: " + String.join(", ", bad));
            }
        }

        /** A dotted path ({@code metadata.action}); null when absent or JSON null. */
        JsonNode node(String path) {
            JsonNode n = task;
            for (String part : path.split("\\.")) {
                if (n == null || !n.isObject()) {
                    return null;
                }
                n = n.get(part);
            }
            return n == null || n.isNull() ? null : n;
        }

        /** A string field; a field of another JSON type is marked bad. */
        String text(String path) {
            JsonNode n = node(path);
            if (n == null) {
                return null;
            }
            if (!n.isTextual() || n.textValue().length() > MAX_TEXT) {
                bad(path);
                return null;
            }
            return n.textValue();
        }

        /** The first spelling present, checked against {@code pattern} (when given). */
        String first(Pattern pattern, String... spellings) {
            for (String spelling : spellings) {
                if (node(spelling) != null) {
                    String value = text(spelling);
                    if (value != null && pattern != null && !pattern.matcher(value).matches()) {
                        bad(spelling);
                        return null;
                    }
                    return value;
                }
            }
            return null;
        }

        URI url(String name) {
            String text = text(name);
            URI uri = text == null ? null : httpUrl(text);
            if (uri == null) {
                bad(name);
            }
            return uri;
        }

        /** The proxy in any form of §5; {@code required} also demands credentials. */
        ProxySpec proxy(boolean required) {
            try {
                ProxySpec spec = null;
                if (node("proxyType") != null || node("proxyAddress") != null || node("proxyPort") != null) {
                    spec = ProxyParser.fromFields(scalar("proxyType"), scalar("proxyAddress"), scalar("proxyPort"),
                            scalar("proxyLogin"), scalar("proxyPassword"));
                } else if (node("proxy") != null) {
                    JsonNode p = node("proxy");
                    if (!p.isTextual()) {
                        throw new IllegalArgumentException("proxy must be a string");
                    }
                    spec = ProxyParser.parse(p.textValue());
                }
                if (required && (spec == null || !spec.hasCredentials())) {
                    bad("proxy");
                    return null;
                }
                return spec;
            } catch (IllegalArgumentException e) {
                bad("proxy");
                return null;
            }
        }

        /** A string or number field as text (proxyPort may be either). */
        private String scalar(String name) {
            JsonNode n = node(name);
            if (n == null) {
                return null;
            }
            if (n.isTextual()) {
                return n.textValue();
            }
            if (n.isIntegralNumber()) {
                return n.asText();
            }
            throw new IllegalArgumentException(name + " has the wrong type");
        }

        TaskSpec.RqData rqData() {
            JsonNode rq = node("rqData");
            if (rq == null) {
                return null;
            }
            if (!rq.isObject()) {
                bad("rqData");
                return null;
            }
            TaskSpec.RqData.Mode mode = TaskSpec.RqData.Mode.JSON;
            Map<String, Object> fields = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> e : rq.properties()) {
                if (e.getKey().equals("mode")) {
                    JsonNode m = e.getValue();
                    if (m.isTextual() && m.textValue().equalsIgnoreCase("JSON")) {
                        mode = TaskSpec.RqData.Mode.JSON;
                    } else if (m.isTextual() && m.textValue().equalsIgnoreCase("FORM")) {
                        mode = TaskSpec.RqData.Mode.FORM;
                    } else {
                        bad("rqData.mode");
                        return null;
                    }
                } else {
                    fields.put(e.getKey(), Json.MAPPER.convertValue(e.getValue(), Object.class));
                }
            }
            return fields.isEmpty() && rq.get("mode") == null ? null : new TaskSpec.RqData(mode, fields);
        }
    }

    /**
     * An absolute http or https URL with a host, its host rewritten as a browser reads it ({@link WhatwgHost}:
     * {@code http://0177.0.0.1/} is {@code http://127.0.0.1/}), so the address policy judges the host Chromium will
     * ask for; null otherwise.
     */
    public static URI httpUrl(String text) {
        try {
            URI uri = new URI(escapedAsABrowserSendsIt(text.strip()));
            String scheme = uri.getScheme();
            String authority = uri.getRawAuthority();
            if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
                    || authority == null || uri.isOpaque()) {
                return null;
            }
            int at = authority.lastIndexOf('@');
            String hostAndPort = authority.substring(at + 1);
            int portStart = hostAndPort.startsWith("[") ? hostAndPort.indexOf(']') + 1 : hostAndPort.lastIndexOf(':');
            if (portStart <= 0) {
                portStart = hostAndPort.length();
            }
            String port = hostAndPort.substring(portStart);
            if (!port.isEmpty() && !port.equals(":") && (!port.matches(":\\d{1,5}")
                    || Integer.parseInt(port.substring(1)) < 1 || Integer.parseInt(port.substring(1)) > 65_535)) {
                return null;
            }
            WhatwgHost host = WhatwgHost.parse(hostAndPort.substring(0, portStart));
            URI read = new URI(scheme.toLowerCase(Locale.ROOT) + "://" + authority.substring(0, at + 1)
                    + host.uriForm() + port + (uri.getRawPath() == null ? "" : uri.getRawPath())
                    + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery())
                    + (uri.getRawFragment() == null ? "" : "#" + uri.getRawFragment()));
            return read.getHost() == null || read.getHost().isEmpty() ? null : read;
        } catch (URISyntaxException | IllegalArgumentException e) {
            return null;
        }
    }

    /** What a browser percent-encodes in a path, a query and a fragment that {@link URI} would refuse raw. */
    private static final String ENCODED_AFTER_AUTHORITY = " \"<>`{}|^";

    /**
     * The part after the authority as a browser would send it (WHATWG URL): tabs and newlines dropped, a backslash in
     * the path read as a slash, and the characters {@link URI} refuses but a browser takes (a space, {@code | ^ { } "},
     * a {@code %} that starts no escape, {@code [ ]} in the path, a second {@code #}) percent-encoded. The scheme and
     * authority are left as they are: a URL this cannot make valid stays refused, and a host is never rewritten here.
     */
    static String escapedAsABrowserSendsIt(String url) {
        String text = url.replace("\t", "").replace("\n", "").replace("\r", "");
        int slashes = text.indexOf("://");
        if (slashes < 0) {
            return text;
        }
        int end = slashes + 3;
        while (end < text.length() && "/\\?#".indexOf(text.charAt(end)) < 0) {
            end++;
        }
        StringBuilder out = new StringBuilder(text.length() + 16).append(text, 0, end);
        boolean inQuery = false;
        boolean inFragment = false;
        for (int i = end; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '#' && !inFragment) {
                inFragment = true;
                out.append(c);
            } else if (c == '?' && !inQuery && !inFragment) {
                inQuery = true;
                out.append(c);
            } else if (c == '\\' && !inQuery && !inFragment) {
                out.append('/');
            } else if (c == '%' && !(i + 2 < text.length() && isHex(text.charAt(i + 1)) && isHex(text.charAt(i + 2)))) {
                out.append("%25");
            } else if (c < 0x20 || c == 0x7f || ENCODED_AFTER_AUTHORITY.indexOf(c) >= 0 || c == '\\'
                    || (c == '#' && inFragment) || ((c == '[' || c == ']') && !inQuery && !inFragment)) {
                out.append('%').append(String.format(Locale.ROOT, "%02X", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static boolean isHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
}
