package dev.turnpike.server.browser.proxy;

import dev.turnpike.server.net.ProxySpec;
import dev.turnpike.server.task.FailReason;
import io.netty.channel.Channel;
import io.netty.channel.group.ChannelGroup;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One task's local proxy: a listener on 127.0.0.1 that the task's browser context uses as an unauthenticated HTTP
 * proxy ({@link #proxyServer()} goes to {@code Target.createBrowserContext}), forwarding every connection through
 * the task's own proxy with its credentials. This is how a task uses a SOCKS5 proxy with a password, which Chromium
 * cannot, and it keeps proxy credentials out of CDP entirely.
 *
 * <p>{@link #firstFailure()} completes with the first proxy-level failure (refused, connect timeout, no answer,
 * credentials rejected) so the solver can fail the task at once with the right reason instead of waiting for the
 * page to time out. Failures about one target only (the proxy refuses or cannot reach that host) are not reported
 * here; the browser sees them as a 502 on that request.
 *
 * <p>A relay may be opened before its task ({@link ProxyRelays#openUnbound()}), so that a browser context can be
 * made on it ahead of time; it refuses every connection until {@link #bind} gives it the task's proxy.
 */
public final class ProxyRelay implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ProxyRelay.class);

    /** The task's proxy, once bound, and the dialer that goes through it. */
    static final class Binding {
        private final ProxyRelays.Settings settings;
        private final ChannelGroup channels;
        private final CompletableFuture<FailReason> firstFailure = new CompletableFuture<>();
        private volatile ProxySpec upstream;
        private volatile UpstreamDialer dialer;

        Binding(ProxyRelays.Settings settings, ChannelGroup channels) {
            this.settings = settings;
            this.channels = channels;
        }

        UpstreamDialer dialer() {
            return dialer;
        }

        synchronized void bind(ProxySpec spec) throws UnknownHostException {
            if (upstream != null) {
                throw new IllegalStateException("this relay already goes through " + upstream);
            }
            InetSocketAddress proxyAddress = new InetSocketAddress(InetAddress.getByName(spec.host()), spec.port());
            dialer = new UpstreamDialer(spec, proxyAddress, settings, channels, reason -> {
                if (firstFailure.complete(reason)) {
                    log.info("proxy {} failed: {}", spec, reason);
                }
            });
            upstream = spec;
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
     * Gives the relay the task's proxy; from now on the browser's connections go through it. The proxy's host
     * name is resolved once, here, and the relay connects only to that address: the caller hands in a proxy whose
     * address it has already checked against the address policy. Once only.
     *
     * @throws UnknownHostException when the proxy's host name does not resolve
     */
    public void bind(ProxySpec upstream) throws UnknownHostException {
        binding.bind(Objects.requireNonNull(upstream, "upstream"));
    }

    /** The loopback address the browser connects to. */
    public InetSocketAddress address() {
        return (InetSocketAddress) listener.localAddress();
    }

    /** {@code http://127.0.0.1:<port>}, the value for the browser context's {@code proxyServer}. */
    public String proxyServer() {
        return "http://127.0.0.1:" + address().getPort();
    }

    /** The task's proxy this relay forwards through ({@link ProxySpec#toString()} hides the password). */
    public ProxySpec upstream() {
        return binding.upstream;
    }

    /**
     * Completes with the first proxy-level failure; never completes while the proxy works. Dependent actions run
     * on the relay's I/O thread unless added with an {@code ...Async} method: keep them short.
     */
    public CompletableFuture<FailReason> firstFailure() {
        return binding.firstFailure.copy();
    }

    /** Stops listening and closes every browser and proxy connection of this relay. */
    @Override
    public void close() {
        channels.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    @Override
    public String toString() {
        return "ProxyRelay[" + proxyServer() + " -> " + (binding.upstream == null ? "unbound" : binding.upstream) + "]";
    }
}
