package dev.turnpike.server;

import dev.turnpike.server.cli.TurnpikeCommand;
import picocli.CommandLine;

/** Entry point of the turnpike command line. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        // H2's AUTO_SERVER (keys commands while serve runs) must listen and connect on loopback only.
        System.setProperty("h2.bindAddress", "127.0.0.1");
        CommandLine cli = TurnpikeCommand.commandLine();
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof IllegalArgumentException) {
                commandLine.getErr().println("turnpike: " + e.getMessage());
                return 2;
            }
            throw e;
        });
        System.exit(cli.execute(args));
    }
}
