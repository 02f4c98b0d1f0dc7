package dev.turnpike.lab.origin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.fixtures.TestClock;
import dev.turnpike.lab.core.ChallengeLoop;
import dev.turnpike.lab.core.HostKind;
import dev.turnpike.lab.core.LabRandom;
import dev.turnpike.lab.core.Sealer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The gate alone, on an injected clock: every refusal has its reason. */
class ClearanceGateTest {

    static final String UA = "Mozilla/5.0 test";
    final TestClock clock = new TestClock(Instant.parse("2026-11-23T12:00:00Z"));
    final Sealer sealer = new Sealer("gate-test-key-0123456789abcdef0123456789".getBytes(StandardCharsets.UTF_8),
            new LabRandom(1));
    final ClearanceGate gate = new ClearanceGate(sealer, clock);
    final OriginHost host = OriginHost.of("shop.lab.test", HostKind.PROTECTED);

    String cookie(String zone, String ua, String ip, long exp) {
        return new Clearance(zone, Hashes.uaHash(ua), ip, exp).toCookieValue(sealer,
                clock.instant().getEpochSecond(), new SplittableRandom(2));
    }

    long inSeconds(long s) {
        return clock.instant().getEpochSecond() + s;
    }

    @Test
    void genuineBoundClearancePasses() {
        assertThat(gate.check(host, cookie("shop.lab.test", UA, "203.0.113.7", inSeconds(1800)), UA, "203.0.113.7"))
                .isInstanceOf(GateDecision.Pass.class);
    }

    @Test
    void everyRefusalNamesItsReason() {
        String good = cookie("shop.lab.test", UA, "203.0.113.7", inSeconds(1800));
        assertThat(gate.check(host, null, UA, "203.0.113.7"))
                .isEqualTo(new GateDecision.Refuse(ClearanceRejection.MISSING));
        assertThat(gate.check(host, "abc-123-1.2.1.1-xyz", UA, "203.0.113.7"))
                .isEqualTo(new GateDecision.Refuse(ClearanceRejection.NOT_GENUINE));
        assertThat(gate.check(host, cookie("other.lab.test", UA, "203.0.113.7", inSeconds(1800)), UA, "203.0.113.7"))
                .isEqualTo(new GateDecision.Refuse(ClearanceRejection.WRONG_ZONE));
        assertThat(gate.check(host, good, UA + " changed", "203.0.113.7"))
                .isEqualTo(new GateDecision.Refuse(ClearanceRejection.USER_AGENT_CHANGED));
        assertThat(gate.check(host, good, UA, "203.0.113.8"))
                .isEqualTo(new GateDecision.Refuse(ClearanceRejection.IP_CHANGED));
        assertThat(gate.check(host.withChallengeLoop(ChallengeLoop.GATE_REJECTS), good, UA, "203.0.113.7"))
                .isEqualTo(new GateDecision.Refuse(ClearanceRejection.LOOP));
    }

    @Test
    void expiryHasTwoMinutesOfSkewGrace() {
        String cookie = cookie("shop.lab.test", UA, "203.0.113.7", inSeconds(60));
        clock.advance(Duration.ofSeconds(60 + ClearanceGate.SKEW_GRACE_SEC));
        assertThat(gate.check(host, cookie, UA, "203.0.113.7")).isInstanceOf(GateDecision.Pass.class);
        clock.advance(Duration.ofSeconds(1));
        assertThat(gate.check(host, cookie, UA, "203.0.113.7"))
                .isEqualTo(new GateDecision.Refuse(ClearanceRejection.EXPIRED));
    }

    @Test
    void clearanceSealedUnderAnotherKeyIsNotGenuine() {
        Sealer other = new Sealer("another-lab-key-0123456789abcdef01234567".getBytes(StandardCharsets.UTF_8),
                new LabRandom(1));
        String foreign = new Clearance("shop.lab.test", Hashes.uaHash(UA), "203.0.113.7", inSeconds(1800))
                .toCookieValue(other, clock.instant().getEpochSecond(), new SplittableRandom(3));
        assertThat(gate.check(host, foreign, UA, "203.0.113.7"))
                .isEqualTo(new GateDecision.Refuse(ClearanceRejection.NOT_GENUINE));
    }
}
