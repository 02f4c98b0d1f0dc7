package dev.turnpike.lab.core;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A Turnstile sitekey the lab knows, with its secret (LAB.md L0).
 *
 * @param sitekey    public key, {@code ^[0-9A-Za-z_-]{3,100}$}
 * @param secret     the key siteverify takes
 * @param hostnames  top-page hosts allowed (a subdomain of one is allowed too); {@code "*"} allows every host
 *                   (handy for the lab's own challenge sitekey); empty allows none
 * @param mode       managed, non-interactive or invisible
 * @param powBits    proof-of-work difficulty in leading zero bits (0..24; 16 by default)
 * @param delayMs    delay the lab adds to each widget step ("slow")
 * @param hostile    hostile modes
 */
public record Sitekey(String sitekey, String secret, List<String> hostnames, SitekeyMode mode, int powBits,
                      long delayMs, SitekeyHostile hostile) {

    public static final int DEFAULT_POW_BITS = 16;
    public static final int MAX_POW_BITS = 24;
    /** -1 in {@code powBits} means "use the default" when a sitekey is registered through JSON without it. */
    public static final int POW_BITS_DEFAULT_MARKER = -1;
    public static final Pattern SITEKEY = Pattern.compile("^[0-9A-Za-z_-]{3,100}$");
    private static final Pattern SECRET = Pattern.compile("^[0-9A-Za-z_-]{3,200}$");

    public Sitekey {
        Objects.requireNonNull(sitekey, "sitekey");
        Objects.requireNonNull(secret, "secret");
        if (!SITEKEY.matcher(sitekey).matches()) {
            throw new IllegalArgumentException("sitekey must match " + SITEKEY.pattern());
        }
        if (!SECRET.matcher(secret).matches()) {
            throw new IllegalArgumentException("secret must be 3-200 characters of [0-9A-Za-z_-]");
        }
        hostnames = hostnames == null ? List.of() : hostnames.stream().map(h -> h.toLowerCase(Locale.ROOT)).toList();
        mode = mode == null ? SitekeyMode.MANAGED : mode;
        powBits = powBits == POW_BITS_DEFAULT_MARKER ? DEFAULT_POW_BITS : powBits;
        if (powBits < 0 || powBits > MAX_POW_BITS) {
            throw new IllegalArgumentException("powBits must be 0.." + MAX_POW_BITS);
        }
        if (delayMs < 0 || delayMs > 600_000) {
            throw new IllegalArgumentException("delayMs must be 0..600000");
        }
        hostile = hostile == null ? SitekeyHostile.NONE : hostile;
    }

    /** A managed sitekey for the given hosts with the default proof of work. */
    public static Sitekey managed(String sitekey, String secret, String... hostnames) {
        return new Sitekey(sitekey, secret, List.of(hostnames), SitekeyMode.MANAGED, DEFAULT_POW_BITS, 0, null);
    }

    public Sitekey withHostile(SitekeyHostile newHostile) {
        return new Sitekey(sitekey, secret, hostnames, mode, powBits, delayMs, newHostile);
    }

    public Sitekey withMode(SitekeyMode newMode) {
        return new Sitekey(sitekey, secret, hostnames, newMode, powBits, delayMs, hostile);
    }

    public Sitekey withPow(int bits, long newDelayMs) {
        return new Sitekey(sitekey, secret, hostnames, mode, bits, newDelayMs, hostile);
    }

    /** Whether a page on {@code host} may use this sitekey: one of the hostnames or a subdomain of one. */
    public boolean allowsHost(String host) {
        if (host == null) {
            return false;
        }
        String h = host.toLowerCase(Locale.ROOT);
        return hostnames.stream().anyMatch(allowed -> allowed.equals("*") || h.equals(allowed) || h.endsWith("." + allowed));
    }

    @Override
    public String toString() {
        return "Sitekey[" + sitekey + ", hostnames=" + hostnames + ", mode=" + mode + ", powBits=" + powBits
                + ", delayMs=" + delayMs + ", hostile=" + hostile + "]";
    }
}
