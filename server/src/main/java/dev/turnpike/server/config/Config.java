package dev.turnpike.server.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The settings of one process, validated and frozen: every declared {@link Setting} has a value.
 * Built by {@link ConfigLoader} from the command line, the environment and the file, or by tests with
 * {@link #of(Map)}.
 */
public final class Config {

    private final Map<Setting<?>, Object> values;
    private final Map<Setting<?>, String> sources;

    private Config(Map<Setting<?>, Object> values, Map<Setting<?>, String> sources) {
        this.values = Map.copyOf(values);
        this.sources = Map.copyOf(sources);
    }

    /**
     * Parses and validates every setting: {@code texts} maps file keys to texts (absent keys take their
     * default); {@code origin} says where each came from, for error messages and the start-up summary.
     *
     * @throws IllegalArgumentException naming every bad or unknown setting
     */
    static Config parse(Map<String, String> texts, Map<String, String> origin) {
        List<String> errors = new ArrayList<>();
        for (String key : texts.keySet()) {
            if (Settings.byKey(key) == null) {
                errors.add("unknown setting " + key + " (from " + origin.getOrDefault(key, "?") + ")");
            }
        }
        Map<Setting<?>, Object> values = new HashMap<>();
        Map<Setting<?>, String> sources = new HashMap<>();
        for (Setting<?> setting : Settings.all()) {
            String text = texts.getOrDefault(setting.key(), setting.defaultText());
            String source = texts.containsKey(setting.key()) ? origin.getOrDefault(setting.key(), "?") : "default";
            try {
                values.put(setting, setting.parse(text));
                sources.put(setting, source);
            } catch (IllegalArgumentException e) {
                errors.add(e.getMessage() + " (from " + source + ")");
            }
        }
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", errors));
        }
        return new Config(values, sources);
    }

    /** For tests and embedding: the defaults overridden by {@code texts} (file keys → texts). */
    public static Config of(Map<String, String> texts) {
        Map<String, String> origin = new HashMap<>();
        texts.keySet().forEach(k -> origin.put(k, "code"));
        return parse(texts, origin);
    }

    public static Config defaults() {
        return of(Map.of());
    }

    @SuppressWarnings("unchecked")
    public <T> T get(Setting<T> setting) {
        Object value = values.get(Objects.requireNonNull(setting, "setting"));
        if (value == null && !values.containsKey(setting)) {
            throw new IllegalArgumentException("undeclared setting " + setting.key());
        }
        return (T) value;
    }

    /** Where a setting's value came from: {@code default}, {@code --flag}, {@code TURNPIKE_…}, a file, or {@code code}. */
    public String source(Setting<?> setting) {
        return sources.getOrDefault(setting, "default");
    }

    /** The settings that differ from their defaults, secrets masked: for the start-up log. */
    public String describeNonDefaults() {
        StringBuilder sb = new StringBuilder();
        for (Setting<?> s : Settings.all()) {
            if (!"default".equals(source(s))) {
                if (!sb.isEmpty()) {
                    sb.append(", ");
                }
                sb.append(s.key()).append('=').append(s.secret() ? "***" : String.valueOf(values.get(s)));
            }
        }
        return sb.isEmpty() ? "all defaults" : sb.toString();
    }
}
