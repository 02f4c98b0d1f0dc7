package dev.turnpike.server.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * Builds a {@link Config} from its sources. The precedence, highest first, is written down here and only here:
 * <ol>
 *   <li>command-line flags ({@code --http-port 9000})</li>
 *   <li>environment variables ({@code TURNPIKE_HTTP_PORT=9000})</li>
 *   <li>the config file given by {@code --config} (Java properties, {@code http.port = 9000})</li>
 *   <li>the defaults declared in {@link Settings}</li>
 * </ol>
 */
public final class ConfigLoader {

    private ConfigLoader() {
    }

    /**
     * @param flags file key → text, from the command line
     * @param env   the process environment (only {@code TURNPIKE_…} names are read)
     * @param file  a properties file, or null
     * @throws IllegalArgumentException a setting is unknown or invalid, or the file cannot be read
     */
    public static Config load(Map<String, String> flags, Map<String, String> env, Path file) {
        Map<String, String> texts = new HashMap<>();
        Map<String, String> origin = new HashMap<>();
        if (file != null) {
            Properties props = new Properties();
            try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                props.load(reader);
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read config file " + file + ": " + e.getMessage(), e);
            }
            for (String key : props.stringPropertyNames()) {
                texts.put(key, props.getProperty(key));
                origin.put(key, file.toString());
            }
        }
        for (Setting<?> setting : Settings.all()) {
            String value = env.get(setting.envVar());
            if (value != null) {
                texts.put(setting.key(), value);
                origin.put(setting.key(), setting.envVar());
            }
        }
        for (Map.Entry<String, String> flag : flags.entrySet()) {
            texts.put(flag.getKey(), flag.getValue());
            Setting<?> setting = Settings.byKey(flag.getKey());
            origin.put(flag.getKey(), setting == null ? flag.getKey() : setting.flag());
        }
        return Config.parse(texts, origin);
    }
}
