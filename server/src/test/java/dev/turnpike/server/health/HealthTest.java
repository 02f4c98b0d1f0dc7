package dev.turnpike.server.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.turnpike.server.admin.AdminHttp;
import dev.turnpike.server.browser.pool.PoolStats;
import dev.turnpike.server.testing.PoolDouble;
import dev.turnpike.server.testing.TestServer;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Liveness does nothing; readiness asks the store and counts the pool's browsers, and launches nothing. */
class HealthTest {


    @Test
    void livenessAndReadinessNeedNoToken() throws Exception {
        try (TestServer server = TestServer.builder().start()) {
            AdminHttp http = new AdminHttp(server.baseUrl());
            AdminHttp.Answer live = http.get("/health/live", null);
            assertThat(live.status()).isEqualTo(200);
            AdminHttp.Answer ready = http.get("/health/ready", null);
            assertThat(ready.status()).isEqualTo(200);
            assertThat(ready.json().path("status").asText()).isEqualTo("up");
            assertThat(ready.json().path("store").asText()).isEqualTo("up");
            assertThat(ready.json().path("browsers").path("pool").asBoolean()).isFalse();
        }
    }

    @Test
    void notReadyWhileNoBrowserTakesTasks() throws Exception {
        PoolDouble pool = new PoolDouble(2);
        try (TestServer server = TestServer.builder().poolView(pool).start()) {
            AdminHttp http = new AdminHttp(server.baseUrl());
            pool.stats = new PoolStats(List.of(new PoolStats.BrowserStats(1, 10, "DRAINING", 1, 0, 0, 5)), 0, 0);
            AdminHttp.Answer draining = http.get("/health/ready", null);
            assertThat(draining.status()).isEqualTo(503);
            assertThat(draining.json().path("store").asText()).isEqualTo("up");
            assertThat(draining.json().path("browsers").path("available").asInt()).isZero();

            pool.stats = new PoolStats(List.of(new PoolStats.BrowserStats(2, 20, "READY", 1, 1, 0, 0)), 0, 1);
            AdminHttp.Answer ready = http.get("/health/ready", null);
            assertThat(ready.status()).isEqualTo(200);
            assertThat(ready.json().path("browsers").path("available").asInt()).isEqualTo(1);
            assertThat(ready.json().path("browsers").path("idleSlots").asInt()).isEqualTo(1);
        }
    }

    @Test
    void anElasticPoolWithNoBrowserIsReadyWhileItCanStartOne() throws Exception {
        PoolDouble pool = new PoolDouble(2);
        try (TestServer server = TestServer.builder().poolView(pool).start()) {
            AdminHttp http = new AdminHttp(server.baseUrl());
            pool.stats = new PoolStats(List.of(), 0, 3, 0, 2);
            AdminHttp.Answer idle = http.get("/health/ready", null);
            assertThat(idle.status()).isEqualTo(200);
            assertThat(idle.json().path("browsers").path("available").asInt()).isZero();
            assertThat(idle.json().path("browsers").path("startable").asInt()).isEqualTo(2);

            pool.stats = new PoolStats(List.of(), 0, 3, 0, 0); // its last launch failed
            assertThat(http.get("/health/ready", null).status()).isEqualTo(503);
        }
    }

    @Test
    void aStoreThatDoesNotAnswerMakesTheServerNotReady() throws Exception {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl("jdbc:h2:mem:health-" + System.nanoTime());
        HikariDataSource db = new HikariDataSource(config);
        StoreCheck check = StoreCheck.jdbc(db);
        assertThat(check.answers(Duration.ofSeconds(10))).isTrue();
        db.close();
        assertThat(check.answers(Duration.ofSeconds(10))).isFalse();

        Readiness readiness = new Readiness(timeout -> false, Optional.empty());
        Readiness.Report report = readiness.check();
        assertThat(report.ready()).isFalse();
        assertThat(report.storeUp()).isFalse();
    }

    @Test
    void aStoreThatHangsIsDownAfterTheShortTimeoutNotThePoolsLongOne() throws Exception {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl("jdbc:h2:mem:hang-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
        config.setMaximumPoolSize(1);
        config.setConnectionTimeout(30_000);
        try (HikariDataSource db = new HikariDataSource(config)) {
            StoreCheck check = StoreCheck.jdbc(db);
            try (var held = db.getConnection()) { // the only connection: the check's getConnection waits
                long start = System.nanoTime();
                assertThat(check.answers(Duration.ofMillis(300))).isFalse();
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(15));
            }
            assertThat(check.answers(Duration.ofSeconds(20))).as("answers again once a connection is free").isTrue();
        }
    }
}
