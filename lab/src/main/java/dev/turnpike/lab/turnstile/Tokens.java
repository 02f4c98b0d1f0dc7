package dev.turnpike.lab.turnstile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.turnpike.lab.core.LabRandom;
import dev.turnpike.lab.core.Sealer;
import dev.turnpike.lab.core.Http;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Issues and reads lab Turnstile tokens: {@code 0.<base64url JSON claims>.<22-char base64url nonce>.<64 hex MAC>},
 * the MAC being HMAC-SHA256 under the lab key of everything before the last dot. At most 2048 characters.
 */
public final class Tokens {

    public static final int MAX_TOKEN_CHARS = 2048;
    private static final Pattern SHAPE = Pattern.compile("^0\\.([A-Za-z0-9_-]+)\\.([A-Za-z0-9_-]{22})\\.([0-9a-f]{64})$");
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private final Sealer sealer;
    private final LabRandom random;

    public Tokens(Sealer sealer, LabRandom random) {
        this.sealer = sealer;
        this.random = random;
    }

    public String issue(TokenClaims claims) {
        ObjectNode json = Http.JSON.createObjectNode();
        json.put("jti", claims.jti());
        json.put("sk", claims.sk());
        json.put("host", claims.host());
        json.put("action", claims.action());
        json.put("cdata", claims.cdata());
        json.put("iat", claims.iat());
        json.put("exp", claims.exp());
        json.put("wid", claims.wid());
        json.put("interactive", claims.interactive());
        if (claims.chlPageDataSha256() != null) {
            json.put("cpd", claims.chlPageDataSha256());
        }
        String body = "0." + B64.encodeToString(json.toString().getBytes(StandardCharsets.UTF_8)) + "."
                + B64.encodeToString(random.bytes(16));
        String token = body + "." + sealer.macHex(body);
        if (token.length() > MAX_TOKEN_CHARS) {
            throw new IllegalStateException("token longer than " + MAX_TOKEN_CHARS + " characters");
        }
        return token;
    }

    /** The claims of a genuine lab token, or empty when it is too long, malformed or its MAC is wrong. */
    public Optional<TokenClaims> read(String token) {
        if (token == null || token.length() > MAX_TOKEN_CHARS) {
            return Optional.empty();
        }
        var m = SHAPE.matcher(token);
        if (!m.matches()) {
            return Optional.empty();
        }
        String body = token.substring(0, token.lastIndexOf('.'));
        if (!sealer.verifyHex(body, m.group(3))) {
            return Optional.empty();
        }
        try {
            JsonNode json = Http.JSON.readTree(Base64.getUrlDecoder().decode(m.group(1)));
            return Optional.of(new TokenClaims(json.path("jti").asText(), json.path("sk").asText(),
                    json.path("host").asText(), json.path("action").asText(), json.path("cdata").asText(),
                    json.path("iat").asLong(), json.path("exp").asLong(), json.path("wid").asText(),
                    json.path("interactive").asBoolean(), json.hasNonNull("cpd") ? json.get("cpd").asText() : null));
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
