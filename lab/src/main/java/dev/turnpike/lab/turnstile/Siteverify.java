package dev.turnpike.lab.turnstile;

import dev.turnpike.lab.core.LabEvents;
import dev.turnpike.lab.core.Sitekey;
import dev.turnpike.lab.core.Sitekeys;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Siteverify's decision (LAB.md L2), checks in order: secret present, secret known (and a test secret only with
 * the dummy token), response present, token genuine and owned by the secret's sitekey, then not expired and not
 * redeemed. A same {@code idempotency_key} with the same token within 300 s gets the first answer again.
 * The HTTP layer ({@link TurnstileHandler}) parses requests and adds the sitekey's siteverify faults.
 */
public final class Siteverify {

    public static final long IDEMPOTENCY_WINDOW_MS = 300_000;
    private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    /** A siteverify request; any field may be null (missing). */
    public record Request(String secret, String response, String remoteip, String idempotencyKey) {
    }

    /**
     * Siteverify's answer; {@link #toJson()} gives the wire form.
     *
     * @param metadata {@code interactive}, and {@code chl_page_data_sha256} for tokens of managed challenges
     */
    public record Result(boolean success, String challengeTs, String hostname, List<String> errorCodes,
                         String action, String cdata, Map<String, Object> metadata) {

        /** A failed answer with one error code. */
        public static Result failure(SiteverifyError error) {
            return new Result(false, null, null, List.of(error.wire()), null, null, null);
        }

        public Map<String, Object> toJson() {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("success", success);
            if (success) {
                json.put("challenge_ts", challengeTs);
                json.put("hostname", hostname);
                json.put("error-codes", errorCodes);
                json.put("action", action);
                json.put("cdata", cdata);
                json.put("metadata", metadata);
            } else {
                json.put("error-codes", errorCodes);
                json.put("messages", List.of());
            }
            return json;
        }
    }

    private record Remembered(String secret, String response, Result result, long atMs) {
    }

    private final Clock clock;
    private final Sitekeys sitekeys;
    private final Tokens tokens;
    private final LabEvents events;
    /** Redeemed token ids and when they expire, so they can be forgotten once useless. */
    private final ConcurrentHashMap<String, Long> redeemed = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Remembered> byIdempotencyKey = new ConcurrentHashMap<>();

    public Siteverify(Clock clock, Sitekeys sitekeys, Tokens tokens, LabEvents events) {
        this.clock = clock;
        this.sitekeys = sitekeys;
        this.tokens = tokens;
        this.events = events;
    }

    /** Verifies one request, as the siteverify endpoint does (without the endpoint's hostile faults). */
    public Result verify(Request request) {
        Objects.requireNonNull(request, "request");
        long now = clock.millis();
        forgetOld(now);
        String key = blankToNull(request.idempotencyKey());
        if (key != null) {
            Remembered seen = byIdempotencyKey.get(key);
            if (seen != null && now - seen.atMs() <= IDEMPOTENCY_WINDOW_MS
                    && Objects.equals(seen.secret(), request.secret())
                    && Objects.equals(seen.response(), request.response())) {
                events.append("token.reverified", "idempotencyKey", key, "success", seen.result().success());
                return seen.result();
            }
        }
        Result result = decide(request, now);
        if (key != null) {
            byIdempotencyKey.put(key, new Remembered(request.secret(), request.response(), result, now));
        }
        return result;
    }

    private Result decide(Request request, long now) {
        String secret = blankToNull(request.secret());
        String response = blankToNull(request.response());
        if (secret == null) {
            return reject(SiteverifyError.MISSING_INPUT_SECRET, null, null);
        }
        boolean testSecret = TestKeys.isTestSecret(secret);
        Optional<Sitekey> owner = sitekeys.findBySecret(secret);
        if (!testSecret && owner.isEmpty()) {
            return reject(SiteverifyError.INVALID_INPUT_SECRET, null, null);
        }
        if (testSecret && response != null && !TestKeys.DUMMY_TOKEN.equals(response)) {
            return reject(SiteverifyError.INVALID_INPUT_SECRET, null, "a test secret takes only the dummy token");
        }
        if (response == null) {
            return reject(SiteverifyError.MISSING_INPUT_RESPONSE, owner.map(Sitekey::sitekey).orElse(null), null);
        }
        if (testSecret) {
            return switch (secret) {
                case TestKeys.SECRET_PASSES -> {
                    events.append("token.verified", "sitekey", "test", "token", "dummy");
                    yield new Result(true, TS.format(Instant.ofEpochMilli(now)), "example.com", List.of(), "", "",
                            Map.of("interactive", false));
                }
                case TestKeys.SECRET_FAILS -> reject(SiteverifyError.INVALID_INPUT_RESPONSE, null, "test secret that always fails");
                default -> reject(SiteverifyError.TIMEOUT_OR_DUPLICATE, null, "test secret that always answers spent");
            };
        }
        Sitekey sitekey = owner.orElseThrow();
        if (TestKeys.DUMMY_TOKEN.equals(response)) {
            return reject(SiteverifyError.INVALID_INPUT_RESPONSE, sitekey.sitekey(), "the dummy token needs a test secret");
        }
        Optional<TokenClaims> read = tokens.read(response);
        if (read.isEmpty()) {
            return reject(SiteverifyError.INVALID_INPUT_RESPONSE, sitekey.sitekey(), "malformed, too long or bad MAC");
        }
        TokenClaims claims = read.get();
        if (!claims.sk().equals(sitekey.sitekey())) {
            return reject(SiteverifyError.INVALID_INPUT_RESPONSE, sitekey.sitekey(), "token of another sitekey");
        }
        if (now >= claims.exp()) {
            return reject(SiteverifyError.TIMEOUT_OR_DUPLICATE, sitekey.sitekey(), "expired", claims.jti());
        }
        if (redeemed.putIfAbsent(claims.jti(), claims.exp()) != null) {
            return reject(SiteverifyError.TIMEOUT_OR_DUPLICATE, sitekey.sitekey(), "already redeemed", claims.jti());
        }
        if (sitekey.hostile().duplicateOnFirstUse()) {
            return reject(SiteverifyError.TIMEOUT_OR_DUPLICATE, sitekey.sitekey(), "hostile duplicateOnFirstUse", claims.jti());
        }
        events.append("token.verified", "sitekey", sitekey.sitekey(), "jti", claims.jti(), "hostname", claims.host(),
                "action", claims.action(), "cdata", claims.cdata(), "remoteip", blankToNull(request.remoteip()));
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("interactive", claims.interactive());
        if (claims.chlPageDataSha256() != null) {
            metadata.put("chl_page_data_sha256", claims.chlPageDataSha256());
        }
        return new Result(true, TS.format(Instant.ofEpochMilli(claims.iat())), claims.host(), List.of(),
                claims.action(), claims.cdata(), Map.copyOf(metadata));
    }

    /** Forgets redeemed tokens and idempotent answers (used by the lab's reset). */
    public void clear() {
        redeemed.clear();
        byIdempotencyKey.clear();
    }

    private Result reject(SiteverifyError error, String sitekey, String detail) {
        return reject(error, sitekey, detail, null);
    }

    private Result reject(SiteverifyError error, String sitekey, String detail, String jti) {
        events.append("token.rejected", "reason", error.wire(), "sitekey", sitekey, "detail", detail, "jti", jti);
        return Result.failure(error);
    }

    private void forgetOld(long now) {
        if (redeemed.size() > 10_000) {
            redeemed.values().removeIf(exp -> exp < now);
        }
        if (byIdempotencyKey.size() > 10_000) {
            for (Iterator<Remembered> it = byIdempotencyKey.values().iterator(); it.hasNext(); ) {
                if (now - it.next().atMs() > IDEMPOTENCY_WINDOW_MS) {
                    it.remove();
                }
            }
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
