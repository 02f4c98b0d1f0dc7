package dev.turnpike.server.solver.challenge;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.turnpike.server.net.ProxySpec;
import dev.turnpike.fixtures.TestClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** What the clearance cache hands back, for whom, and for how long (on an injected clock). */
class ClearanceCacheTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant START = Instant.parse("2026-11-23T12:00:00Z");
    private static final ProxySpec PROXY_A = new ProxySpec(ProxySpec.Scheme.HTTP, "10.0.0.1", 8080, "a", "secret-a");

    private final TestClock clock = new TestClock(START);
    private final ClearanceCache cache = new ClearanceCache(clock, 2, Duration.ofMinutes(30));

    private static ObjectNode cookie(String value, Instant expires) {
        return JSON.createObjectNode().put("name", "cf_clearance").put("value", value).put("domain", ".site.test")
                .put("expires", expires == null ? -1 : expires.getEpochSecond()).put("session", expires == null);
    }

    private static ClearanceCache.Key key(String host, ProxySpec proxy, String userAgent) {
        return new ClearanceCache.Key(host, proxy, userAgent);
    }

    @Test
    void aClearanceIsHandedBackForTheSameSiteProxyAndUserAgentOnly() {
        cache.remember(key("Site.test", PROXY_A, null), cookie("c1", START.plusSeconds(3600)));

        assertThat(cache.clearanceFor(key("site.test", PROXY_A, null))).get()
                .satisfies(c -> assertThat(c.path("value").asText()).isEqualTo("c1"));
        assertThat(cache.clearanceFor(key("other.test", PROXY_A, null))).isEmpty();
        assertThat(cache.clearanceFor(key("site.test", new ProxySpec(ProxySpec.Scheme.HTTP, "10.0.0.1", 8080, "a",
                "another-password"), null))).as("other credentials: another client").isEmpty();
        assertThat(cache.clearanceFor(key("site.test", PROXY_A, "Mozilla/5.0 wanted"))).isEmpty();
    }

    @Test
    void aClearanceLivesUntilItsCookieExpiresOrMaxAgeWhicheverIsSooner() {
        cache.remember(key("soon.test", PROXY_A, null), cookie("soon", START.plusSeconds(600)));
        cache.remember(key("session.test", PROXY_A, null), cookie("session", null));

        clock.advance(Duration.ofMinutes(9));
        assertThat(cache.clearanceFor(key("soon.test", PROXY_A, null))).isPresent();
        clock.advance(Duration.ofMinutes(1));
        assertThat(cache.clearanceFor(key("soon.test", PROXY_A, null))).as("its cookie expired").isEmpty();
        assertThat(cache.clearanceFor(key("session.test", PROXY_A, null))).isPresent();
        clock.advance(Duration.ofMinutes(20));
        assertThat(cache.clearanceFor(key("session.test", PROXY_A, null))).as("maxAge passed").isEmpty();
    }

    @Test
    void reusingAClearanceDoesNotExtendItsMaxAge() {
        ClearanceCache.Key key = key("site.test", PROXY_A, null);
        cache.remember(key, cookie("c1", START.plus(Duration.ofDays(1))));
        clock.advance(Duration.ofMinutes(20));
        cache.remember(key, cookie("c1", START.plus(Duration.ofDays(1))));
        clock.advance(Duration.ofMinutes(10));

        assertThat(cache.clearanceFor(key)).isEmpty();
    }

    @Test
    void theLeastRecentlyUsedClearanceGoesFirstWhenFull() {
        cache.remember(key("one.test", PROXY_A, null), cookie("1", null));
        cache.remember(key("two.test", PROXY_A, null), cookie("2", null));
        cache.clearanceFor(key("one.test", PROXY_A, null));
        cache.remember(key("three.test", PROXY_A, null), cookie("3", null));

        assertThat(cache.clearanceFor(key("two.test", PROXY_A, null))).isEmpty();
        assertThat(cache.clearanceFor(key("one.test", PROXY_A, null))).isPresent();
        assertThat(cache.clearanceFor(key("three.test", PROXY_A, null))).isPresent();
    }

    @Test
    void anEmptyCacheKeepsNothing() {
        ClearanceCache off = ClearanceCache.off();
        off.remember(key("site.test", PROXY_A, null), cookie("c1", null));

        assertThat(off.clearanceFor(key("site.test", PROXY_A, null))).isEmpty();
        assertThat(key("site.test", PROXY_A, null).toString()).doesNotContain("secret-a");
    }
}
