package dev.turnpike.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.turnpike.server.task.TaskType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigTest {

    @Test
    void defaultsAreTheDocumentedOnes() {
        Config c = Config.defaults();
        assertThat(c.get(Settings.HTTP_HOST)).isEqualTo("127.0.0.1");
        assertThat(c.get(Settings.HTTP_MAX_BODY_BYTES)).isEqualTo(65536);
        assertThat(c.get(Settings.TASK_DEADLINE)).isEqualTo(Duration.ofSeconds(120));
        assertThat(c.get(Settings.PRICES.get(TaskType.TURNSTILE_PROXYLESS))).isEqualTo(15L);
        assertThat(c.get(Settings.PRICES.get(TaskType.TURNSTILE_PROXYLESS_M1))).isEqualTo(30L);
        assertThat(c.get(Settings.PRICES.get(TaskType.CLOUDFLARE_CHALLENGE))).isEqualTo(20L);
        assertThat(c.get(Settings.DATA_DIR)).isEqualTo(Path.of(System.getProperty("user.home"), ".turnpike"));
    }

    @Test
    void flagsAndVariablesFollowFromTheKey() {
        assertThat(Settings.HTTP_MAX_BODY_BYTES.flag()).isEqualTo("--http-max-body-bytes");
        assertThat(Settings.HTTP_MAX_BODY_BYTES.envVar()).isEqualTo("TURNPIKE_HTTP_MAX_BODY_BYTES");
        assertThat(Settings.PRICES.get(TaskType.CLOUDFLARE_CHALLENGE).flag()).isEqualTo("--price-challenge");
        assertThat(Settings.PRICES.get(TaskType.TURNSTILE_PROXYLESS_M1).flag()).isEqualTo("--price-turnstile-m1");
        Set<String> flags = new HashSet<>();
        Settings.all().forEach(s -> assertThat(flags.add(s.flag())).as("unique flag %s", s.flag()).isTrue());
    }

    @Test
    void commandLineBeatsEnvironmentBeatsFileBeatsDefault(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("turnpike.properties");
        Files.writeString(file, "http.port = 7000\nqueue.capacity = 7\nworkers = 7\n");
        Config c = ConfigLoader.load(Map.of("http.port", "9000"),
                Map.of("TURNPIKE_HTTP_PORT", "8000", "TURNPIKE_QUEUE_CAPACITY", "8", "UNRELATED", "x"), file);
        assertThat(c.get(Settings.HTTP_PORT)).isEqualTo(9000);
        assertThat(c.get(Settings.QUEUE_CAPACITY)).isEqualTo(8);
        assertThat(c.get(Settings.WORKERS)).isEqualTo(7);
        assertThat(c.get(Settings.NODE_ID)).isZero();
        assertThat(c.source(Settings.HTTP_PORT)).isEqualTo("--http-port");
        assertThat(c.source(Settings.QUEUE_CAPACITY)).isEqualTo("TURNPIKE_QUEUE_CAPACITY");
    }

    @Test
    void invalidValuesAreRefusedAtStartNamingEveryOne() {
        assertThatThrownBy(() -> Config.of(Map.of("http.port", "70000", "task.deadline", "soon", "net.allowNetworks", "10.0.0.0/40")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("http.port").hasMessageContaining("task.deadline").hasMessageContaining("net.allowNetworks");
    }

    @Test
    void unknownFileKeysAreRefused() {
        assertThatThrownBy(() -> Config.of(Map.of("http.prot", "1"))).hasMessageContaining("unknown setting http.prot");
    }

    @Test
    void retentionCannotGoBelowTheProtocolMinimum() {
        assertThatThrownBy(() -> Config.of(Map.of("task.retention", "4m"))).hasMessageContaining("task.retention");
        assertThatThrownBy(() -> Config.of(Map.of("task.retentionAfterEnd", "59s"))).hasMessageContaining("task.retentionAfterEnd");
    }

    @Test
    void listsAndDurationsParse() {
        Config c = Config.of(Map.of("net.allowHosts", "*.lab.test, localhost ,", "task.deadline", "90s",
                "api.taskIdInvalidCode", "ERROR_NO_SUCH_CAPCHA_ID"));
        assertThat(c.get(Settings.ALLOW_HOSTS)).isEqualTo(List.of("*.lab.test", "localhost"));
        assertThat(c.get(Settings.TASK_DEADLINE)).isEqualTo(Duration.ofSeconds(90));
        assertThat(c.get(Settings.TASKID_INVALID_CODE)).isEqualTo("ERROR_NO_SUCH_CAPCHA_ID");
    }

    @Test
    void secretsAreMaskedInTheSummary() {
        assertThat(Config.of(Map.of("store.password", "hunter2")).describeNonDefaults()).doesNotContain("hunter2");
    }
}
