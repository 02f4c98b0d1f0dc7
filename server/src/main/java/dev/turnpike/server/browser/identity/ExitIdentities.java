package dev.turnpike.server.browser.identity;

import dev.turnpike.server.browser.proxy.ProxyRelay;
import dev.turnpike.server.net.ProxySpec;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The time zone and languages a task's context presents: those of its proxy exit's country (learnt from
 * {@code /cdn-cgi/trace} on the target's host through the context's relay, kept per proxy), or this machine's own
 * for a task without a proxy, or when the exit's country cannot be learnt — which never fails the task.
 */
public final class ExitIdentities {

    private static final Logger log = LoggerFactory.getLogger(ExitIdentities.class);
    /** A trace is one small answer through the proxy; past this the page had better load without it. */
    public static final Duration TRACE_TIMEOUT = Duration.ofSeconds(5);
    /** Rotating proxies change exits; a clearance lasts about as long. */
    public static final Duration KEEP_EXIT = Duration.ofMinutes(10);
    public static final Duration KEEP_FAILURE = Duration.ofMinutes(1);
    private static final int PROXIES_KEPT = 10_000;

    private final ProxyExits exits;
    private final EdgeTraceClient traces;
    private final CountryLocales locales;
    private final LikelyLanguages languages;
    /** Where traces learnt ahead of their task run. */
    private final ExecutorService ahead = Executors.newVirtualThreadPerTaskExecutor();

    public ExitIdentities(ProxyExits exits, EdgeTraceClient traces, CountryLocales locales) {
        this.exits = exits;
        this.traces = traces;
        this.locales = locales;
        this.languages = new LikelyLanguages(locales.countries());
    }

    /** Opens a relay of its own to a task's proxy, under the same address policy as its context's. */
    @FunctionalInterface
    public interface RelayOpener {
        ProxyRelay open() throws java.net.UnknownHostException;
    }

    /**
     * Starts learning the exit of {@code proxy} while its task's context is being taken: through a relay of its own,
     * opened only when the exit is neither known nor being learnt, closed after. The task's own lookup then waits for
     * what is left of this trace rather than starting one. Never blocks; a failure here is the lookup's answer.
     */
    public void learnAhead(ProxySpec proxy, URI target, String userAgent, RelayOpener relays) {
        ahead.execute(() -> {
            try {
                exits.lookup(proxy, target.getHost(), () -> {
                    try (ProxyRelay relay = relays.open()) {
                        return traces.fetch(relay.address(), target, userAgent);
                    } catch (java.net.UnknownHostException | RuntimeException e) {
                        // The context's own binding says why to the task; this trace only found no exit.
                        throw new TraceException(ExitUnknown.UNREACHABLE, "no relay to the proxy: " + e.getMessage(), e);
                    }
                });
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    /** For browsers started with {@code chromiumArgs}: the trace trusts the certificates they trust. */
    public static ExitIdentities forBrowsers(Clock clock, List<String> chromiumArgs) {
        return new ExitIdentities(new ProxyExits(clock, KEEP_EXIT, KEEP_FAILURE, PROXIES_KEPT),
                new EdgeTraceClient(EdgeTraceClient.pinsIn(chromiumArgs), TRACE_TIMEOUT,
                        Executors.newVirtualThreadPerTaskExecutor()), CountryLocales.load(CountryLocales.ZONEINFO));
    }

    /**
     * What a context presents for a task.
     *
     * @param proxy     the task's proxy; null for none (the machine's own)
     * @param relay     the context's relay, bound to {@code proxy}: the trace leaves where the page will
     * @param target    the task's page: its host is asked for the trace
     * @param userAgent the context's user agent, sent with the trace
     * @param browser   evaluates in the context's blank page (the country's language, once per process)
     */
    public RegionalIdentity identityFor(ProxySpec proxy, InetSocketAddress relay, URI target, String userAgent,
                                        LikelyLanguages.Browser browser) throws InterruptedException {
        if (proxy == null) {
            return RegionalIdentity.machine(null);
        }
        ProxyExits.Lookup lookup = exits.lookup(proxy, target.getHost(), () -> traces.fetch(relay, target, userAgent));
        switch (lookup) {
            case ProxyExits.Lookup.Unknown unknown -> {
                log.debug("presenting this machine's time zone and languages through {}: {} ({})", proxy,
                        unknown.reason().code(), unknown.detail());
                return RegionalIdentity.machine(unknown.reason());
            }
            case ProxyExits.Lookup.Known known -> {
                ProxyExit exit = known.exit();
                Optional<String> zone = locales.timeZone(exit.country());
                Optional<String> language = zone.isEmpty() ? Optional.empty() : languages.of(exit.country(), browser);
                if (zone.isEmpty() || language.isEmpty()) {
                    log.debug("presenting this machine's time zone and languages through {}: no {} of {}", proxy,
                            zone.isEmpty() ? "time zone" : "language", exit.country());
                    return RegionalIdentity.machine(ExitUnknown.UNKNOWN_COUNTRY);
                }
                return new RegionalIdentity(exit.ip(), exit.country(), zone.get(),
                        CountryLocales.languages(exit.country(), language.get()), IdentitySource.PROXY, null);
            }
        }
    }
}
