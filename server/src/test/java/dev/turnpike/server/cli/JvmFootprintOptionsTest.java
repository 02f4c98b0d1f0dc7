package dev.turnpike.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The JVM options {@code bin/turnpike} starts the server with ({@code footprint_jvm_options} in bin/lib/common.sh,
 * BENCHMARKS.md "Density"): a flag only newer JDKs have is given only to them, so the script keeps working on the
 * JDK 21 it supports, and the JDK running this test starts with what the script would give it.
 */
class JvmFootprintOptionsTest {

    private static final String COMPACT_HEADERS = "-XX:+UseCompactObjectHeaders";

    @Test
    void jdk21GetsNoCompactObjectHeadersItWouldRefuse() throws Exception {
        List<String> options = optionsFor(21);
        assertThat(options).contains("-XX:+UseSerialGC").doesNotContain(COMPACT_HEADERS);
    }

    @Test
    void jdk25GetsCompactObjectHeaders() throws Exception {
        assertThat(optionsFor(25)).contains("-XX:+UseSerialGC", COMPACT_HEADERS);
    }

    @Test
    void theRunningJdkStartsWithTheOptionsTheScriptGivesIt() throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(optionsFor(Runtime.version().feature()));
        command.add("-version");
        Process java = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(java.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(java.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(java.exitValue()).as(out).isZero();
    }

    private static List<String> optionsFor(int feature) throws IOException, InterruptedException {
        return CommonSh.lines("footprint_jvm_options", Integer.toString(feature));
    }
}
