package dev.turnpike.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How the scripts tell a JDK's feature version ({@code java_major} in bin/lib/common.sh, which {@code pick_jdk} asks
 * of every candidate on each {@code bin/turnpike} start): from the JDK's release file, without starting a JVM, and
 * by asking the JVM when there is no such file.
 */
class JdkVersionTest {

    @Test
    void theRunningJdkIsNamedByItsFeatureVersion() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        assertThat(CommonSh.lines("java_major", java.toString()))
                .containsExactly(Integer.toString(Runtime.version().feature()));
    }

    @Test
    void theReleaseFileIsReadWithoutStartingTheJvm(@TempDir Path jdk) throws Exception {
        // A "java" that fails when run: only the release file can have given the answer.
        Path java = fakeJava(jdk);
        Files.writeString(jdk.resolve("release"), "IMPLEMENTOR=\"Someone\"\nJAVA_VERSION=\"23.0.1\"\n"
                + "JAVA_VERSION_DATE=\"2024-10-15\"\n");
        assertThat(CommonSh.lines("java_major", java.toString())).containsExactly("23");
    }

    @Test
    void releaseFilesOfEveryVersionSchemeAreRead(@TempDir Path root) throws Exception {
        for (var release : List.of(List.of("21", "21"), List.of("1.8.0_412", "8"), List.of("26-ea", "26"))) {
            Path jdk = Files.createDirectories(root.resolve(release.get(0)));
            Path java = fakeJava(jdk);
            Files.writeString(jdk.resolve("release"), "JAVA_VERSION=\"" + release.get(0) + "\"\n");
            if (release.get(0).equals("26-ea")) {
                // Not a number followed by a dot or the end: the script asks the JVM, here one that answers.
                Files.writeString(java, "#!/bin/sh\necho '    java.specification.version = 26' >&2\n");
            }
            assertThat(CommonSh.lines("java_major", java.toString())).as(release.get(0))
                    .containsExactly(release.get(1));
        }
    }

    @Test
    void aJdkWithoutAReleaseFileIsAsked(@TempDir Path jdk) throws Exception {
        Path java = fakeJava(jdk);
        Files.writeString(java, "#!/bin/sh\necho '    java.specification.version = 22' >&2\necho 'openjdk 22' >&2\n");
        assertThat(CommonSh.lines("java_major", java.toString())).containsExactly("22");
    }

    /** {@code jdk/bin/java}, a script that fails. */
    private static Path fakeJava(Path jdk) throws Exception {
        Path java = Files.createDirectories(jdk.resolve("bin")).resolve("java");
        Files.writeString(java, "#!/bin/sh\nexit 1\n");
        assertThat(java.toFile().setExecutable(true)).isTrue();
        return java;
    }
}
