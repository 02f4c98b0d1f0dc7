package dev.turnpike.lab.origin;

import dev.turnpike.lab.core.Sealer;
import java.nio.charset.StandardCharsets;

/**
 * Values a challenge page derives from its ray under the lab key: {@code cH} (also the proof-of-work seed) and
 * the {@code __cf_chl_tk}, {@code __cf_chl_f_tk} and {@code __cf_chl_rt_tk} tokens, shaped like Cloudflare's
 * ({@code <43 chars>-<unix time>-0-<tail>}). Deriving rather than storing them keeps the origin stateless.
 */
final class ChallengeTokens {

    private final Sealer sealer;

    ChallengeTokens(Sealer sealer) {
        this.sealer = sealer;
    }

    /** {@code cH}: the seed of the page's proof of work. */
    String challengeHash(String ray) {
        return derive("cH", ray);
    }

    String pageToken(String ray, long issuedAtSec) {
        return token("tk", ray, issuedAtSec);
    }

    String formToken(String ray, long issuedAtSec) {
        return token("f_tk", ray, issuedAtSec);
    }

    String returnToken(String ray, long issuedAtSec) {
        return token("rt_tk", ray, issuedAtSec);
    }

    /** Whether a solve's {@code __cf_chl_f_tk} belongs to the page of this ray. */
    boolean isFormTokenOf(String formToken, String ray) {
        return formToken != null && formToken.startsWith(derive("f_tk", ray) + "-");
    }

    private String token(String kind, String ray, long issuedAtSec) {
        return derive(kind, ray) + "-" + issuedAtSec + "-0-" + derive(kind + "#tail", ray).substring(0, 14);
    }

    private String derive(String kind, String ray) {
        return Hashes.b64url(sealer.mac((kind + "|" + ray).getBytes(StandardCharsets.UTF_8)));
    }
}
