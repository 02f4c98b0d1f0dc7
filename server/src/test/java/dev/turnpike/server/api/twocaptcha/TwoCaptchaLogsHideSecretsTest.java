package dev.turnpike.server.api.twocaptcha;

import static dev.turnpike.server.api.twocaptcha.TwoCaptchaHttp.params;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.turnpike.server.api.twocaptcha.TwoCaptchaHttp.Form;
import dev.turnpike.server.task.FailReason;
import dev.turnpike.server.task.TaskId;
import dev.turnpike.server.testing.FakeSolver;
import dev.turnpike.server.testing.TestServer;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** in.php's key and proxy password, like createTask's, never reach a log line. */
class TwoCaptchaLogsHideSecretsTest {

    @Test
    void noLogLineCarriesTheKeyOrTheProxyPasswordOfAnInPhpTask() throws Exception {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        root.addAppender(logs);
        try (TestServer server = TestServer.builder().solver(FakeSolver.forAllTypes()
                .then(FakeSolver.fail(FailReason.PROXY_NOT_AUTHORISED))).start()) {
            String key = server.createKey(100);
            TwoCaptchaHttp http = new TwoCaptchaHttp(server.baseUrl());
            String created = http.send("/in.php", Form.POST_FORM, params("key", key, "method", "turnstile",
                    "sitekey", "0x4AAAAAAAB", "pageurl", "https://site.example/", "proxytype", "HTTP",
                    "proxy", "user:pw-SECRET-123@203.0.113.5:3128")).text();
            assertThat(created).startsWith("OK|");
            String id = created.substring(3);
            server.standalone().tasks().find(new TaskId(Long.parseLong(id))).ended().get(30, TimeUnit.SECONDS);
            assertThat(http.send("/res.php", Form.GET_QUERY, params("key", key, "action", "get", "id", id)).text())
                    .isEqualTo("ERROR_PROXY_CONNECTION_FAILED");
            http.send("/in.php", Form.GET_QUERY, params("key", key + "x", "method", "turnstile"));
            assertThat(logs.list).anySatisfy(e -> assertThat(e.getFormattedMessage()).contains("task " + id)
                    .contains("reason=PROXY_NOT_AUTHORISED").contains("key=" + key.substring(0, 8)));
            for (ILoggingEvent event : logs.list) {
                String text = event.getFormattedMessage()
                        + (event.getThrowableProxy() == null ? "" : event.getThrowableProxy().getMessage());
                assertThat(text).doesNotContain(key).doesNotContain("pw-SECRET-123");
            }
        } finally {
            root.detachAppender(logs);
        }
    }
}
