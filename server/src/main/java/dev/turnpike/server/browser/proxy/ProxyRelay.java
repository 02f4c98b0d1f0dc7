package dev.turnpike.server.browser.proxy;

import dev.turnpike.server.net.AddressPolicy;
import dev.turnpike.server.net.CheckedDialer;
import dev.turnpike.server.net.ProxySpec;
import dev.turnpike.server.net.RefusedAddressException;
import dev.turnpike.server.task.FailReason;
import io.netty.channel.Channel;
import io.netty.channel.group.ChannelGroup;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One task's way out: a listener on 127.0.0.1 that the task's browser context uses as an unauthenticated HTTP proxy
 * ({@link #proxyServer()} goes to {@code Target.createBrowserContext}), and the only way its pages reach anything.
 * Bound to one of two routes:
 * <ul>
 *   <li>{@link #bind(ProxySpec) the task's proxy}: every connection goes through it with its credentials. This is
 *       how a task uses a SOCKS5 proxy with a password, which Chromium cannot, and it keeps proxy credentials out of
 *       CDP entirely. {@link #firstFailure()} completes with the first proxy-level failure (refused, connect timeout,
 *       no answer, credentials rejected) so the solver can fail the task at once with the right reason. Failures
 *       about one target only (the proxy refuses or cannot reach that host) are not reported there; the browser
 *       sees them as a 502 on that request.</li>
 *   <li>{@link #bindDirect() direct}: the relay resolves each target itself, checks it against the address policy
 *       and dials only the addresses it checked ({@link DirectRoute}); a refused target is answered 403, never
 *       dialled, and listed in {@link #refusals()}. The browser does no lookup and pauses no request for the policy.</li>
 * </ul>
 *
 * <p>A relay is opened before its task ({@link ProxyRelays#openUnbound()}), so that a browser context can be made on
 * it ahead of time; it refuses every connection until it is bound.
 */
public final class ProxyRelay implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ProxyRelay.class);
    /** Refusals kept per relay: enough to explain a task's failure, bounded against a page that loops. */
    private static final int REFUSALS_KEPT = 32;

    /** The route, once bound, and the dialer that takes it. */
    static final class Binding {
        private final ProxyRelays.Settings settings;
        private final DirectRoute direct;
        private final Executor resolving;
        private final ChannelGroup channels;
        private final CompletableFuture<FailReason> firstFailure = new CompletableFuture<>();
        private final List<Refusal> refusals = new CopyOnWriteArrayList<>();
        private final List<Unreachable> unreachables = new CopyOnWriteArrayList<>();
        private final ProxyAnswers proxyAnswers = new ProxyAnswers();
        private volatile ProxySpec upstream;
        private volatile Dialer dialer;

        Binding(ProxyRelays.Settings settings, DirectRoute direct, Executor resolving, ChannelGroup channels) {
            this.settings = settings;
            this.direct = direct;
            this.resolving = resolving;
            this.channels = channels;
        }

        Dialer dialer() {
            return dialer;
        }

        synchronized void bind(ProxySpec spec) throws UnknownHostException {
            requireUnbound();
            // Resolved once and judged here, then dialled at that address only: a name that answered a public
            // address at createTask cannot send the CONNECT and its credentials to loopback now.
            InetSocketAddress proxyAddress = switch (direct.dialer().route(spec.host(), spec.port())) {
                case CheckedDialer.Allowed allowed -> allowed.addresses().getFirst();
                case CheckedDialer.Refused refused -> throw refused.decision().verdict()
                        == AddressPolicy.Verdict.REFUSED_UNRESOLVABLE ? new UnknownHostException(spec.host())
                        : new RefusedAddressException(spec.host(), refused.decision());
            };
            dialer = new UpstreamDialer(spec, proxyAddress, settings, channels, reason -> {
                if (firstFailure.complete(reason)) {
                    log.info("proxy {} failed: {}", spec, reason);
                }
            }, proxyAnswers);
            upstream = spec;
        }

        synchronized void bindDirect() {
            requireUnbound();
            dialer = new DirectDialer(direct, resolving, settings, channels, refusal -> {
                // Logged as kept: a page that loops over refused targets fills neither the list nor the log.
                if (refusals.size() < REFUSALS_KEPT) {
                    refusals.add(refusal);
                    log.info("refused a connection to {}", refusal);
                } else {
                    log.debug("refused a connection to {}", refusal);
                }
            }, unreachable -> {
                if (unreachables.size() < REFUSALS_KEPT) {
                    unreachables.add(unreachable);
                }
            });
        }

        private void requireUnbound() {
            if (dialer != null) {
                throw new IllegalStateException("this relay is bound already (" + (upstream == null ? "direct" : upstream) + ")");
            }
        }
    }

    private final Channel listener;
    private final ChannelGroup channels;
    private final Binding binding;

    ProxyRelay(Channel listener, ChannelGroup channels, Binding binding) {
        this.listener = listener;
        this.channels = channels;
        this.binding = binding;
    }

    /**
     * Sends the browser's connections through the task's proxy. The proxy's host name is resolved once, here, its
     * addresses judged by the address policy, and the relay connects only to the address it judged. Once only.
     *
     * @throws RefusedAddressException the policy refuses the proxy's address (nothing was dialled)
     * @throws UnknownHostException    when the proxy's host name does not resolve
     */
    public void bind(ProxySpec upstream) throws UnknownHostException {
        binding.bind(Objects.requireNonNull(upstream, "upstream"));
    }

    /** Sends the browser's connections straight to their targets, each checked by the address policy. Once only. */
    public void bindDirect() {
        binding.bindDirect();
    }

    /** The loopback address the browser connects to. */
    public InetSocketAddress address() {
        return (InetSocketAddress) listener.localAddress();
    }

    /** {@code http://127.0.0.1:<port>}, the value for the browser context's {@code proxyServer}. */
    public String proxyServer() {
        return "http://127.0.0.1:" + address().getPort();
    }

    /** The task's proxy this relay forwards through ({@link ProxySpec#toString()} hides the password); null if direct. */
    public ProxySpec upstream() {
        return binding.upstream;
    }

    /**
     * Completes with the first proxy-level failure; never completes while the proxy works, nor on a direct relay.
     * Dependent actions run on the relay's I/O thread unless added with an {@code ...Async} method: keep them short.
     */
    public CompletableFuture<FailReason> firstFailure() {
        return binding.firstFailure.copy();
    }

    /** The targets the address policy refused on this relay so far (the first few), oldest first. */
    public List<Refusal> refusals() {
        return List.copyOf(binding.refusals);
    }

    /** The refusal of a connection to {@code host}, if there was one. */
    public Optional<Refusal> refusalOf(String host) {
        return binding.refusals.stream().filter(r -> sameHost(r.host(), host)).findFirst();
    }

    /** The first connection to {@code host} that was allowed but that none of its addresses answered, if any. */
    public Optional<Unreachable> unreachableOf(String host) {
        return binding.unreachables.stream().filter(u -> sameHost(u.host(), host)).findFirst();
    }

    /** Host names as the browser and the task spell them: any case, a trailing dot or not, IPv6 in brackets or not. */
    private static boolean sameHost(String a, String b) {
        return plainHost(a).equalsIgnoreCase(plainHost(b));
    }

    private static String plainHost(String host) {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
    }

    /**
     * The task proxy's own error answer ({@code "502 Bad Gateway"}) to the latest tunnel asked for {@code host}, when
     * that tunnel did not open: what the browser then shows for the host is the proxy's failure, not the site.
     */
    public Optional<String> proxyErrorFor(String host) {
        return binding.proxyAnswers.latestErrorFor(host);
    }

    /** Stops listening and closes every browser and proxy connection of this relay. */
    @Override
    public void close() {
        channels.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    @Override
    public String toString() {
        Dialer dialer = binding.dialer;
        return "ProxyRelay[" + proxyServer() + " -> " + (dialer == null ? "unbound"
                : binding.upstream == null ? "direct" : binding.upstream) + "]";
    }
}
