package dev.turnpike.server.cli;

import dev.turnpike.server.build.BuildInfo;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code turnpike} command line: {@code serve}, {@code api}, {@code solver}, {@code keys …}, {@code lab}. */
@Command(name = "turnpike", mixinStandardHelpOptions = true, versionProvider = TurnpikeCommand.Version.class,
        description = "A self-hosted captcha task server.",
        subcommands = {ServeCommand.class, ApiCommand.class, SolverCommand.class, KeysCommand.class, LabCommand.class})
public final class TurnpikeCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** {@code turnpike --version}: the version and commit the jar was built from. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[]{"turnpike " + BuildInfo.current().label()};
        }
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** The command line with every setting added as an option of the commands that read settings. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new TurnpikeCommand());
        for (String role : new String[]{"serve", "api", "solver"}) {
            SettingOptions.addTo(cli.getSubcommands().get(role).getCommandSpec());
        }
        for (CommandLine keys : cli.getSubcommands().get("keys").getSubcommands().values()) {
            SettingOptions.addTo(keys.getCommandSpec());
        }
        return cli;
    }
}
