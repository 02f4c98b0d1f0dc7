package dev.turnpike.lab.turnstile;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** The widget's proof of work: {@code n} such that {@code sha256(seed + n)} starts with {@code bits} zero bits. */
public final class ProofOfWork {

    private ProofOfWork() {
    }

    /** Whether {@code n} (a decimal string, as the page sends it) solves {@code seed} at {@code bits}. */
    public static boolean verify(String seed, String n, int bits) {
        if (n == null || !n.matches("^[0-9]{1,16}$")) {
            return false;
        }
        return leadingZeroBits(sha256(seed + n)) >= bits;
    }

    /** Finds an answer by brute force (tests and tools; the browser does this in a Web Worker). */
    public static String solve(String seed, int bits) {
        for (long n = 0; ; n++) {
            if (leadingZeroBits(sha256(seed + n)) >= bits) {
                return Long.toString(n);
            }
        }
    }

    static int leadingZeroBits(byte[] hash) {
        int bits = 0;
        for (byte b : hash) {
            if (b == 0) {
                bits += 8;
                continue;
            }
            return bits + Integer.numberOfLeadingZeros(b & 0xff) - 24;
        }
        return bits;
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
