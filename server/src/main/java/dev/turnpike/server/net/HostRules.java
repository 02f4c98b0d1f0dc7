package dev.turnpike.server.net;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Chromium's {@code --host-resolver-rules}, applied where Chromium cannot apply them: a browser context whose traffic
 * leaves through a local relay sends the relay the page's host name, and the relay, not the browser, decides where it
 * goes. Same grammar and meaning as Chromium's (net/base/host_mapping_rules): comma-separated
 * {@code MAP pattern replacement[:port]} and {@code EXCLUDE pattern}; patterns use {@code *} and {@code ?} and match
 * the host or {@code host:port}; an excluded host is never mapped, whatever the order; otherwise the first matching
 * MAP wins; the replacement {@code ^NOTFOUND} makes the name unresolvable.
 */
public final class HostRules {

    /** Where a host:port goes once the rules are applied. */
    public sealed interface Outcome {
    }

    /** No rule applies: the name is resolved as it is. */
    public record Unmapped() implements Outcome {
    }

    /** Mapped to another host (usually an address literal) and port. */
    public record Mapped(String host, int port) implements Outcome {
    }

    /** Mapped to {@code ^NOTFOUND}: the name does not resolve. */
    public record NotFound() implements Outcome {
    }

    /** Chromium's switch that takes the rules. */
    public static final String CHROMIUM_FLAG = "--host-resolver-rules=";
    private static final String NOT_FOUND = "^NOTFOUND";

    private record MapRule(Pattern pattern, String host, int port) {
    }

    private final List<MapRule> maps;
    private final List<Pattern> exclusions;

    private HostRules(List<MapRule> maps, List<Pattern> exclusions) {
        this.maps = List.copyOf(maps);
        this.exclusions = List.copyOf(exclusions);
    }

    /** No rules: every name resolves as it is. */
    public static HostRules none() {
        return new HostRules(List.of(), List.of());
    }

    /**
     * Parses a rules text as Chromium's flag takes it (empty: no rules).
     *
     * @throws IllegalArgumentException a rule Chromium would not understand either
     */
    public static HostRules parse(String text) {
        List<MapRule> maps = new ArrayList<>();
        List<Pattern> exclusions = new ArrayList<>();
        for (String rule : text.split(",")) {
            String[] parts = rule.strip().split("\\s+");
            if (parts.length == 1 && parts[0].isEmpty()) {
                continue;
            }
            String verb = parts[0].toUpperCase(Locale.ROOT);
            if (verb.equals("EXCLUDE") && parts.length == 2) {
                exclusions.add(glob(parts[1]));
            } else if (verb.equals("MAP") && parts.length == 3) {
                maps.add(mapRule(parts[1], parts[2], rule));
            } else {
                throw new IllegalArgumentException("not a host rule like 'MAP host 127.0.0.1:8443' or 'EXCLUDE host': '"
                        + rule.strip() + "'");
            }
        }
        return new HostRules(maps, exclusions);
    }

    /** The rules of the last {@code --host-resolver-rules=} among Chromium switches (the one Chromium obeys). */
    public static HostRules fromChromiumArgs(List<String> args) {
        String text = "";
        for (String arg : args) {
            if (arg.startsWith(CHROMIUM_FLAG)) {
                text = arg.substring(CHROMIUM_FLAG.length());
            }
        }
        return parse(unquoted(text));
    }

    /**
     * The rules without the quotes a shell would have taken off (as the lab prints them): no shell runs between
     * Turnpike and Chromium, which would read them as part of the first and last rules.
     */
    public static String unquoted(String text) {
        boolean quoted = text.length() >= 2 && (text.startsWith("\"") && text.endsWith("\"")
                || text.startsWith("'") && text.endsWith("'"));
        return quoted ? text.substring(1, text.length() - 1) : text;
    }

    /** Applies the rules to {@code host:port} (host without brackets). */
    public Outcome apply(String host, int port) {
        String name = host.toLowerCase(Locale.ROOT);
        String withPort = (name.indexOf(':') >= 0 ? "[" + name + "]" : name) + ":" + port;
        for (Pattern exclusion : exclusions) {
            if (matches(exclusion, name, withPort)) {
                return new Unmapped();
            }
        }
        for (MapRule map : maps) {
            if (matches(map.pattern, name, withPort)) {
                if (map.host.equals(NOT_FOUND)) {
                    return new NotFound();
                }
                return new Mapped(map.host, map.port < 0 ? port : map.port);
            }
        }
        return new Unmapped();
    }

    private static boolean matches(Pattern pattern, String host, String hostAndPort) {
        return pattern.matcher(host).matches() || pattern.matcher(hostAndPort).matches();
    }

    private static MapRule mapRule(String pattern, String replacement, String rule) {
        if (replacement.equals(NOT_FOUND)) {
            return new MapRule(glob(pattern), NOT_FOUND, -1);
        }
        String host = replacement;
        int port = -1;
        int colon = replacement.lastIndexOf(':');
        boolean bracketed = replacement.startsWith("[");
        if (colon >= 0 && (!bracketed || replacement.lastIndexOf(']') < colon)
                && (bracketed || replacement.indexOf(':') == colon)) {
            host = replacement.substring(0, colon);
            try {
                port = Integer.parseInt(replacement.substring(colon + 1));
            } catch (NumberFormatException e) {
                port = 0;
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("bad port in host rule '" + rule.strip() + "'");
            }
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        if (host.isEmpty()) {
            throw new IllegalArgumentException("no replacement host in host rule '" + rule.strip() + "'");
        }
        return new MapRule(glob(pattern), host.toLowerCase(Locale.ROOT), port);
    }

    /** Chromium's MatchPattern: {@code *} any run, {@code ?} one character, case-insensitive here (names are). */
    private static Pattern glob(String pattern) {
        StringBuilder regex = new StringBuilder();
        for (char c : pattern.toLowerCase(Locale.ROOT).toCharArray()) {
            switch (c) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString());
    }

    @Override
    public String toString() {
        return "HostRules[" + maps.size() + " maps, " + exclusions.size() + " exclusions]";
    }
}
