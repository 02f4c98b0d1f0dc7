package dev.turnpike.server.account;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Random;

/**
 * Client keys: 32 lower-case hex digits (128 random bits, the shape clients of the commercial services expect),
 * stored as their SHA-256 and shown as their first {@value #PREFIX_LENGTH} characters.
 */
public final class ClientKeys {

    public static final int PREFIX_LENGTH = 8;
    private static final HexFormat HEX = HexFormat.of();

    private final Random random;

    public ClientKeys(Random random) {
        this.random = random;
    }

    public static ClientKeys secure() {
        return new ClientKeys(new SecureRandom());
    }

    public String newKey() {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        return HEX.formatHex(bytes);
    }

    public static String hash(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return HEX.formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing", e);
        }
    }

    /** What may be shown or logged of a key. */
    public static String prefix(String key) {
        return key.length() <= PREFIX_LENGTH ? key : key.substring(0, PREFIX_LENGTH);
    }
}
