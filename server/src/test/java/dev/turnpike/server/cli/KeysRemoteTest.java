package dev.turnpike.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.server.testing.TestServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code turnpike keys … --server URL}: the same commands through a running server's admin API. */
class KeysRemoteTest {

    static final String TOKEN = "keys-remote-test-token-0123456789";

    record Run(int exit, String out, String err) {
    }

    private static Run run(String... args) {
        CommandLine cli = TurnpikeCommand.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("turnpike: " + e.getMessage());
            return 2;
        });
        int exit = cli.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void createTopUpListAndRevokeThroughTheAdminApi() throws Exception {
        try (TestServer server = TestServer.builder().setting("admin.token", TOKEN).setting("api.keyCacheTtl", "0s").start()) {
            String url = server.baseUrl().toString();
            Run created = run("keys", "create", "--server", url, "--admin-token", TOKEN, "--points", "70", "--name", "remote");
            assertThat(created.exit()).as(created.err()).isZero();
            String key = created.out().strip();
            assertThat(server.balance(key)).isEqualTo(70);

            Run topUp = run("keys", "topup", "--server", url, "--admin-token", TOKEN, key.substring(0, 8), "30");
            assertThat(topUp.exit()).as(topUp.err()).isZero();
            assertThat(topUp.out()).contains("available now: 100");

            Run list = run("keys", "list", "--server", url, "--admin-token", TOKEN);
            assertThat(list.out()).contains(key.substring(0, 8)).contains("remote").doesNotContain(key);

            Run revoke = run("keys", "revoke", "--server", url, "--admin-token", TOKEN, key);
            assertThat(revoke.exit()).as(revoke.err()).isZero();
            assertThat(server.client().call("getBalance", Map.of("clientKey", key)).path("errorCode").asText())
                    .isEqualTo("ERROR_KEY_DOES_NOT_EXIST");
        }
    }

    @Test
    void pointsAboveTenToTheFifteenAreRefusedNamingTheOption() throws Exception {
        try (TestServer server = TestServer.builder().setting("admin.token", TOKEN).start()) {
            String url = server.baseUrl().toString();
            Run created = run("keys", "create", "--server", url, "--admin-token", TOKEN, "--points",
                    String.valueOf(Long.MAX_VALUE));
            assertThat(created.exit()).isEqualTo(2);
            assertThat(created.err()).contains("--points", "10^15");
            assertThat(created.out()).isEmpty();

            String key = run("keys", "create", "--server", url, "--admin-token", TOKEN, "--points", "5").out().strip();
            Run topUp = run("keys", "topup", "--server", url, "--admin-token", TOKEN, key, String.valueOf(Long.MAX_VALUE));
            assertThat(topUp.exit()).isEqualTo(2);
            assertThat(topUp.err()).contains("POINTS", "10^15");
            assertThat(server.balance(key)).isEqualTo(5);
        }
    }

    @Test
    void aWrongTokenIsReportedAndChangesNothing() throws Exception {
        try (TestServer server = TestServer.builder().setting("admin.token", TOKEN).start()) {
            Run refused = run("keys", "create", "--server", server.baseUrl().toString(),
                    "--admin-token", "not-the-token-0123456789", "--points", "5");
            assertThat(refused.exit()).isEqualTo(2);
            assertThat(refused.err()).contains("refused the admin token");
            assertThat(server.standalone().accounts().list()).isEmpty();
        }
    }
}
