package dev.turnpike.server.browser.chromium;

import dev.turnpike.server.browser.identity.BrowserIdentity;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Chromium binary that answered {@code --version}. We launch the binary itself, not Debian's
 * {@code /usr/bin/chromium} wrapper, which adds flags of its own.
 *
 * @param binary  the executable
 * @param version e.g. {@code 156.0.8078.79}
 */
public record ChromiumInstallation(Path binary, String version) {

    /** Where Debian and Ubuntu put the real binary, in order of preference. */
    public static final List<Path> KNOWN_LOCATIONS = List.of(
            Path.of("/usr/lib/chromium/chromium"),
            Path.of("/usr/lib/chromium-browser/chromium-browser"),
            Path.of("/usr/lib/chromium/chrome"));

    private static final Pattern VERSION = Pattern.compile("(\\d+)\\.(\\d+)\\.(\\d+)\\.(\\d+)");

    /** The major version, e.g. 156. */
    public int major() {
        return Integer.parseInt(version.substring(0, version.indexOf('.')));
    }

    /** The desktop identity a browser of this installation presents. */
    public BrowserIdentity identity() {
        return BrowserIdentity.of(major(), version);
    }

    /**
     * Finds Chromium: {@code configured} if given (and only it), else the first known location that runs.
     */
    public static ChromiumInstallation discover(Path configured) throws ChromiumUnavailableException {
        List<Path> candidates = configured != null ? List.of(configured) : KNOWN_LOCATIONS;
        List<String> problems = new ArrayList<>();
        for (Path candidate : candidates) {
            if (!Files.isRegularFile(candidate)) {
                problems.add(candidate + ": not found");
                continue;
            }
            if (!Files.isExecutable(candidate)) {
                problems.add(candidate + ": not executable");
                continue;
            }
            try {
                return new ChromiumInstallation(candidate, askVersion(candidate));
            } catch (IOException e) {
                problems.add(candidate + ": " + e.getMessage());
            }
        }
        throw new ChromiumUnavailableException("No usable Chromium (" + String.join("; ", problems) + ").");
    }

    private static String askVersion(Path binary) throws IOException {
        Process process = new ProcessBuilder(binary.toString(), "--version").redirectErrorStream(true).start();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("--version did not answer within 20 s");
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        Matcher m = VERSION.matcher(out);
        if (process.exitValue() != 0 || !m.find()) {
            throw new IOException("--version answered " + process.exitValue() + ": "
                    + (out.length() > 200 ? out.substring(0, 200) : out));
        }
        return m.group();
    }
}
