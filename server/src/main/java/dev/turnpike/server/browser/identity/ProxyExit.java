package dev.turnpike.server.browser.identity;

import java.util.Locale;
import java.util.Optional;

/**
 * Where a proxy's traffic leaves for the internet, as Cloudflare's edge sees it: the address and its country.
 *
 * @param ip      the exit address ({@code ip=} of {@code /cdn-cgi/trace})
 * @param country ISO 3166 alpha-2, upper case ({@code loc=})
 */
public record ProxyExit(String ip, String country) {

    /**
     * Reads a {@code /cdn-cgi/trace} answer ({@code key=value} lines). Empty when it names no country: no {@code loc=},
     * or Cloudflare's {@code XX} (unknown) and {@code T1} (Tor), which are no country's.
     */
    public static Optional<ProxyExit> parse(String trace) {
        String ip = null;
        String loc = null;
        for (String line : trace.split("\n")) {
            int eq = line.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            String key = line.substring(0, eq).trim();
            String value = line.substring(eq + 1).trim();
            if (key.equals("ip")) {
                ip = value;
            } else if (key.equals("loc")) {
                loc = value.toUpperCase(Locale.ROOT);
            }
        }
        if (loc == null || !loc.matches("[A-Z]{2}") || loc.equals("XX") || loc.equals("T1")) {
            return Optional.empty();
        }
        return Optional.of(new ProxyExit(ip == null || ip.isEmpty() ? null : ip, loc));
    }
}
