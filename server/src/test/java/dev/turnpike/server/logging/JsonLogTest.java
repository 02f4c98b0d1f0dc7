package dev.turnpike.server.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.turnpike.server.task.FailReason;
import dev.turnpike.server.task.TaskId;
import dev.turnpike.server.testing.FakeSolver;
import dev.turnpike.server.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** log.format=json: one JSON object per line; one line per task end with its fields; no key, no proxy password. */
class JsonLogTest {

    @Test
    void everyTaskEndIsOneJsonLineWithItsFieldsAndNoSecrets() throws Exception {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        root.addAppender(logs);
        List<String> ids = new ArrayList<>();
        String key;
        try (TestServer server = TestServer.builder().solver(FakeSolver.forAllTypes()
                .then(FakeSolver.fail(FailReason.PROXY_NOT_AUTHORISED))).start()) {
            key = server.createKey(100);
            ids.add(server.client().call("createTask", Map.of("clientKey", key, "task", Map.of("type", "CloudFlare5STask",
                    "websiteURL", "https://site.example/", "proxy", "socks5://user:pw-SECRET-77@203.0.113.5:1080")))
                    .path("taskId").asText());
            ids.add(server.client().call("createTask", Map.of("clientKey", key, "task", Map.of("type",
                    "TurnstileTaskProxyless", "websiteURL", "https://site.example/", "websiteKey", "0x4AAAAAAAB")))
                    .path("taskId").asText());
            for (String id : ids) {
                server.standalone().tasks().find(new TaskId(Long.parseLong(id))).ended().get(30, TimeUnit.SECONDS);
            }
        } finally {
            root.detachAppender(logs);
        }

        JsonEncoder encoder = LogFormat.jsonEncoder(context);
        ObjectMapper json = new ObjectMapper();
        Map<String, List<Map<String, String>>> endsByTask = new HashMap<>();
        for (ILoggingEvent event : logs.list) {
            String line = new String(encoder.encode(event), StandardCharsets.UTF_8);
            assertThat(line).endsWith("\n").doesNotContain(key).doesNotContain("pw-SECRET-77");
            assertThat(line.strip()).doesNotContain("\n");
            JsonNode node = json.readTree(line);
            Map<String, String> fields = new HashMap<>();
            node.path("kvpList").forEach(pair -> pair.fields().forEachRemaining(f -> fields.put(f.getKey(), f.getValue().asText())));
            if (fields.containsKey("taskId") && fields.containsKey("outcome")) {
                endsByTask.computeIfAbsent(fields.get("taskId"), k -> new ArrayList<>()).add(fields);
                assertThat(node.path("level").asText()).isEqualTo("INFO");
                assertThat(node.path("formattedMessage").asText()).startsWith("task " + fields.get("taskId"));
            }
        }
        assertThat(endsByTask.keySet()).containsExactlyInAnyOrderElementsOf(ids);
        Map<String, String> failed = endsByTask.get(ids.get(0)).getFirst();
        assertThat(endsByTask.get(ids.get(0))).as("exactly one line per task end").hasSize(1);
        assertThat(failed).containsEntry("type", "CloudFlare5STask").containsEntry("outcome", "failed")
                .containsEntry("reason", "PROXY_NOT_AUTHORISED").containsKey("durationMs");
        Map<String, String> ready = endsByTask.get(ids.get(1)).getFirst();
        assertThat(endsByTask.get(ids.get(1))).hasSize(1);
        assertThat(ready).containsEntry("type", "TurnstileTaskProxyless").containsEntry("outcome", "ready")
                .containsEntry("reason", "-");
    }
}
