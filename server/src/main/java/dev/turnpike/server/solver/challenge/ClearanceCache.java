package dev.turnpike.server.solver.challenge;

import com.fasterxml.jackson.databind.JsonNode;
import dev.turnpike.server.net.ProxySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code cf_clearance} cookies of earlier solves, so a task for a site already cleared through the same proxy
 * (same credentials, hence the same client and exit IP) with the same wanted user agent starts cleared instead of
 * solving the challenge again (USERS.md: solving again and again for one site). Only the clearance cookie is kept —
 * never the site's own cookies, which may carry a session the POST of another task opened. An entry lives until the
 * cookie expires or {@code maxAge} passes, whichever is sooner; a clearance the site no longer accepts simply meets
 * the challenge, which is then solved and remembered again. In memory, per solving node; at most {@code maxEntries},
 * the least recently used going first.
 */
public final class ClearanceCache {

    /**
     * Whose clearance: the site's host, the proxy with its credentials (null: this machine's own address, for a
     * FlareSolverr request without a proxy), and the user agent the task wanted.
     */
    public record Key(String host, ProxySpec proxy, String wantedUserAgent) {
        public Key {
            host = host.toLowerCase(Locale.ROOT);
        }

        @Override
        public String toString() {
            return host + " via " + (proxy == null ? "no proxy" : proxy); // ProxySpec hides the password
        }
    }

    private record Kept(JsonNode cookie, Instant until) {
    }

    private final Clock clock;
    private final int maxEntries;
    private final Duration maxAge;
    private final Map<Key, Kept> entries;

    /**
     * @param maxEntries the most clearances kept (0: the cache is off)
     * @param maxAge     the longest a clearance is reused, even when its cookie says it lives longer
     */
    public ClearanceCache(Clock clock, int maxEntries, Duration maxAge) {
        if (maxEntries < 0) {
            throw new IllegalArgumentException("maxEntries must not be negative");
        }
        this.clock = Objects.requireNonNull(clock, "clock");
        this.maxEntries = maxEntries;
        this.maxAge = Objects.requireNonNull(maxAge, "maxAge");
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, Kept> eldest) {
                return size() > ClearanceCache.this.maxEntries;
            }
        };
    }

    /** A cache that keeps nothing. */
    public static ClearanceCache off() {
        return new ClearanceCache(Clock.systemUTC(), 0, Duration.ZERO);
    }

    /**
     * The clearance cookie to set before navigating, as {@code Network.getCookies} described it, if one is still
     * good for the key.
     */
    public synchronized Optional<JsonNode> clearanceFor(Key key) {
        Kept entry = entries.get(key);
        if (entry == null) {
            return Optional.empty();
        }
        if (!clock.instant().isBefore(entry.until())) {
            entries.remove(key);
            return Optional.empty();
        }
        return Optional.of(entry.cookie());
    }

    /**
     * Keeps the clearance cookie of a solve ({@code Network.getCookies}'s description: its {@code expires} is in
     * seconds since the epoch, or -1 for a session cookie, which is kept for {@code maxAge}).
     */
    public synchronized void remember(Key key, JsonNode clearanceCookie) {
        if (maxEntries == 0) {
            return;
        }
        Instant now = clock.instant();
        Instant until = now.plus(maxAge);
        double expires = clearanceCookie.path("expires").asDouble(-1);
        if (expires > 0) {
            Instant cookieExpiry = Instant.ofEpochMilli((long) (expires * 1000));
            if (cookieExpiry.isBefore(until)) {
                until = cookieExpiry;
            }
        }
        Kept known = entries.get(key);
        if (known != null && known.cookie().path("value").equals(clearanceCookie.path("value"))) {
            return; // the same clearance reused: its maxAge still counts from when it was first kept
        }
        if (until.isAfter(now)) {
            entries.put(key, new Kept(clearanceCookie.deepCopy(), until));
        }
    }

    /** Drops what is known for the key (a clearance that met the challenge again). */
    public synchronized void forget(Key key) {
        entries.remove(key);
    }

    /** Clearances kept now (expired ones included until they are looked up). */
    public synchronized int size() {
        return entries.size();
    }
}
