package dev.turnpike.server.browser;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Counts what a test's browsers leave behind, and only theirs (other helpers run Chromium on this
 * machine too): processes whose command line names the test's own profile root, and directories in it.
 */
public final class OwnProcesses {

    private OwnProcesses() {
    }

    /** Live (non-zombie) processes whose command line mentions {@code root}. */
    public static List<Long> mentioning(Path root) {
        String needle = root.toString();
        try (Stream<Path> dirs = Files.list(Path.of("/proc"))) {
            return dirs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
                    .filter(p -> {
                        try {
                            String stat = Files.readString(p.resolve("stat"));
                            if (stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z")) {
                                return false;
                            }
                            String cmd = new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8);
                            return cmd.contains(needle);
                        } catch (IOException | RuntimeException e) {
                            return false;
                        }
                    })
                    .map(p -> Long.parseLong(p.getFileName().toString())).toList();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Entries left in the profile root. */
    public static List<Path> profilesIn(Path root) {
        if (!Files.exists(root)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(root)) {
            return entries.toList();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
