package dev.turnpike.server.build;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * Which build is running: the project version and the git commit it was built from, written into the jar by the build
 * (server/pom.xml filters {@code build-info.properties}). Everything that shows a version reads it here: the version
 * option of the command line, the status page's {@code build}, the {@code turnpike_build_info} metric, and the answers
 * of future dialects that carry one (FlareSolverr's {@code version}, issue #21; 2Captcha's, issue #22).
 *
 * @param version the Maven project version, e.g. {@code 0.1.0-SNAPSHOT}
 * @param commit  the commit id (12 hex digits) of the checkout it was built in, whatever uncommitted changes that
 *                had; {@link #UNKNOWN} when built outside a git checkout
 */
public record BuildInfo(String version, String commit) {

    /** A part the build could not tell (no git checkout, or classes run without the build's resources). */
    public static final String UNKNOWN = "unknown";
    private static final String RESOURCE = "/dev/turnpike/server/build-info.properties";
    private static final BuildInfo CURRENT = read();

    /** This jar's build. */
    public static BuildInfo current() {
        return CURRENT;
    }

    /** {@code 0.1.0 (commit 1a2b3c4d5e6f)}: how the command line and the logs name the build. */
    public String label() {
        return version + " (commit " + commit + ")";
    }

    private static BuildInfo read() {
        Properties properties = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream(RESOURCE)) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
        return new BuildInfo(filled(properties.getProperty("version")), filled(properties.getProperty("commit")));
    }

    /** A value the build did not fill stays a {@code ${placeholder}}: that is unknown, not a version. */
    private static String filled(String value) {
        return value == null || value.isBlank() || value.startsWith("${") ? UNKNOWN : value.strip();
    }
}
