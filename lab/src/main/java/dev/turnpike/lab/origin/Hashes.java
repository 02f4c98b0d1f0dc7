package dev.turnpike.lab.origin;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;

/** SHA-256 and base64url helpers shared by the origin's seals and checks. */
final class Hashes {

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private Hashes() {
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    static String sha256Hex(byte[] data) {
        return HexFormat.of().formatHex(sha256(data));
    }

    /** How a user agent is bound: hex SHA-256 of the header's UTF-8 bytes (an absent header hashes as ""). */
    static String uaHash(String userAgent) {
        return sha256Hex((userAgent == null ? "" : userAgent).getBytes(StandardCharsets.UTF_8));
    }

    static String b64url(byte[] data) {
        return B64.encodeToString(data);
    }
}
