package dev.turnpike.server.cli;

import dev.turnpike.lab.LabMain;
import dev.turnpike.lab.LabOptions;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code turnpike lab}: the local imitation of Cloudflare, with a small demo, until interrupted. */
@Command(name = "lab", mixinStandardHelpOptions = true,
        description = {"Run the lab: a local Cloudflare (Turnstile, siteverify, challenge pages, forward proxy).",
                "Prints the Chromium flags that map the real host names to it, and its admin address."})
final class LabCommand implements Callable<Integer> {

    @Option(names = "--port", paramLabel = "N", description = "HTTPS port (default: any free port)")
    int httpsPort;

    @Option(names = "--http-port", paramLabel = "N", description = "plain HTTP port (default: any free port)")
    int httpPort;

    @Option(names = "--admin-port", paramLabel = "N", description = "admin API port (default: any free port)")
    int adminPort;

    @Option(names = "--proxy-port", paramLabel = "N", description = "forward proxy HTTP port (default: any free port)")
    int proxyPort;

    @Option(names = "--seed", paramLabel = "N",
            description = "seed for keys, ids and the certificate (same seed, same SPKI pin)")
    Long seed;

    @Override
    public Integer call() throws InterruptedException {
        LabOptions options = LabOptions.defaults().withPorts(httpsPort, httpPort, adminPort, proxyPort);
        LabMain.run(seed == null ? options : options.withSeed(seed));
        return 0;
    }
}
