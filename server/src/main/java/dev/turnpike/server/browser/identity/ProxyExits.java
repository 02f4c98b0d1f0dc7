package dev.turnpike.server.browser.identity;

import dev.turnpike.server.net.ProxySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The exits of the proxies tasks used, each learnt once and kept for a while: a task through a proxy whose exit is
 * known adds nothing to its solve. Tasks through the same proxy at once wait for one trace. A proxy is known by all
 * of it, credentials included (a session-sticky proxy exits elsewhere per user name). A failed trace is kept for the
 * host that failed only, and briefly: another host may be behind Cloudflare, and this one may come back.
 */
public final class ProxyExits {

    private static final Logger log = LoggerFactory.getLogger(ProxyExits.class);

    /** What a lookup learnt: an exit, or why there is none. */
    public sealed interface Lookup {
        record Known(ProxyExit exit) implements Lookup {
        }

        record Unknown(ExitUnknown reason, String detail) implements Lookup {
        }
    }

    /** Fetches one trace. */
    @FunctionalInterface
    public interface Trace {
        ProxyExit fetch() throws TraceException, InterruptedException;
    }

    private record Kept(Lookup lookup, Instant until) {
    }

    private record HostKey(ProxySpec proxy, String host) {
    }

    private final Clock clock;
    private final Duration keepExit;
    private final Duration keepFailure;
    private final Map<ProxySpec, Kept> exits = new ConcurrentHashMap<>();
    private final Map<HostKey, Kept> failures = new ConcurrentHashMap<>();
    private final Map<HostKey, CompletableFuture<Lookup>> flights = new ConcurrentHashMap<>();
    /** Bounds both maps: past it, expired entries are dropped, then everything if none had expired. */
    private final int capacity;

    /**
     * @param keepExit    how long a learnt exit is trusted (a proxy may rotate its exits)
     * @param keepFailure how long a host that gave no trace is not asked again through that proxy
     * @param capacity    proxies remembered at most
     */
    public ProxyExits(Clock clock, Duration keepExit, Duration keepFailure, int capacity) {
        this.clock = clock;
        this.keepExit = keepExit;
        this.keepFailure = keepFailure;
        this.capacity = capacity;
    }

    /** The exit of {@code proxy}, from memory when known, else from {@code trace} (one at a time per proxy and host). */
    public Lookup lookup(ProxySpec proxy, String host, Trace trace) throws InterruptedException {
        Instant now = clock.instant();
        Kept known = exits.get(proxy);
        if (known != null && now.isBefore(known.until)) {
            return known.lookup;
        }
        HostKey key = new HostKey(proxy, host.toLowerCase(Locale.ROOT));
        Kept failed = failures.get(key);
        if (failed != null && now.isBefore(failed.until)) {
            return failed.lookup;
        }
        CompletableFuture<Lookup> mine = new CompletableFuture<>();
        CompletableFuture<Lookup> flight = flights.putIfAbsent(key, mine);
        if (flight != null) {
            try {
                return flight.get();
            } catch (ExecutionException e) {
                return lookup(proxy, host, trace); // the task that fetched it was stopped: fetch it ourselves
            }
        }
        // A flight that ended between our first look and ours keeps its answer before it leaves: look once more.
        Kept meanwhile = exits.get(proxy);
        if (meanwhile == null || !now.isBefore(meanwhile.until)) {
            meanwhile = failures.get(key);
        }
        if (meanwhile != null && now.isBefore(meanwhile.until)) {
            flights.remove(key, mine);
            mine.complete(meanwhile.lookup);
            return meanwhile.lookup;
        }
        Lookup result;
        try {
            result = new Lookup.Known(trace.fetch());
        } catch (TraceException e) {
            result = new Lookup.Unknown(e.reason(), e.getMessage());
            log.info("no exit country for the proxy {}: {} ({}); its tasks present this machine's time zone and"
                    + " languages", proxy, e.reason().code(), e.getMessage());
        } catch (InterruptedException | RuntimeException e) {
            flights.remove(key, mine);
            mine.completeExceptionally(e);
            throw e;
        }
        trim();
        Instant then = clock.instant();
        if (result instanceof Lookup.Known) {
            exits.put(proxy, new Kept(result, then.plus(keepExit)));
            failures.remove(key);
        } else {
            failures.put(key, new Kept(result, then.plus(keepFailure)));
        }
        flights.remove(key, mine);
        mine.complete(result);
        return result;
    }

    private void trim() {
        Instant now = clock.instant();
        for (Map<?, Kept> map : java.util.List.<Map<?, Kept>>of(exits, failures)) {
            if (map.size() >= capacity) {
                map.values().removeIf(k -> !now.isBefore(k.until));
                if (map.size() >= capacity) {
                    map.clear();
                }
            }
        }
    }
}
