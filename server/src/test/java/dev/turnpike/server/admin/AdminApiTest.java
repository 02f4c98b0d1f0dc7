package dev.turnpike.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.turnpike.server.task.FailReason;
import dev.turnpike.server.task.TaskId;
import dev.turnpike.server.testing.FakeSolver;
import dev.turnpike.server.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The admin API: the token on every path, and every action. */
class AdminApiTest {

    static final String TOKEN = "admin-api-test-token-0123456789";
    static TestServer server;
    static AdminHttp http;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.builder().setting("admin.token", TOKEN).setting("api.keyCacheTtl", "0s")
                .solver(FakeSolver.forAllTypes()).start();
        http = new AdminHttp(server.baseUrl());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static JsonNode ok(AdminHttp.Answer answer) {
        assertThat(answer.status()).as(answer.text()).isEqualTo(200);
        assertThat(answer.headers().firstValue("Cache-Control")).contains("no-store");
        return answer.json();
    }

    private static JsonNode createTask(String key, Map<String, Object> task) {
        return server.client().call("createTask", Map.of("clientKey", key, "task", task));
    }

    private static Map<String, Object> turnstile() {
        return Map.of("type", "TurnstileTaskProxyless", "websiteURL", "https://site.example/", "websiteKey", "0x4AAAAAAAB");
    }

    @Test
    void everyAdminPathRefusesAMissingOrWrongToken() {
        List<String[]> calls = List.of(new String[]{"GET", "/admin/api/stats"}, new String[]{"GET", "/admin/api/keys"},
                new String[]{"POST", "/admin/api/keys/create"}, new String[]{"POST", "/admin/api/keys/topup"},
                new String[]{"POST", "/admin/api/keys/revoke"}, new String[]{"GET", "/admin/api/nothing-here"},
                new String[]{"GET", "/metrics"});
        int before = server.standalone().accounts().list().size();
        for (String[] call : calls) {
            for (String token : new String[]{null, "", "wrong-token-0123456789", TOKEN + "x", TOKEN.substring(1)}) {
                AdminHttp.Answer answer = http.send(call[0], call[1], call[0].equals("POST") ? "{\"points\":5}" : null, token);
                assertThat(answer.status()).as(call[0] + " " + call[1] + " with " + token).isEqualTo(401);
                assertThat(answer.headers().firstValue("WWW-Authenticate").orElse("")).startsWith("Bearer");
                if (call[0].equals("POST")) {
                    // the body was read and thrown away: the connection serves the client's next request
                    assertThat(answer.headers().firstValue("Connection")).isEmpty();
                }
            }
        }
        assertThat(server.standalone().accounts().list()).as("nothing was created").hasSize(before);
    }

    @Test
    void aKeyCreatedThroughTheApiWorksAndIsShownOnlyOnce() {
        JsonNode created = ok(http.post("/admin/api/keys/create", Map.of("name", "api client", "points", 100), TOKEN));
        String key = created.path("key").asText();
        assertThat(key).startsWith(created.path("keyPrefix").asText()).hasSizeGreaterThan(20);
        assertThat(server.balance(key)).isEqualTo(100);
        JsonNode task = createTask(key, turnstile());
        assertThat(task.path("errorId").asInt()).as(task.toString()).isZero();

        AdminHttp.Answer list = http.get("/admin/api/keys", TOKEN);
        assertThat(list.text()).doesNotContain(key).contains(created.path("keyPrefix").asText()).contains("api client");
        AdminHttp.Answer stats = http.get("/admin/api/stats", TOKEN);
        assertThat(stats.text()).doesNotContain(key);
    }

    @Test
    void topUpAddsPointsByPrefixOrFullKey() {
        String key = server.createKey(10);
        String prefix = key.substring(0, 8);
        JsonNode byPrefix = ok(http.post("/admin/api/keys/topup", Map.of("key", prefix, "points", 40), TOKEN));
        assertThat(byPrefix.path("available").asLong()).isEqualTo(50);
        ok(http.post("/admin/api/keys/topup", Map.of("key", key, "points", "5"), TOKEN));
        assertThat(server.balance(key)).isEqualTo(55);
    }

    @Test
    void aRevokedKeyStopsWorking() {
        String key = server.createKey(100);
        JsonNode revoked = ok(http.post("/admin/api/keys/revoke", Map.of("key", key.substring(0, 8)), TOKEN));
        assertThat(revoked.path("active").asBoolean()).isFalse();
        assertThat(createTask(key, turnstile()).path("errorCode").asText()).isEqualTo("ERROR_KEY_DOES_NOT_EXIST");
        JsonNode keys = ok(http.get("/admin/api/keys", TOKEN));
        assertThat(keys.findValuesAsText("keyPrefix")).contains(key.substring(0, 8));
    }

    @Test
    void pointsAboveTenToTheFifteenAreRefusedNamingTheFieldAndTheBalanceStaysExact() {
        AdminHttp.Answer huge = http.post("/admin/api/keys/create", Map.of("points", Long.MAX_VALUE), TOKEN);
        assertThat(huge.status()).isEqualTo(400);
        assertThat(huge.json().path("error").asText()).contains("points", "10^15");

        JsonNode created = ok(http.post("/admin/api/keys/create", Map.of("points", 1_000_000_000_000_000L), TOKEN));
        String key = created.path("key").asText();
        AdminHttp.Answer overflow = http.post("/admin/api/keys/topup", Map.of("key", key, "points", Long.MAX_VALUE), TOKEN);
        assertThat(overflow.status()).isEqualTo(400);
        assertThat(overflow.json().path("error").asText()).contains("points");
        AdminHttp.Answer overMax = http.post("/admin/api/keys/topup", Map.of("key", key, "points", 1), TOKEN);
        assertThat(overMax.status()).isEqualTo(400);
        assertThat(overMax.json().path("error").asText()).contains("points", "balance");

        assertThat(server.balance(key)).isEqualTo(1_000_000_000_000_000L);
    }

    @Test
    void badInputIsRefusedWithAReason() {
        assertThat(http.post("/admin/api/keys/create", Map.of("points", -1), TOKEN).status()).isEqualTo(400);
        assertThat(http.post("/admin/api/keys/create", Map.of("points", "lots"), TOKEN).status()).isEqualTo(400);
        assertThat(http.send("POST", "/admin/api/keys/create", "[1,2]", TOKEN).status()).isEqualTo(400);
        assertThat(http.send("POST", "/admin/api/keys/create", "{not json", TOKEN).status()).isEqualTo(400);
        AdminHttp.Answer noPoints = http.post("/admin/api/keys/topup", Map.of("key", "abcdefgh"), TOKEN);
        assertThat(noPoints.status()).isEqualTo(400);
        assertThat(noPoints.json().path("error").asText()).contains("points");
        AdminHttp.Answer unknown = http.post("/admin/api/keys/revoke", Map.of("key", "zzzzzzzz"), TOKEN);
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.json().path("error").asText()).contains("no key matches");
        assertThat(http.post("/admin/api/keys/revoke", Map.of(), TOKEN).status()).isEqualTo(400);
        assertThat(http.get("/admin/api/keys/create", TOKEN).status()).isEqualTo(405);
        assertThat(http.post("/admin/api/stats", Map.of(), TOKEN).status()).isEqualTo(405);
        assertThat(http.get("/admin/api/nothing-here", TOKEN).status()).isEqualTo(404);
    }

    @Test
    void statsShowTheQueueTheLatestTasksAndFailuresWithoutSecrets() throws Exception {
        String key = server.createKey(1000);
        server.solver().then(FakeSolver.fail(FailReason.PROXY_NOT_AUTHORISED));
        String failedId = createTask(key, Map.of("type", "CloudFlare5STask", "websiteURL", "https://site.example/",
                "proxy", "http://user:pw-SECRET-42@203.0.113.5:3128")).path("taskId").asText();
        String readyId = createTask(key, turnstile()).path("taskId").asText();
        for (String id : List.of(failedId, readyId)) {
            server.standalone().tasks().find(new TaskId(Long.parseLong(id))).ended().get(30, TimeUnit.SECONDS);
        }
        AdminHttp.Answer answer = http.get("/admin/api/stats", TOKEN);
        JsonNode stats = ok(answer);
        assertThat(answer.text()).doesNotContain(key).doesNotContain("pw-SECRET-42");
        assertThat(stats.path("queue").path("capacity").asInt()).isEqualTo(1000);
        assertThat(stats.path("totals").path("ready").asLong()).isGreaterThanOrEqualTo(1);
        assertThat(stats.path("latest").findValuesAsText("taskId")).contains(failedId, readyId);
        JsonNode failure = stats.path("failures").get(0);
        assertThat(failure.path("taskId").asText()).isEqualTo(failedId);
        assertThat(failure.path("reason").asText()).isEqualTo("PROXY_NOT_AUTHORISED");
        assertThat(failure.path("errorCode").asText()).isEqualTo("ERROR_PROXY_NOT_AUTHORISED");
        assertThat(failure.path("keyPrefix").asText()).isEqualTo(key.substring(0, 8));
        assertThat(stats.path("timeline").path("slices")).hasSize(60);
        assertThat(stats.path("latency")).isNotEmpty();
        assertThat(stats.path("pool").isNull()).isTrue();
        assertThat(stats.path("keys").findValuesAsText("keyPrefix")).contains(key.substring(0, 8));
    }

    @Test
    void theStatusPageIsServedWithAPolicyThatKeepsItOnThisOrigin() {
        AdminHttp.Answer page = http.get("/admin", null);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
        assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow())
                .contains("default-src 'none'").contains("connect-src 'self'");
        assertThat(page.text()).contains("/admin/status.js").doesNotContain("http://").doesNotContain("https://");
        assertThat(http.get("/admin/status.js", null).status()).isEqualTo(200);
        assertThat(http.get("/admin/status.css", null).status()).isEqualTo(200);
        assertThat(http.get("/admin/status.js", null).text()).doesNotContain("http://").doesNotContain("https://");
    }

    @Test
    void withoutATokenSettingOneIsGeneratedIntoTheDataDirectoryReadableOnlyByItsOwner(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        try (TestServer generated = TestServer.builder().dataDir(dir).start()) {
            Path file = dir.resolve(AdminToken.FILE_NAME);
            assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
            String token = Files.readString(file).strip();
            assertThat(token).hasSizeGreaterThanOrEqualTo(40);
            AdminHttp other = new AdminHttp(generated.baseUrl());
            assertThat(other.get("/admin/api/keys", token).status()).isEqualTo(200);
            assertThat(other.get("/admin/api/keys", TOKEN).status()).isEqualTo(401);
        }
        try (TestServer again = TestServer.builder().dataDir(dir).start()) {
            String token = Files.readString(dir.resolve(AdminToken.FILE_NAME)).strip();
            assertThat(new AdminHttp(again.baseUrl()).get("/admin/api/keys", token).status())
                    .as("the same token after a restart").isEqualTo(200);
        }
    }

    @Test
    void aShortTokenSettingIsRefusedAtStart() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> TestServer.builder().setting("admin.token", "short").start())
                .hasMessageContaining("admin token").hasMessageNotContaining("short\"");
    }

    @Test
    void credentialsInUrlsAreRedacted() {
        assertThat(RecentTasks.redact("proxy http://user:pw@1.2.3.4:8080 refused; socks5://a:b@h:1"))
                .isEqualTo("proxy http://***@1.2.3.4:8080 refused; socks5://***@h:1");
        assertThat(RecentTasks.redact("https://site.example/path@x")).isEqualTo("https://site.example/path@x");
    }
}
