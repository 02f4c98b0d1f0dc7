package dev.turnpike.client;

import static dev.turnpike.client.Answers.CREATED;
import static dev.turnpike.client.Answers.TOKEN_READY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the client sends: the protocol's field names and types, and no secrets in text meant for logs. */
class RequestShapeTest {

    private FakeService service;
    private final FakeTime time = new FakeTime();
    private TurnpikeClient client;

    @BeforeEach
    void start() throws Exception {
        service = new FakeService().answer("createTask", CREATED).answer("getTaskResult", TOKEN_READY);
        client = TurnpikeClient.builder().baseUrl(service.baseUrl()).clientKey("key-1").clock(time).sleeper(time)
                .build();
    }

    @AfterEach
    void stop() {
        client.close();
        service.close();
    }

    private JsonNode sentTask() {
        return service.calls("createTask").getLast().body().get("task");
    }

    @Test
    void aTurnstileTaskIsSentWithTheProtocolsFieldNames() {
        client.solveTurnstile("https://site.test/login", "0x4AAAAAAA", TurnstileOptions.none().withAction("login")
                .withCData("c-data").withChlPageData("page-data").withUserAgent("UA-wanted"));

        JsonNode body = service.calls("createTask").getFirst().body();
        assertThat(body.get("clientKey").asText()).isEqualTo("key-1");
        JsonNode task = body.get("task");
        assertThat(task.get("type").asText()).isEqualTo("TurnstileTaskProxyless");
        assertThat(task.get("websiteURL").asText()).isEqualTo("https://site.test/login");
        assertThat(task.get("websiteKey").asText()).isEqualTo("0x4AAAAAAA");
        assertThat(task.get("action").asText()).isEqualTo("login");
        assertThat(task.get("cData").asText()).isEqualTo("c-data");
        assertThat(task.get("chlPageData").asText()).isEqualTo("page-data");
        assertThat(task.get("userAgent").asText()).isEqualTo("UA-wanted");
        assertThat(task.has("proxy")).isFalse();
        assertThat(service.calls("getTaskResult").getFirst().body().get("clientKey").asText()).isEqualTo("key-1");
    }

    @Test
    void theTurnstileTypeFollowsTheOptions() {
        client.solveTurnstile("https://site.test/", "0x4AAA", TurnstileOptions.none().withFullMode(true));
        assertThat(sentTask().get("type").asText()).isEqualTo("TurnstileTaskProxylessM1");

        client.solveTurnstile("https://site.test/", "0x4AAA", TurnstileOptions.none().withProxy("http://u:p@10.1.1.1:8080"));
        assertThat(sentTask().get("type").asText()).isEqualTo("TurnstileTask");
        assertThat(sentTask().get("proxy").asText()).isEqualTo("http://u:p@10.1.1.1:8080");

        assertThatThrownBy(() -> TurnstileOptions.none().withProxy("http://u:p@h:1").withFullMode(true))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aChallengeTaskKeepsRqDataValuesTheirJsonTypes() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("name1", "value1");
        fields.put("name2", 123456);
        fields.put("flags", List.of(true, false));
        client.solveChallenge("https://site.test/", "http://u:p@10.1.1.1:3128", RqData.json(fields));

        JsonNode task = sentTask();
        assertThat(task.get("type").asText()).isEqualTo("CloudFlare5STask");
        assertThat(task.get("websiteURL").asText()).isEqualTo("https://site.test/");
        assertThat(task.get("proxy").asText()).isEqualTo("http://u:p@10.1.1.1:3128");
        assertThat(task.get("rqData").toString())
                .isEqualTo("{\"mode\":\"JSON\",\"name1\":\"value1\",\"name2\":123456,\"flags\":[true,false]}");
        assertThat(task.has("userAgent")).isFalse();
    }

    @Test
    void aChallengeTaskCarriesFormModeAndUserAgent() {
        client.solve(ChallengeTask.of("https://site.test/", "1.2.3.4:8080:u:p")
                .withRqData(RqData.form(Map.of("q", "x"))).withUserAgent("UA-x"));

        assertThat(sentTask().get("rqData").get("mode").asText()).isEqualTo("FORM");
        assertThat(sentTask().get("userAgent").asText()).isEqualTo("UA-x");
    }

    @Test
    void aBaseUrlWithAPathAndATrailingSlashIsJoinedOnce() throws Exception {
        URI base = URI.create(service.baseUrl() + "/api/v1/");
        try (TurnpikeClient prefixed = TurnpikeClient.builder().baseUrl(base).clientKey("key-1").clock(time)
                .sleeper(time).build()) {
            service.answer("getBalance", "{\"errorId\":0,\"balance\":5}");
            prefixed.getBalance();
        }
        assertThat(service.calls("getBalance").getFirst().path()).isEqualTo("/api/v1/getBalance");
    }

    @Test
    void textMeantForLogsHidesTheKeyAndProxyPasswords() {
        assertThat(client.toString()).doesNotContain("key-1");
        assertThat(ChallengeTask.of("https://s/", "http://user:s3cret@10.1.1.1:3128").toString())
                .doesNotContain("s3cret").contains("user:***@10.1.1.1:3128");
        assertThat(ChallengeTask.of("https://s/", "user:s3cret@10.1.1.1:3128").toString()).doesNotContain("s3cret");
        assertThat(ChallengeTask.of("https://s/", "10.1.1.1:3128:user:s3cret").toString()).doesNotContain("s3cret");
        assertThat(ChallengeTask.of("https://s/", "socks5:10.1.1.1:3128:user:s3cret").toString())
                .doesNotContain("s3cret");
        assertThat(TurnstileOptions.none().withProxy("socks5://u:s3cret@h:1").toString()).doesNotContain("s3cret");
        assertThat(TurnstileTask.of("https://s/", "0x4A", TurnstileOptions.none().withProxy("socks5://u:s3cret@h:1"))
                .toString()).doesNotContain("s3cret");
    }

    @Test
    void theBuilderRefusesIncompleteOrWrongSettings() {
        assertThatThrownBy(() -> TurnpikeClient.builder().clientKey("k").build()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> TurnpikeClient.builder().baseUrl(URI.create("http://h")).build())
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> TurnpikeClient.builder().baseUrl(URI.create("ftp://h")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TurnpikeClient.builder().clientKey(" ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TurnpikeClient.builder().pollInterval(java.time.Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RqData.json(Map.of("mode", "x"))).isInstanceOf(IllegalArgumentException.class);
    }
}
