package dev.turnpike.lab.proxy;

import dev.turnpike.connect.HttpProxyFrontend;
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
import io.netty.handler.codec.socksx.v5.Socks5InitialRequestDecoder;
import io.netty.handler.codec.socksx.v5.Socks5ServerEncoder;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The lab's forward proxy (LAB.md L0): an HTTP proxy (CONNECT and absolute-URI requests, Basic auth) and a SOCKS5
 * proxy (username/password), both in front of the lab. A request is authenticated against {@link ProxyAccounts}
 * as they are at that moment, routed by {@link Upstream} to a lab connector, and sent there after a PROXY protocol
 * v1 line carrying the account's exit IP, so the lab sees that IP as the client's. Account faults (LAB.md L4.13)
 * make it refuse, stall, drop or reject credentials. Built on Netty's HTTP and SOCKS5 codecs.
 *
 * <p>A fault acts once the client has named its account: on HTTP right after the request head, before any answer;
 * on SOCKS5 after the credentials sub-negotiation, so the method-selection answer has always been sent. Changes to
 * {@link ProxyAccounts} apply to the next connection (and the next plain request); open tunnels are left alone.
 */
public final class ForwardProxy implements AutoCloseable {

    private final EventLoopGroup loop;
    private final ChannelGroup channels;
    private final Channel http;
    private final Channel socks;

    private ForwardProxy(EventLoopGroup loop, ChannelGroup channels, Channel http, Channel socks) {
        this.loop = loop;
        this.channels = channels;
        this.http = http;
        this.socks = socks;
    }

    /**
     * Starts both listeners on {@code bind}'s address: HTTP on {@code bind}'s port (0 picks one), SOCKS5 on an
     * ephemeral port. Events are delivered on the proxy's I/O thread: the consumer must be quick and not block.
     */
    public static ForwardProxy start(InetSocketAddress bind, ProxyAccounts accounts, Upstream upstream,
                                     Consumer<ProxyEvent> events) {
        return builder(accounts, upstream).bind(bind.getAddress()).httpPort(bind.getPort()).events(events).start();
    }

    public static Builder builder(ProxyAccounts accounts, Upstream upstream) {
        return new Builder(accounts, upstream);
    }

    /** Where clients reach the HTTP proxy. */
    public InetSocketAddress httpAddress() {
        return (InetSocketAddress) http.localAddress();
    }

    /** Where clients reach the SOCKS5 proxy. */
    public InetSocketAddress socksAddress() {
        return (InetSocketAddress) socks.localAddress();
    }

    /** Stops listening and closes every open client and lab connection. */
    @Override
    public void close() {
        channels.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        loop.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    /** Settings of a {@link ForwardProxy}; loopback and ephemeral ports unless told otherwise. */
    public static final class Builder {
        private final ProxyAccounts accounts;
        private final Upstream upstream;
        private InetAddress bind = InetAddress.getLoopbackAddress();
        private int httpPort;
        private int socksPort;
        private Consumer<ProxyEvent> events = e -> { };
        private Clock clock = Clock.systemUTC();

        private Builder(ProxyAccounts accounts, Upstream upstream) {
            this.accounts = Objects.requireNonNull(accounts, "accounts");
            this.upstream = Objects.requireNonNull(upstream, "upstream");
        }

        public Builder bind(InetAddress address) {
            this.bind = Objects.requireNonNull(address, "address");
            return this;
        }

        public Builder httpPort(int port) {
            this.httpPort = checkPort(port);
            return this;
        }

        public Builder socksPort(int port) {
            this.socksPort = checkPort(port);
            return this;
        }

        /** Receives every {@link ProxyEvent}, on the proxy's I/O thread. */
        public Builder events(Consumer<ProxyEvent> consumer) {
            this.events = Objects.requireNonNull(consumer, "consumer");
            return this;
        }

        /** The clock that stamps events. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public ForwardProxy start() {
            // One I/O thread is plenty for a test lab and keeps each connection's state on one thread.
            EventLoopGroup loop = new MultiThreadIoEventLoopGroup(1,
                    new DefaultThreadFactory("lab-proxy", true), NioIoHandler.newFactory());
            ChannelGroup channels = new DefaultChannelGroup("lab-proxy", GlobalEventExecutor.INSTANCE);
            ProxyCore core = new ProxyCore(accounts, upstream, events, clock, channels);
            try {
                Channel http = listen(loop, channels, httpPort, new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        channels.add(ch);
                        HttpProxyFrontend.install(ch.pipeline(), new HttpProxyGate(core));
                    }
                });
                Channel socks = listen(loop, channels, socksPort, new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        channels.add(ch);
                        ch.pipeline().addLast(Socks5Frontend.ENCODER, Socks5ServerEncoder.DEFAULT);
                        ch.pipeline().addLast(Socks5Frontend.DECODER, new Socks5InitialRequestDecoder());
                        ch.pipeline().addLast("frontend", new Socks5Frontend(core));
                    }
                });
                return new ForwardProxy(loop, channels, http, socks);
            } catch (RuntimeException e) {
                channels.close().awaitUninterruptibly();
                loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
                throw e;
            }
        }

        private Channel listen(EventLoopGroup loop, ChannelGroup channels, int port,
                               ChannelInitializer<SocketChannel> initializer) {
            Channel server = new ServerBootstrap()
                    .group(loop)
                    .channel(NioServerSocketChannel.class)
                    .childHandler(initializer)
                    .bind(new InetSocketAddress(bind, port))
                    .syncUninterruptibly()
                    .channel();
            channels.add(server);
            return server;
        }

        private static int checkPort(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
            return port;
        }
    }
}
