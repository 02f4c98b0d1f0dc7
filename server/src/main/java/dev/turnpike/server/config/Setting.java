package dev.turnpike.server.config;

import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;

/**
 * One setting, declared once: its file key (e.g. {@code http.port}), from which the command-line flag
 * ({@code --http-port}) and the environment variable ({@code TURNPIKE_HTTP_PORT}) follow, its default as
 * written in a file, how a text becomes a value (throwing {@link IllegalArgumentException} with a reason
 * when the text is not valid), and a help line.
 *
 * @param key          the file key; lower case, words separated by dots or dashes
 * @param defaultText  the default as text, parsed like any other source ({@code ""} for empty)
 * @param parser       text → value, validating
 * @param help         one line for {@code --help}
 * @param secret       never printed (e.g. a database password)
 */
public record Setting<T>(String key, String defaultText, Function<String, T> parser, String help, boolean secret) {

    public Setting {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(defaultText, "defaultText");
        Objects.requireNonNull(parser, "parser");
        Objects.requireNonNull(help, "help");
        if (!key.matches("[a-z][a-zA-Z0-9]*([.-][a-zA-Z0-9]+)*")) {
            throw new IllegalArgumentException("bad setting key: " + key);
        }
    }

    /** The command-line flag: {@code http.port} → {@code --http-port}; camelCase becomes kebab-case. */
    public String flag() {
        return "--" + key.replace('.', '-').replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    /** The environment variable: {@code http.port} → {@code TURNPIKE_HTTP_PORT}. */
    public String envVar() {
        return "TURNPIKE_" + flag().substring(2).replace('-', '_').toUpperCase(Locale.ROOT);
    }

    /** Parses a text, naming this setting in the error. */
    public T parse(String text) {
        try {
            return parser.apply(text.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("setting " + key + " (" + flag() + "): " + e.getMessage(), e);
        }
    }
}
