package dev.turnpike.server.browser.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.fixtures.TestClock;
import dev.turnpike.server.net.ProxySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A proxy's exit is traced once, kept for a while, shared by tasks at once; a failed trace only for its host. */
class ProxyExitsTest {

    private final TestClock clock = new TestClock(Instant.parse("2026-12-06T12:00:00Z"));
    private final ProxyExits exits = new ProxyExits(clock, Duration.ofMinutes(10), Duration.ofMinutes(1), 100);
    private final AtomicInteger traces = new AtomicInteger();

    static ProxySpec proxy(String user) {
        return new ProxySpec(ProxySpec.Scheme.HTTP, "proxy.example", 8080, user, "secret");
    }

    private ProxyExits.Trace exitIn(String country) {
        return () -> {
            traces.incrementAndGet();
            return new ProxyExit("203.0.113.9", country);
        };
    }

    private ProxyExits.Trace failing(ExitUnknown reason) {
        return () -> {
            traces.incrementAndGet();
            throw new TraceException(reason, "no trace here");
        };
    }

    @Test
    void aKnownExitCostsNoSecondTraceUntilItExpires() throws Exception {
        assertThat(exits.lookup(proxy("a"), "one.example", exitIn("DE")))
                .isEqualTo(new ProxyExits.Lookup.Known(new ProxyExit("203.0.113.9", "DE")));
        clock.advance(Duration.ofMinutes(9));
        assertThat(exits.lookup(proxy("a"), "other.example", exitIn("FR")))
                .isEqualTo(new ProxyExits.Lookup.Known(new ProxyExit("203.0.113.9", "DE")));
        assertThat(traces).hasValue(1);
        clock.advance(Duration.ofMinutes(2));
        assertThat(exits.lookup(proxy("a"), "one.example", exitIn("FR")))
                .isEqualTo(new ProxyExits.Lookup.Known(new ProxyExit("203.0.113.9", "FR")));
        assertThat(traces).hasValue(2);
    }

    @Test
    void anotherUserOfTheSameProxyIsAnotherExit() throws Exception {
        exits.lookup(proxy("a"), "one.example", exitIn("DE"));
        assertThat(exits.lookup(proxy("b"), "one.example", exitIn("JP")))
                .isEqualTo(new ProxyExits.Lookup.Known(new ProxyExit("203.0.113.9", "JP")));
        assertThat(traces).hasValue(2);
    }

    @Test
    void aFailedTraceIsKeptBrieflyAndOnlyForItsHost() throws Exception {
        assertThat(exits.lookup(proxy("a"), "plain.example", failing(ExitUnknown.NO_TRACE)))
                .isInstanceOfSatisfying(ProxyExits.Lookup.Unknown.class,
                        u -> assertThat(u.reason()).isEqualTo(ExitUnknown.NO_TRACE));
        exits.lookup(proxy("a"), "plain.example", exitIn("DE"));
        assertThat(traces).as("the same host is not asked again at once").hasValue(1);
        assertThat(exits.lookup(proxy("a"), "cloudflared.example", exitIn("DE")))
                .isInstanceOf(ProxyExits.Lookup.Known.class);
        assertThat(traces).hasValue(2);
    }

    @Test
    void aFailedTraceIsAskedAgainAfterAMinute() throws Exception {
        exits.lookup(proxy("a"), "slow.example", failing(ExitUnknown.TIMEOUT));
        clock.advance(Duration.ofSeconds(61));
        assertThat(exits.lookup(proxy("a"), "slow.example", exitIn("BR"))).isInstanceOf(ProxyExits.Lookup.Known.class);
        assertThat(traces).hasValue(2);
    }

    @Test
    void tasksThroughTheSameProxyAtOnceWaitForOneTrace() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ProxyExits.Trace slow = () -> {
            traces.incrementAndGet();
            started.countDown();
            release.await();
            return new ProxyExit("203.0.113.9", "DE");
        };
        List<Thread> threads = new ArrayList<>();
        List<ProxyExits.Lookup> results = java.util.Collections.synchronizedList(new ArrayList<>());
        threads.add(Thread.ofVirtual().start(() -> lookupInto(results, slow)));
        started.await();
        for (int i = 0; i < 7; i++) {
            threads.add(Thread.ofVirtual().start(() -> lookupInto(results, slow)));
        }
        // Those seven now wait on the flight (or, scheduled late, find the exit kept): none traces.
        release.countDown();
        for (Thread thread : threads) {
            thread.join();
        }
        assertThat(results).hasSize(8).allMatch(r -> r instanceof ProxyExits.Lookup.Known);
        assertThat(traces).hasValue(1);
    }

    private void lookupInto(List<ProxyExits.Lookup> results, ProxyExits.Trace trace) {
        try {
            results.add(exits.lookup(proxy("a"), "one.example", trace));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void aTraceNamesTheExitOnlyWithACountry() {
        assertThat(ProxyExit.parse("fl=1\nh=x\nip=198.51.100.4\nloc=de\ntls=TLSv1.3\n"))
                .contains(new ProxyExit("198.51.100.4", "DE"));
        assertThat(ProxyExit.parse("ip=198.51.100.4\nloc=XX\n")).isEmpty();
        assertThat(ProxyExit.parse("ip=198.51.100.4\nloc=T1\n")).isEmpty();
        assertThat(ProxyExit.parse("<html>not found</html>")).isEmpty();
    }
}
