package dev.turnpike.lab.origin;

import dev.turnpike.lab.core.ChallengeLoop;
import dev.turnpike.lab.core.HostKind;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * How the origin treats one lab host: its kind, challenge type, clearance lifetime and hostile modes
 * (LAB.md L3, L4.5–7, 9, 12). Immutable; the admin API replaces it as a whole.
 *
 * @param host           the host name; it is also the zone, so clearance is set for {@code Domain=.<host>}
 * @param kind           what the host serves
 * @param cType          the challenge type its challenge pages carry
 * @param passageSec     life of {@code cf_clearance} in seconds (Cloudflare's default is 1800)
 * @param powBits        leading zero bits the non-interactive proof of work needs
 * @param postRedirect   how a solved challenge for a non-GET request redirects
 * @param formSitekey    sitekey of the Turnstile widget on {@code /form}
 * @param formSecret     its secret, used to verify {@code POST /form}
 * @param challengeLoop  hostile mode {@code challengeLoop}; {@link ChallengeLoop#NONE} when off
 * @param bindingStrict  hostile mode {@code bindingStrict}; binding is strict by default too (L3), so this
 *                       only names the behaviour a test asserts — there is no lax binding in the lab
 * @param blocked        hostile mode {@code blocked}: the blocked page instead of the application
 * @param legacyIuam     hostile mode {@code legacyIuam}: the pre-2022 503 "I'm Under Attack" page
 * @param pageRefresh    hostile mode {@code pageRefresh}: a short {@code cMTimeMs}, or null when off
 */
public record OriginHost(String host, HostKind kind, ChallengeType cType, long passageSec, int powBits,
                         PostRedirect postRedirect, String formSitekey, String formSecret,
                         ChallengeLoop challengeLoop, boolean bindingStrict, boolean blocked, boolean legacyIuam,
                         Duration pageRefresh) {

    /** Cloudflare's default challenge passage. */
    public static final long DEFAULT_PASSAGE_SEC = 1800;
    /** Default proof-of-work difficulty, as the lab's Turnstile widget (~0.1–0.5 s in a browser). */
    public static final int DEFAULT_POW_BITS = 16;
    /** The page's {@code cMTimeMs}: how long a challenge page (and its {@code md}) lives. */
    public static final Duration DEFAULT_PAGE_LIFE = Duration.ofMillis(390_000);
    /** The {@code pageRefresh} mode's {@code cMTimeMs} unless told otherwise. */
    public static final Duration DEFAULT_PAGE_REFRESH = Duration.ofSeconds(4);
    /** Turnstile's documented always-passing test keys: a form works out of the box. */
    public static final String TEST_SITEKEY = "1x00000000000000000000AA";
    public static final String TEST_SECRET = "1x0000000000000000000000000000000AA";

    public OriginHost {
        Objects.requireNonNull(host, "host");
        host = host.toLowerCase(Locale.ROOT);
        if (!host.matches("[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?")) {
            throw new IllegalArgumentException("host '" + host + "' is not a host name");
        }
        Objects.requireNonNull(kind, "kind");
        cType = cType == null ? ChallengeType.MANAGED : cType;
        if (passageSec < 1 || passageSec > 31_536_000) {
            throw new IllegalArgumentException("passageSec must be between 1 and 31536000, got " + passageSec);
        }
        if (powBits < 1 || powBits > 24) {
            throw new IllegalArgumentException("powBits must be between 1 and 24, got " + powBits);
        }
        postRedirect = postRedirect == null ? PostRedirect.SEE_OTHER : postRedirect;
        challengeLoop = challengeLoop == null ? ChallengeLoop.NONE : challengeLoop;
        formSitekey = formSitekey == null ? TEST_SITEKEY : formSitekey;
        formSecret = formSecret == null ? TEST_SECRET : formSecret;
        if (pageRefresh != null && (pageRefresh.toMillis() < 500 || pageRefresh.compareTo(DEFAULT_PAGE_LIFE) > 0)) {
            throw new IllegalArgumentException("pageRefresh must be between 500 ms and 390 s, got " + pageRefresh);
        }
    }

    /** A host of this kind with every default and no hostile mode. */
    public static OriginHost of(String host, HostKind kind) {
        return new OriginHost(host, kind, ChallengeType.MANAGED, DEFAULT_PASSAGE_SEC, DEFAULT_POW_BITS, null,
                null, null, null, false, false, false, null);
    }

    /** The zone clearance is issued for. */
    public String zone() {
        return host;
    }

    /** The {@code cMTimeMs} of this host's challenge pages. */
    public Duration pageLife() {
        return pageRefresh == null ? DEFAULT_PAGE_LIFE : pageRefresh;
    }

    public OriginHost withCType(ChallengeType newType) {
        return new OriginHost(host, kind, newType, passageSec, powBits, postRedirect, formSitekey, formSecret,
                challengeLoop, bindingStrict, blocked, legacyIuam, pageRefresh);
    }

    public OriginHost withPassageSec(long seconds) {
        return new OriginHost(host, kind, cType, seconds, powBits, postRedirect, formSitekey, formSecret,
                challengeLoop, bindingStrict, blocked, legacyIuam, pageRefresh);
    }

    public OriginHost withPowBits(int bits) {
        return new OriginHost(host, kind, cType, passageSec, bits, postRedirect, formSitekey, formSecret,
                challengeLoop, bindingStrict, blocked, legacyIuam, pageRefresh);
    }

    public OriginHost withPostRedirect(PostRedirect redirect) {
        return new OriginHost(host, kind, cType, passageSec, powBits, redirect, formSitekey, formSecret,
                challengeLoop, bindingStrict, blocked, legacyIuam, pageRefresh);
    }

    public OriginHost withForm(String sitekey, String secret) {
        return new OriginHost(host, kind, cType, passageSec, powBits, postRedirect, sitekey, secret,
                challengeLoop, bindingStrict, blocked, legacyIuam, pageRefresh);
    }

    public OriginHost withChallengeLoop(ChallengeLoop loop) {
        return new OriginHost(host, kind, cType, passageSec, powBits, postRedirect, formSitekey, formSecret,
                loop, bindingStrict, blocked, legacyIuam, pageRefresh);
    }

    public OriginHost withBindingStrict(boolean on) {
        return new OriginHost(host, kind, cType, passageSec, powBits, postRedirect, formSitekey, formSecret,
                challengeLoop, on, blocked, legacyIuam, pageRefresh);
    }

    public OriginHost withBlocked(boolean on) {
        return new OriginHost(host, kind, cType, passageSec, powBits, postRedirect, formSitekey, formSecret,
                challengeLoop, bindingStrict, on, legacyIuam, pageRefresh);
    }

    public OriginHost withLegacyIuam(boolean on) {
        return new OriginHost(host, kind, cType, passageSec, powBits, postRedirect, formSitekey, formSecret,
                challengeLoop, bindingStrict, blocked, on, pageRefresh);
    }

    public OriginHost withPageRefresh(Duration life) {
        return new OriginHost(host, kind, cType, passageSec, powBits, postRedirect, formSitekey, formSecret,
                challengeLoop, bindingStrict, blocked, legacyIuam, life);
    }
}
