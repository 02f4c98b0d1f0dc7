package dev.turnpike.lab.origin;

import dev.turnpike.lab.core.Sealer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.random.RandomGenerator;
import java.util.stream.Collectors;

/**
 * Answers a request that has no valid clearance with a challenge page (LAB.md L3): the 2025 template with 403,
 * or the legacy "I'm Under Attack" page with 503, each with a fresh ray and an {@code md} sealing the request.
 */
final class ChallengeIssuer {

    /** Prefix of the query parameters the challenge adds; stripped from every URL it hands back. */
    static final String CHALLENGE_PARAM_PREFIX = "__cf_chl_";

    private final Sealer sealer;
    private final ChallengeTokens tokens;
    private final Clock clock;
    private final RandomGenerator random;
    private final OriginEvents events;

    ChallengeIssuer(Sealer sealer, Clock clock, RandomGenerator random, OriginEvents events) {
        this.sealer = sealer;
        this.tokens = new ChallengeTokens(sealer);
        this.clock = clock;
        this.random = random;
        this.events = events;
    }

    /**
     * A challenge for {@code request}, sealing {@code method} and {@code bodyDigest} as the challenged request's
     * (they differ from the request's own when a failed solve is challenged again).
     */
    OriginResponse challenge(OriginHost host, OriginRequest request, String method, String bodyDigest) {
        Instant now = clock.instant();
        String ray = CloudflareHeaders.newRay(random);
        long iatSec = now.getEpochSecond();
        ChallengeMetadata md = new ChallengeMetadata(ray, host.zone(), request.path(), method, bodyDigest,
                Hashes.uaHash(request.userAgent()), request.clientIp(), now.toEpochMilli());
        String query = withoutChallengeParams(request.rawQuery());
        String base = request.path() + "?" + (query == null ? "" : query + "&");
        Duration life = host.pageLife();

        Map<String, String> slots = new HashMap<>();
        slots.put("refreshSec", Long.toString((life.toMillis() + 999) / 1000));
        slots.put("cZone", Templates.jsString(host.zone()));
        slots.put("cType", host.cType().wireName());
        slots.put("cRay", ray);
        slots.put("cH", tokens.challengeHash(ray));
        slots.put("cUPMDTk", Templates.jsString(base + "__cf_chl_tk=" + tokens.pageToken(ray, iatSec)));
        slots.put("cITimeS", Long.toString(iatSec));
        slots.put("cMTimeMs", Long.toString(life.toMillis()));
        String fa = base + "__cf_chl_f_tk=" + tokens.formToken(ray, iatSec);
        slots.put("fa", Templates.jsString(fa));
        slots.put("faHtml", Templates.html(fa));
        slots.put("md", md.seal(sealer));
        slots.put("mdrd", sealer.seal(("{\"ray\":\"" + ray + "\",\"d\":" + random.nextInt(1 << 30) + "}")
                .getBytes(StandardCharsets.UTF_8)));
        slots.put("rtUrl", Templates.jsString(request.path() + "?__cf_chl_rt_tk=" + tokens.returnToken(ray, iatSec)));
        slots.put("hostHtml", Templates.html(host.host()));
        slots.put("nounce", Integer.toString(random.nextInt(100_000)));

        boolean legacy = host.legacyIuam();
        String page = Templates.render(legacy ? "legacy-page.html" : "challenge-page.html", slots);
        events.record(new OriginEvent.ChallengeServed(now, host.host(), ray, request.path(), request.clientIp(),
                legacy ? ChallengeType.NON_INTERACTIVE : host.cType(), legacy));
        return OriginResponse.status(legacy ? 503 : 403)
                .header("Server", CloudflareHeaders.SERVER)
                .header("cf-mitigated", "challenge")
                .header("cf-ray", CloudflareHeaders.rayHeader(ray))
                .header("Cache-Control", "private, no-store")
                .header("Expires", "Thu, 01 Jan 1970 00:00:01 GMT")
                .header("Referrer-Policy", "same-origin")
                .header("X-Frame-Options", "SAMEORIGIN")
                .header("Set-Cookie", CloudflareHeaders.botManagementCookie(host.zone(), now, random))
                .html(page);
    }

    /** The raw query without {@code __cf_chl_*} parameters, or null when nothing is left. */
    static String withoutChallengeParams(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return null;
        }
        String kept = Arrays.stream(rawQuery.split("&"))
                .filter(p -> !p.isEmpty() && !p.startsWith(CHALLENGE_PARAM_PREFIX))
                .collect(Collectors.joining("&"));
        return kept.isEmpty() ? null : kept;
    }
}
