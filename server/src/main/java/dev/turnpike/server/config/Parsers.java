package dev.turnpike.server.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Text → value conversions for settings; each throws {@link IllegalArgumentException} saying what is wrong. */
final class Parsers {

    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)");

    private Parsers() {
    }

    static Function<String, Integer> intIn(int min, int max) {
        return text -> {
            int value;
            try {
                value = Integer.parseInt(text);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a whole number: '" + text + "'");
            }
            if (value < min || value > max) {
                throw new IllegalArgumentException(value + " is outside " + min + ".." + max);
            }
            return value;
        };
    }

    static Function<String, Long> longIn(long min, long max) {
        return text -> {
            long value;
            try {
                value = Long.parseLong(text);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a whole number: '" + text + "'");
            }
            if (value < min || value > max) {
                throw new IllegalArgumentException(value + " is outside " + min + ".." + max);
            }
            return value;
        };
    }

    static Function<String, Boolean> bool() {
        return text -> switch (text.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on", "1" -> true;
            case "false", "no", "off", "0" -> false;
            default -> throw new IllegalArgumentException("not true or false: '" + text + "'");
        };
    }

    /** {@code 120s}, {@code 5m}, {@code 250ms}, {@code 1h}; at least {@code min}. */
    static Function<String, Duration> durationAtLeast(Duration min) {
        return text -> {
            Matcher m = DURATION.matcher(text.toLowerCase(Locale.ROOT));
            if (!m.matches()) {
                throw new IllegalArgumentException("not a duration like 120s, 5m or 250ms: '" + text + "'");
            }
            long n = Long.parseLong(m.group(1));
            Duration d = switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofHours(n);
            };
            if (d.compareTo(min) < 0) {
                throw new IllegalArgumentException(text + " is shorter than " + min.toMillis() + "ms");
            }
            return d;
        };
    }

    static Function<String, String> string() {
        return text -> text;
    }

    static Function<String, String> oneOf(String... allowed) {
        Set<String> set = Set.of(allowed);
        return text -> {
            if (!set.contains(text)) {
                throw new IllegalArgumentException("'" + text + "' is not one of " + String.join(", ", allowed));
            }
            return text;
        };
    }

    /** Comma-separated, blanks dropped. */
    static Function<String, List<String>> list() {
        return text -> text.isBlank() ? List.of()
                : Arrays.stream(text.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    /** Words separated by white space (for command-line switches, which may contain commas). */
    static Function<String, List<String>> words() {
        return text -> text.isBlank() ? List.of() : Arrays.stream(text.strip().split("\\s+")).toList();
    }

    /** A path; {@code ~} at the start means the user's home. */
    static Function<String, Path> path() {
        return text -> {
            if (text.isEmpty()) {
                throw new IllegalArgumentException("empty path");
            }
            String expanded = text.equals("~") || text.startsWith("~/")
                    ? System.getProperty("user.home") + text.substring(1) : text;
            return Path.of(expanded).toAbsolutePath().normalize();
        };
    }
}
