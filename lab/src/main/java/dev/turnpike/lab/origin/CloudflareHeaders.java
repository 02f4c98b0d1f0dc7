package dev.turnpike.lab.origin;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.random.RandomGenerator;

/** Header values every lab host answers with, as a site behind Cloudflare does. */
final class CloudflareHeaders {

    static final String SERVER = "cloudflare";
    /** The colo suffix of {@code cf-ray}. */
    static final String COLO = "LAB";
    /** Life of the {@code __cf_bm} bot-management cookie. */
    static final long BM_LIFE_SEC = 1800;

    private static final DateTimeFormatter COOKIE_DATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

    private CloudflareHeaders() {
    }

    /** A ray id: 16 lower-case hex digits. */
    static String newRay(RandomGenerator random) {
        return String.format("%016x", random.nextLong());
    }

    static String rayHeader(String ray) {
        return ray + "-" + COLO;
    }

    static String cookieDate(Instant at) {
        return COOKIE_DATE.format(at);
    }

    /** {@code __cf_bm}, the shape Cloudflare sets with every challenge; the lab does not check it. */
    static String botManagementCookie(String zone, Instant now, RandomGenerator random) {
        byte[] id = new byte[32];
        random.nextBytes(id);
        byte[] tail = new byte[60];
        random.nextBytes(tail);
        return "__cf_bm=" + Hashes.b64url(id) + "-" + now.getEpochSecond() + "-1.0.1.1-" + Hashes.b64url(tail)
                + "; path=/; expires=" + cookieDate(now.plusSeconds(BM_LIFE_SEC)) + "; domain=." + zone
                + "; HttpOnly; Secure; SameSite=None";
    }
}
