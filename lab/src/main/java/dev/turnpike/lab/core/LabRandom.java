package dev.turnpike.lab.core;

import java.util.HexFormat;
import java.util.SplittableRandom;

/**
 * The lab's one source of randomness: seeded, so a lab started twice with the same seed and driven the same way
 * issues the same ids, nonces and challenge seeds. Not for secrets that must resist an attacker; the lab only
 * needs its own MAC key to be unguessable by default, which it gets from an unseeded start.
 */
public final class LabRandom {

    private static final String ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789";

    private final SplittableRandom random;

    public LabRandom(long seed) {
        this.random = new SplittableRandom(seed);
    }

    public synchronized byte[] bytes(int n) {
        byte[] out = new byte[n];
        random.nextBytes(out);
        return out;
    }

    public String hex(int nBytes) {
        return HexFormat.of().formatHex(bytes(nBytes));
    }

    /** {@code n} characters of {@code a-z0-9}. */
    public synchronized String alnum(int n) {
        StringBuilder out = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            out.append(ALNUM.charAt(random.nextInt(ALNUM.length())));
        }
        return out.toString();
    }

    public synchronized long nextLong() {
        return random.nextLong();
    }
}
