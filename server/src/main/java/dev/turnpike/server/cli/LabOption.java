package dev.turnpike.server.cli;

import dev.turnpike.server.config.Config;
import dev.turnpike.server.config.Settings;
import dev.turnpike.server.role.LabLink;
import java.io.IOException;
import java.net.URI;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code --lab URL} read the same way by every role (serve, api, solver): the running lab's host rules, pin, names
 * and its own ports on loopback become this process's settings. Only {@code serve} can embed a lab.
 */
final class LabOption {

    static final String EMBEDDED = "embedded";

    private LabOption() {
    }

    static boolean embedded(Config config) {
        return config.get(Settings.LAB).equals(EMBEDDED);
    }

    /** The settings with an attached lab's applied; unchanged without {@code --lab} or with {@code --lab embedded}. */
    static Config attached(CommandSpec spec, Config config) throws IOException, InterruptedException {
        String lab = config.get(Settings.LAB);
        if (lab.isEmpty() || lab.equals(EMBEDDED)) {
            return config;
        }
        return SettingOptions.load(spec, LabLink.attach(URI.create(lab)).settings(config));
    }
}
