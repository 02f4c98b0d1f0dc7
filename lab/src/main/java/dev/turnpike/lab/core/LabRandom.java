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
    /** Proof-of-work seeds replayed from a sequence of their own ({@link #replayPowSeeds}), or null. */
    private SplittableRandom powSeeds;

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

    /**
     * The seed of the next widget's proof of work: from the lab's one source, or, after {@link #replayPowSeeds}, the
     * next of a sequence of its own.
     */
    public synchronized String powSeed() {
        byte[] out = new byte[16];
        (powSeeds != null ? powSeeds : random).nextBytes(out);
        return HexFormat.of().formatHex(out);
    }

    /**
     * From now on, proof-of-work seeds come from a sequence of their own starting at {@code seed}; null: from the lab's
     * one source again. A benchmark replays the same sequence for each side it compares, so both sides get the same
     * seeds and so the same proof of work: the number of hashes a seed takes is geometric (its standard deviation is
     * its mean), and a bare browser's CPU per challenge moved by up to a third between runs of 48 solves without this.
     * Nothing else that is random (ids, rays, tokens) is replayed.
     */
    public synchronized void replayPowSeeds(Long seed) {
        powSeeds = seed == null ? null : new SplittableRandom(seed);
    }
}
