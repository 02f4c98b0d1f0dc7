package dev.turnpike.lab.core;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The lab's key at work: MACs (HMAC-SHA256) for tokens, and sealed blobs (AES-256-GCM, authenticated and opaque)
 * for the challenge page's {@code md} and {@code cf_clearance}. Nothing outside the lab can forge or read either.
 * The MAC and the cipher use keys derived from the one lab key, so neither use weakens the other.
 */
public final class Sealer {

    private static final int NONCE_BYTES = 12;
    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64URL_DECODER = Base64.getUrlDecoder();

    private final byte[] labKey;
    private final SecretKeySpec sealKey;
    private final LabRandom random;

    public Sealer(byte[] labKey, LabRandom random) {
        if (labKey.length < 32) {
            throw new IllegalArgumentException("the lab key needs at least 32 bytes");
        }
        this.labKey = labKey.clone();
        this.sealKey = new SecretKeySpec(hmac(labKey, "seal".getBytes(StandardCharsets.UTF_8)), "AES");
        this.random = random;
    }

    /** HMAC-SHA256 of {@code data} under the lab key. */
    public byte[] mac(byte[] data) {
        return hmac(labKey, data);
    }

    /** Lowercase hex HMAC-SHA256 of the UTF-8 bytes of {@code data} (64 characters). */
    public String macHex(String data) {
        return HexFormat.of().formatHex(mac(data.getBytes(StandardCharsets.UTF_8)));
    }

    /** Whether {@code hex} is the MAC of {@code data}, compared in constant time. */
    public boolean verifyHex(String data, String hex) {
        byte[] given;
        try {
            given = HexFormat.of().parseHex(hex);
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(mac(data.getBytes(StandardCharsets.UTF_8)), given);
    }

    /** Encrypts and authenticates {@code plaintext}; the result is base64url without padding. */
    public String seal(byte[] plaintext) {
        byte[] nonce = random.bytes(NONCE_BYTES);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, sealKey, new GCMParameterSpec(128, nonce));
            byte[] sealed = cipher.doFinal(plaintext);
            return B64URL.encodeToString(ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable", e);
        }
    }

    /** Seals a UTF-8 string. */
    public String seal(String plaintext) {
        return seal(plaintext.getBytes(StandardCharsets.UTF_8));
    }

    /** The plaintext of a blob this lab sealed, or empty when it is malformed or was not sealed by this lab key. */
    public Optional<byte[]> open(String sealed) {
        try {
            byte[] all = B64URL_DECODER.decode(sealed);
            if (all.length <= NONCE_BYTES + 16) {
                return Optional.empty();
            }
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, sealKey, new GCMParameterSpec(128, Arrays.copyOf(all, NONCE_BYTES)));
            return Optional.of(cipher.doFinal(all, NONCE_BYTES, all.length - NONCE_BYTES));
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            return Optional.empty();
        }
    }

    /** {@link #open(String)} as a UTF-8 string. */
    public Optional<String> openString(String sealed) {
        return open(sealed).map(b -> new String(b, StandardCharsets.UTF_8));
    }

    /** Lowercase hex SHA-256 of the UTF-8 bytes of {@code s} (for user-agent hashes and digests). */
    public static String sha256Hex(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
