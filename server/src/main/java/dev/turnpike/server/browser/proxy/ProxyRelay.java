package dev.turnpike.server.browser.proxy;

import dev.turnpike.server.net.ProxySpec;
import dev.turnpike.server.task.FailReason;
import io.netty.channel.Channel;
import io.netty.channel.group.ChannelGroup;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

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
 */
public final class ProxyRelay implements AutoCloseable {

    private final ProxySpec upstream;
    private final Channel listener;
    private final ChannelGroup channels;
    private final CompletableFuture<FailReason> firstFailure;

    ProxyRelay(ProxySpec upstream, Channel listener, ChannelGroup channels, CompletableFuture<FailReason> firstFailure) {
        this.upstream = upstream;
        this.listener = listener;
        this.channels = channels;
        this.firstFailure = firstFailure;
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
        return upstream;
    }

    /**
     * Completes with the first proxy-level failure; never completes while the proxy works. Dependent actions run
     * on the relay's I/O thread unless added with an {@code ...Async} method: keep them short.
     */
    public CompletableFuture<FailReason> firstFailure() {
        return firstFailure.copy();
    }

    /** Stops listening and closes every browser and proxy connection of this relay. */
    @Override
    public void close() {
        channels.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    @Override
    public String toString() {
        return "ProxyRelay[" + proxyServer() + " -> " + upstream + "]";
    }
}
