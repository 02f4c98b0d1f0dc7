package dev.turnpike.server.account;

/**
 * The bounds of an amount of points. A key's balance is a {@code long} summed in the store: an amount or a balance
 * above {@link #MAX} is refused where it comes in (admin API, CLI, store) rather than overflowing there.
 */
public final class Points {

    /** 10^15: far above any real balance, far below {@code Long.MAX_VALUE}, so sums of a few never overflow. */
    public static final long MAX = 1_000_000_000_000_000L;

    private Points() {
    }

    /** Why {@code points} is not an amount a key may be created with, or null when it is. */
    public static String problemWithInitial(String field, long points) {
        if (points < 0) {
            return field + " must not be negative";
        }
        return points > MAX ? field + " must be at most " + MAX + " (10^15)" : null;
    }

    /** Why {@code points} is not an amount a key may be topped up with, or null when it is. */
    public static String problemWithTopUp(String field, long points) {
        if (points <= 0) {
            return field + " must be a positive number";
        }
        return points > MAX ? field + " must be at most " + MAX + " (10^15)" : null;
    }
}
