package dev.turnpike.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.turnpike.server.admin.AdminHttp;
import dev.turnpike.server.metrics.Scrape;
import dev.turnpike.server.testing.FakeSolver;
import dev.turnpike.server.testing.ServeProcess;
import dev.turnpike.server.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Which build runs is visible where operators and users look, and it is the build's: the Maven project version and the
 * commit checked out, not a number written by hand. The expected version comes from the POM (surefire passes
 * {@code project.version}); the expected commit from git itself.
 */
class BuildInfoIsVisibleTest {

    static final String TOKEN = "build-info-test-token-0123456789";

    private static String expectedVersion() {
        String version = System.getProperty("turnpike.projectVersion");
        assertThat(version).as("surefire passes the POM's version").isNotBlank();
        return version;
    }

    private static String checkedOutCommit() throws Exception {
        Process git = new ProcessBuilder("git", "rev-parse", "--short=12", "HEAD").redirectErrorStream(true).start();
        String out = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(git.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(git.exitValue()).as("git rev-parse: " + out).isZero();
        return out;
    }

    @Test
    void theVersionOptionPrintsTheProjectVersionAndTheCommitItWasBuiltFrom() throws Exception {
        Process turnpike = ServeProcess.turnpike(List.of(), List.of("--version")).redirectErrorStream(true).start();
        String out = new String(turnpike.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(turnpike.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(turnpike.exitValue()).as(out).isZero();
        assertThat(out).isEqualTo("turnpike " + expectedVersion() + " (commit " + checkedOutCommit() + ")");
    }

    @Test
    void theStatusPageAndMetricsShowTheSameBuild() throws Exception {
        try (TestServer server = TestServer.builder().setting("admin.token", TOKEN).solver(FakeSolver.forAllTypes())
                .start()) {
            AdminHttp http = new AdminHttp(server.baseUrl());
            AdminHttp.Answer stats = http.get("/admin/api/stats", TOKEN);
            assertThat(stats.status()).as(stats.text()).isEqualTo(200);
            JsonNode build = stats.json().path("build");
            assertThat(build.path("version").asText()).isEqualTo(expectedVersion());
            assertThat(build.path("commit").asText()).isEqualTo(checkedOutCommit());

            Scrape metrics = new Scrape(http.get("/metrics", TOKEN).text());
            assertThat(metrics.value("turnpike_build_info", "version=" + expectedVersion(),
                    "commit=" + checkedOutCommit())).isEqualTo(1);
        }
    }
}
