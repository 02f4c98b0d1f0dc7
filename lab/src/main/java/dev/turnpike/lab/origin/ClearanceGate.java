package dev.turnpike.lab.origin;

import dev.turnpike.lab.core.ChallengeLoop;
import dev.turnpike.lab.core.Sealer;
import java.time.Clock;
import java.util.Objects;

/**
 * Decides whether a request to a protected host passes (LAB.md L3): its {@code cf_clearance} must be genuine,
 * not expired (with {@value #SKEW_GRACE_SEC} s of grace for clock skew), issued for this zone, and bound to
 * this request's User-Agent and exit IP — so a cookie carried to another proxy or browser is challenged again.
 */
public final class ClearanceGate {

    /** Clock skew tolerated past a clearance's expiry. */
    public static final long SKEW_GRACE_SEC = 120;

    private final Sealer sealer;
    private final Clock clock;

    public ClearanceGate(Sealer sealer, Clock clock) {
        this.sealer = Objects.requireNonNull(sealer, "sealer");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * @param host      the host's settings
     * @param cookie    the request's {@code cf_clearance} value, or null
     * @param userAgent the request's User-Agent, or null
     * @param clientIp  the request's client (exit) IP
     */
    public GateDecision check(OriginHost host, String cookie, String userAgent, String clientIp) {
        if (cookie == null || cookie.isEmpty()) {
            return new GateDecision.Refuse(ClearanceRejection.MISSING);
        }
        var opened = Clearance.fromCookieValue(sealer, cookie);
        if (opened.isEmpty()) {
            return new GateDecision.Refuse(ClearanceRejection.NOT_GENUINE);
        }
        Clearance clearance = opened.get();
        if (clearance.exp() + SKEW_GRACE_SEC < clock.instant().getEpochSecond()) {
            return new GateDecision.Refuse(ClearanceRejection.EXPIRED);
        }
        if (!clearance.zone().equals(host.zone())) {
            return new GateDecision.Refuse(ClearanceRejection.WRONG_ZONE);
        }
        if (!clearance.uaHash().equals(Hashes.uaHash(userAgent))) {
            return new GateDecision.Refuse(ClearanceRejection.USER_AGENT_CHANGED);
        }
        if (!clearance.ip().equals(clientIp)) {
            return new GateDecision.Refuse(ClearanceRejection.IP_CHANGED);
        }
        if (host.challengeLoop() == ChallengeLoop.GATE_REJECTS) {
            return new GateDecision.Refuse(ClearanceRejection.LOOP);
        }
        return new GateDecision.Pass(clearance);
    }
}
