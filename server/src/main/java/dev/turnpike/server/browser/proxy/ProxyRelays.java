package dev.turnpike.server.browser.proxy;

import dev.turnpike.connect.HttpProxyFrontend;
import dev.turnpike.server.net.ProxySpec;
import dev.turnpike.server.task.FailReason;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Opens {@link ProxyRelay}s, one per browser context, all served by a small shared set of I/O threads; the direct
 * route (address policy and host rules) is the same for every relay.
 *
 * <p>One listener per task rather than one shared listener: a browser context's proxy settings cannot tell the
 * relay which task a connection belongs to (short of per-task credentials, which would need the very
 * {@code Fetch.authRequired} round trips the relay exists to avoid), a listener costs one loopback port, and closing a
 * task's relay then closes exactly its connections.
 */
public final class ProxyRelays implements AutoCloseable {


    /**
     * @param connectTimeout how long the TCP connect to the task's proxy may take
     * @param readTimeout    how long the proxy may take to answer its handshake (CONNECT, SOCKS greeting and auth)
     * @param ioThreads      I/O threads shared by all relays
     */
    public record Settings(Duration connectTimeout, Duration readTimeout, int ioThreads) {
        public static final Settings DEFAULTS = new Settings(Duration.ofSeconds(10), Duration.ofSeconds(15), 1);

        public Settings {
            Objects.requireNonNull(connectTimeout, "connectTimeout");
            Objects.requireNonNull(readTimeout, "readTimeout");
            if (connectTimeout.isNegative() || connectTimeout.isZero() || connectTimeout.toMillis() > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("connectTimeout must be positive: " + connectTimeout);
            }
            if (readTimeout.isNegative() || readTimeout.isZero()) {
                throw new IllegalArgumentException("readTimeout must be positive: " + readTimeout);
            }
            if (ioThreads < 1) {
                throw new IllegalArgumentException("ioThreads must be at least 1: " + ioThreads);
            }
        }
    }

    private final Settings settings;
    private final DirectRoute direct;
    private final EventLoopGroup loop;
    /** Where direct dials resolve names: off the I/O threads, which must never block. */
    private final ExecutorService resolving = Executors.newVirtualThreadPerTaskExecutor();

    /** @param direct where relays bound {@linkplain ProxyRelay#bindDirect() direct} send their connections */
    public ProxyRelays(Settings settings, DirectRoute direct) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.direct = Objects.requireNonNull(direct, "direct");
        this.loop = new MultiThreadIoEventLoopGroup(settings.ioThreads(),
                new DefaultThreadFactory("proxy-relay", true), NioIoHandler.newFactory());
    }

    /**
     * Starts a relay to {@code upstream} ({@link ProxyRelay#bind}: the proxy's name resolved once and judged, and
     * only that address dialled).
     *
     * @throws UnknownHostException when the proxy's host name does not resolve or its address is refused
     */
    public ProxyRelay open(ProxySpec upstream) throws UnknownHostException {
        ProxyRelay relay = openUnbound();
        try {
            relay.bind(upstream);
        } catch (UnknownHostException | RuntimeException e) {
            relay.close();
            throw e;
        }
        return relay;
    }

    /**
     * Starts a relay that listens but has no route yet: a browser context can be made on it ahead of the task
     * ({@link ProxyRelay#bind} or {@link ProxyRelay#bindDirect} then gives it the task's). Until bound it refuses
     * every connection.
     */
    public ProxyRelay openUnbound() {
        ChannelGroup channels = new DefaultChannelGroup("proxy-relay", GlobalEventExecutor.INSTANCE);
        ProxyRelay.Binding binding = new ProxyRelay.Binding(settings, direct, resolving, channels);
        Channel listener = new ServerBootstrap()
                .group(loop)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        Dialer dialer = binding.dialer();
                        if (dialer == null) {
                            ch.close(); // no task yet: nothing may leave through this relay
                            return;
                        }
                        channels.add(ch);
                        HttpProxyFrontend.install(ch.pipeline(), new RelayGate(dialer));
                    }
                })
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .syncUninterruptibly()
                .channel();
        channels.add(listener);
        return new ProxyRelay(listener, channels, binding);
    }

    /** Closes the I/O threads; relays still open lose their connections. */
    @Override
    public void close() {
        resolving.shutdownNow();
        loop.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
}
