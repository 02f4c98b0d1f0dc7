package dev.turnpike.lab.origin;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.turnpike.lab.core.Sealer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;
import java.util.Optional;
import java.util.random.RandomGenerator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a {@code cf_clearance} cookie seals (LAB.md L3): the zone it passes, the user agent and exit IP it is
 * bound to, and when it expires. The cookie value is
 * {@code <43 base64url>-<unix issue time>-1.2.1.1-<sealed clearance>}, the shape of Cloudflare's.
 *
 * @param zone   the zone it was issued for
 * @param uaHash hex SHA-256 of the User-Agent that solved the challenge
 * @param ip     the client (exit) IP that solved it
 * @param exp    expiry, epoch seconds
 */
public record Clearance(String zone, String uaHash, String ip, long exp) {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern COOKIE = Pattern.compile("([A-Za-z0-9_-]{43})-(\\d{1,12})-1\\.2\\.1\\.1-(.+)");

    public Clearance {
        Objects.requireNonNull(zone, "zone");
        Objects.requireNonNull(uaHash, "uaHash");
        Objects.requireNonNull(ip, "ip");
    }

    /** The cookie value: a random prefix, the issue time and the sealed clearance. */
    public String toCookieValue(Sealer sealer, long issuedAtEpochSec, RandomGenerator random) {
        byte[] prefix = new byte[32];
        random.nextBytes(prefix);
        try {
            return Hashes.b64url(prefix) + "-" + issuedAtEpochSec + "-1.2.1.1-"
                    + sealer.seal(JSON.writeValueAsBytes(this));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The clearance a cookie value carries, when it has the right shape and a genuine seal. */
    public static Optional<Clearance> fromCookieValue(Sealer sealer, String value) {
        if (value == null) {
            return Optional.empty();
        }
        Matcher m = COOKIE.matcher(value);
        if (!m.matches()) {
            return Optional.empty();
        }
        return sealer.open(m.group(3)).flatMap(bytes -> {
            try {
                return Optional.of(JSON.readValue(bytes, Clearance.class));
            } catch (IOException | RuntimeException e) {
                return Optional.empty();
            }
        });
    }
}
