package dev.turnpike.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Calls a function of bin/lib/common.sh, the scripts' shared library, as bin/turnpike does. */
final class CommonSh {

    private static final Path COMMON_SH = Path.of("..", "bin", "lib", "common.sh").toAbsolutePath().normalize();

    private CommonSh() {
    }

    /** The non-blank lines the function prints; it must succeed. */
    static List<String> lines(String function, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("bash", "-c", "source \"$0\" && " + function + " \"$@\"",
                COMMON_SH.toString()));
        command.addAll(List.of(args));
        Process bash = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(bash.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(bash.exitValue()).as(out).isZero();
        return out.lines().filter(line -> !line.isBlank()).toList();
    }
}
