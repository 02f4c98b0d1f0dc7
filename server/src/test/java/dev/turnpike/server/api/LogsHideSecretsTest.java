package dev.turnpike.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.turnpike.server.task.FailReason;
import dev.turnpike.server.task.TaskId;
import dev.turnpike.server.testing.FakeSolver;
import dev.turnpike.server.testing.TestServer;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Logs name keys by their prefix and proxies without their password. */
class LogsHideSecretsTest {

    @Test
    void noLogLineCarriesAFullKeyOrAProxyPassword() throws Exception {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        root.addAppender(logs);
        try (TestServer server = TestServer.builder().solver(FakeSolver.forAllTypes()
                .then(FakeSolver.fail(FailReason.PROXY_NOT_AUTHORISED))).start()) {
            String key = server.createKey(100);
            var api = server.client();
            String id = api.call("createTask", Map.of("clientKey", key,
                            "task", Map.of("type", "CloudFlare5STask", "websiteURL", "https://site.example",
                                    "proxy", "http://user:pw-SECRET-123@203.0.113.5:3128")))
                    .get("taskId").textValue();
            server.standalone().tasks().find(new TaskId(Long.parseLong(id))).ended().get(30, TimeUnit.SECONDS);
            api.call("createTask", Map.of("clientKey", key + "x", "task", Map.of("type", "CloudFlare5STask")));
            assertThat(logs.list).anySatisfy(e -> assertThat(e.getFormattedMessage())
                    .contains("task " + id).contains("outcome=failed").contains("reason=PROXY_NOT_AUTHORISED")
                    .contains("key=" + key.substring(0, 8)));
            for (ILoggingEvent event : logs.list) {
                String text = event.getFormattedMessage() + (event.getThrowableProxy() == null ? "" : event.getThrowableProxy().getMessage());
                assertThat(text).doesNotContain(key).doesNotContain("pw-SECRET-123");
            }
        } finally {
            root.detachAppender(logs);
        }
    }
}
