package dev.turnpike.server.cli;

import dev.turnpike.server.config.Config;
import dev.turnpike.server.config.ConfigLoader;
import dev.turnpike.server.config.Setting;
import dev.turnpike.server.config.Settings;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/** Turns every declared {@link Setting} into a command-line option, and the parsed options into a {@link Config}. */
final class SettingOptions {

    static final String CONFIG_FLAG = "--config";
    /** The short form operators expect: {@code --store postgresql://…}. */
    static final String STORE_ALIAS = "--store";

    private SettingOptions() {
    }

    /** Adds {@code --config FILE} and one option per setting, with its help, file key, variable and default. */
    static void addTo(CommandSpec spec) {
        spec.addOption(OptionSpec.builder(CONFIG_FLAG).paramLabel("FILE").type(Path.class)
                .description("a properties file of settings (keys as below, e.g. http.port = 9000)").build());
        for (Setting<?> s : Settings.all()) {
            String def = s.secret() ? "" : " (default: " + (s.defaultText().isEmpty() ? "none" : s.defaultText()) + ")";
            String[] names = s == Settings.STORE_URL ? new String[]{s.flag(), STORE_ALIAS} : new String[]{s.flag()};
            spec.addOption(OptionSpec.builder(names).paramLabel("VALUE").type(String.class)
                    .description(s.help() + def + "; file key " + s.key() + ", env " + s.envVar())
                    .build());
        }
    }

    /** The settings from the parsed options, the environment and the config file; validated. */
    static Config load(CommandSpec spec) {
        return load(spec, Map.of());
    }

    /** As {@link #load(CommandSpec)}, with {@code derived} (file key → text) taking precedence over everything. */
    static Config load(CommandSpec spec, Map<String, String> derived) {
        Map<String, String> flags = new HashMap<>();
        for (Setting<?> s : Settings.all()) {
            OptionSpec option = spec.findOption(s.flag());
            if (option != null && option.getValue() != null) {
                flags.put(s.key(), option.getValue());
            }
        }
        flags.putAll(derived);
        OptionSpec file = spec.findOption(CONFIG_FLAG);
        return ConfigLoader.load(flags, System.getenv(), file == null ? null : file.getValue());
    }
}
