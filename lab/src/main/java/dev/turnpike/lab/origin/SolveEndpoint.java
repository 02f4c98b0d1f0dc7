package dev.turnpike.lab.origin;

import dev.turnpike.lab.core.ChallengeLoop;
import dev.turnpike.lab.core.Sealer;
import dev.turnpike.lab.turnstile.ProofOfWork;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * {@code POST <path>?__cf_chl_f_tk=…} (LAB.md L3): checks the page's {@code md} and the answer, then sets
 * {@code cf_clearance} and sends the visitor back to the URL it asked for. Anything wrong — a forged or stale
 * {@code md}, another user agent or exit IP, a bad answer — gets the challenge again, as at Cloudflare.
 */
final class SolveEndpoint {

    /** A domain no lab host is under: where hostile {@link ChallengeLoop#WRONG_DOMAIN} sets its cookie. */
    static final String WRONG_DOMAIN = "cf-lab-elsewhere.test";

    private final Sealer sealer;
    private final ChallengeTokens tokens;
    private final Clock clock;
    private final RandomGenerator random;
    private final TurnstileVerifier verifier;
    private final ChallengeSitekeys sitekeys;
    private final ChallengeIssuer issuer;
    private final OriginEvents events;
    private final SolveScreen screen;

    SolveEndpoint(Sealer sealer, Clock clock, RandomGenerator random, TurnstileVerifier verifier,
                  ChallengeSitekeys sitekeys, ChallengeIssuer issuer, OriginEvents events, SolveScreen screen) {
        this.screen = screen;
        this.sealer = sealer;
        this.tokens = new ChallengeTokens(sealer);
        this.clock = clock;
        this.random = random;
        this.verifier = verifier;
        this.sitekeys = sitekeys;
        this.issuer = issuer;
        this.events = events;
    }

    /** Whether a request is a solve rather than a request for the application. */
    static boolean isSolve(OriginRequest request) {
        return request.method().equals("POST") && request.queryParameter("__cf_chl_f_tk").isPresent();
    }

    OriginResponse solve(OriginHost host, OriginRequest request) {
        List<Map.Entry<String, String>> form =
                OriginRequest.parseForm(new String(request.body(), StandardCharsets.UTF_8));
        String mdText = field(form, "md");
        Optional<ChallengeMetadata> opened = mdText == null ? Optional.empty()
                : ChallengeMetadata.open(sealer, mdText);
        if (opened.isEmpty()) {
            return refuse(host, request, null, SolveRejection.MD_NOT_GENUINE);
        }
        ChallengeMetadata md = opened.get();
        Optional<SolveRejection> rejection = check(host, request, md, mdText, field(form, "answer"));
        if (rejection.isEmpty() && screen.screens(host.host()) && !screen.passes(host, request, field(form, "strict"))) {
            rejection = Optional.of(SolveRejection.STRICT_CHECKS);
        }
        if (rejection.isPresent()) {
            return refuse(host, request, md, rejection.get());
        }
        return succeed(host, request, md);
    }

    private Optional<SolveRejection> check(OriginHost host, OriginRequest request, ChallengeMetadata md,
                                           String mdText, String answer) {
        long ageMs = clock.millis() - md.iat();
        if (ageMs > host.pageLife().toMillis() || ageMs < -ClearanceGate.SKEW_GRACE_SEC * 1000) {
            return Optional.of(SolveRejection.MD_EXPIRED);
        }
        if (!md.zone().equals(host.zone()) || !md.path().equals(request.path())
                || !tokens.isFormTokenOf(request.queryParameter("__cf_chl_f_tk").orElse(null), md.ray())) {
            return Optional.of(SolveRejection.MD_MISMATCH);
        }
        if (!md.uaHash().equals(Hashes.uaHash(request.userAgent()))) {
            return Optional.of(SolveRejection.USER_AGENT_CHANGED);
        }
        if (!md.ip().equals(request.clientIp())) {
            return Optional.of(SolveRejection.IP_CHANGED);
        }
        if (answer == null || answer.isEmpty()) {
            return Optional.of(SolveRejection.BAD_PROOF);
        }
        ChallengeType type = host.legacyIuam() ? ChallengeType.NON_INTERACTIVE : host.cType();
        return type == ChallengeType.NON_INTERACTIVE
                ? checkProof(host, md, answer)
                : checkToken(host, request, md, mdText, answer, type);
    }

    private Optional<SolveRejection> checkProof(OriginHost host, ChallengeMetadata md, String answer) {
        return ProofOfWork.verify(tokens.challengeHash(md.ray()), answer, host.powBits())
                ? Optional.empty() : Optional.of(SolveRejection.BAD_PROOF);
    }

    private Optional<SolveRejection> checkToken(OriginHost host, OriginRequest request, ChallengeMetadata md,
                                                String mdText, String token, ChallengeType type) {
        TurnstileVerifier.Verdict verdict = verifier.verify(sitekeys.secretFor(type), token, request.clientIp());
        // The token must come from this page's widget: the challenge sitekey (by its secret), action 'managed',
        // cData = the ray, the page's host, and chlPageData = this md.
        if (!verdict.success() || !"managed".equals(verdict.action()) || !md.ray().equals(verdict.cdata())
                || !host.host().equals(verdict.hostname())
                || !Hashes.sha256Hex(mdText.getBytes(StandardCharsets.UTF_8)).equals(verdict.chlPageDataSha256())) {
            return Optional.of(SolveRejection.BAD_TOKEN);
        }
        if (type == ChallengeType.INTERACTIVE && !verdict.interactive()) {
            return Optional.of(SolveRejection.NOT_INTERACTIVE);
        }
        return Optional.empty();
    }

    private OriginResponse refuse(OriginHost host, OriginRequest request, ChallengeMetadata md,
                                  SolveRejection reason) {
        Instant now = clock.instant();
        events.record(new OriginEvent.SolveRejected(now, host.host(), md == null ? null : md.ray(),
                request.clientIp(), reason));
        // Challenge the request the page was for again; without a genuine md, the solve itself.
        String method = md == null ? request.method() : md.method();
        String digest = md == null ? Hashes.sha256Hex(request.body()) : md.bodyDigest();
        return issuer.challenge(host, request, method, digest);
    }

    private OriginResponse succeed(OriginHost host, OriginRequest request, ChallengeMetadata md) {
        Instant now = clock.instant();
        long exp = now.getEpochSecond() + host.passageSec();
        OriginResponse.Builder response = OriginResponse.status(redirectStatus(host, md))
                .header("Server", CloudflareHeaders.SERVER)
                .header("cf-ray", CloudflareHeaders.rayHeader(md.ray()))
                .header("Cache-Control", "private, no-store");
        ChallengeLoop loop = host.challengeLoop();
        if (loop != ChallengeLoop.NO_COOKIE) {
            String zone = loop == ChallengeLoop.WRONG_DOMAIN ? WRONG_DOMAIN : host.zone();
            Clearance clearance = new Clearance(zone, md.uaHash(), md.ip(), exp);
            response.header("Set-Cookie", "cf_clearance="
                    + clearance.toCookieValue(sealer, now.getEpochSecond(), random)
                    + "; Path=/; Domain=." + zone + "; Expires=" + CloudflareHeaders.cookieDate(Instant.ofEpochSecond(exp))
                    + "; HttpOnly; Secure; SameSite=None; Partitioned");
        }
        events.record(new OriginEvent.ClearanceIssued(now, host.host(), md.ray(), md.ip(), exp, loop));
        String query = ChallengeIssuer.withoutChallengeParams(request.rawQuery());
        return response.header("Location", query == null ? md.path() : md.path() + "?" + query)
                .empty();
    }

    private static int redirectStatus(OriginHost host, ChallengeMetadata md) {
        return md.method().equals("GET") || md.method().equals("HEAD") ? 302 : host.postRedirect().status();
    }

    private static String field(List<Map.Entry<String, String>> form, String name) {
        return form.stream().filter(e -> e.getKey().equals(name)).map(Map.Entry::getValue).findFirst().orElse(null);
    }
}
