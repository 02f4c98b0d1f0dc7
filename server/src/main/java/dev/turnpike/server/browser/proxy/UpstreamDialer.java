package dev.turnpike.server.browser.proxy;

import dev.turnpike.server.net.ProxySpec;
import dev.turnpike.server.task.FailReason;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.proxy.HttpProxyHandler;
import io.netty.handler.proxy.ProxyHandler;
import io.netty.handler.proxy.Socks4ProxyHandler;
import io.netty.handler.proxy.Socks5ProxyHandler;
import io.netty.resolver.NoopAddressResolverGroup;
import io.netty.util.concurrent.Promise;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Opens a connection to a target through the task's proxy with Netty's proxy handlers. It connects only to the
 * proxy address it was given: the target stays an unresolved name that the proxy resolves (no local DNS lookup,
 * so nothing is ever dialled directly). Proxy-level failures are classified and reported as they happen.
 */
final class UpstreamDialer implements Dialer {

    private static final String HANDSHAKE_ERRORS = "handshake-errors";

    private final ProxySpec spec;
    private final InetSocketAddress proxyAddress;
    private final ProxyRelays.Settings settings;
    private final ChannelGroup channels;
    private final Consumer<FailReason> proxyFailures;
    private final ProxyAnswers answers;

    UpstreamDialer(ProxySpec spec, InetSocketAddress proxyAddress, ProxyRelays.Settings settings,
                   ChannelGroup channels, Consumer<FailReason> proxyFailures, ProxyAnswers answers) {
        this.answers = answers;
        this.spec = spec;
        this.proxyAddress = proxyAddress;
        this.settings = settings;
        this.channels = channels;
        this.proxyFailures = proxyFailures;
    }

    /**
     * A channel to {@code host:port} through the proxy, handshake done, auto-read off; or a failure whose
     * proxy-level reason (if any) has already been reported.
     */
    @Override
    public Promise<Channel> dial(EventLoop loop, String host, int port) {
        Promise<Channel> result = loop.newPromise();
        ProxyHandler handler = newHandler();
        // Netty's handshake timer starts once TCP is connected: it is the proxy's time to answer.
        handler.setConnectTimeoutMillis(settings.readTimeout().toMillis());
        ChannelFuture connect = new Bootstrap()
                .group(loop)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) settings.connectTimeout().toMillis())
                .resolver(NoopAddressResolverGroup.INSTANCE)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast("proxy", handler);
                        ch.pipeline().addLast(HANDSHAKE_ERRORS, new SwallowHandshakeErrors());
                    }
                })
                .connect(InetSocketAddress.createUnresolved(host, port));
        Channel channel = connect.channel();
        channels.add(channel);
        connect.addListener(f -> {
            if (!f.isSuccess() && result.tryFailure(f.cause())) {
                proxyFailures.accept(ProxyFailures.ofConnect(f.cause()));
            }
        });
        handler.connectFuture().addListener(f -> {
            if (f.isSuccess()) {
                channel.pipeline().remove(HANDSHAKE_ERRORS);
                answers.tunnelOpened(host);
                result.trySuccess(channel);
            } else if (connect.isSuccess() && result.tryFailure(f.cause())) {
                Optional<FailReason> reason = ProxyFailures.ofHandshake(f.cause());
                reason.ifPresent(proxyFailures);
                ProxyFailures.ownAnswer(f.cause()).ifPresent(answer -> answers.errorAnswered(host, answer));
            }
        });
        return result;
    }

    private ProxyHandler newHandler() {
        return switch (spec.scheme()) {
            // "https" in the captcha services' proxy forms names an HTTP proxy that tunnels HTTPS with CONNECT,
            // not TLS to the proxy itself.
            case HTTP, HTTPS -> spec.hasCredentials()
                    ? new HttpProxyHandler(proxyAddress, spec.username(), nullToEmpty(spec.password()))
                    : new HttpProxyHandler(proxyAddress);
            case SOCKS5 -> spec.hasCredentials()
                    ? new Socks5ProxyHandler(proxyAddress, spec.username(), nullToEmpty(spec.password()))
                    : new Socks5ProxyHandler(proxyAddress);
            // SOCKS4 has only a user id; SOCKS4a sends the target's name when it is unresolved, as here.
            case SOCKS4 -> new Socks4ProxyHandler(proxyAddress, spec.hasCredentials() ? spec.username() : null);
        };
    }

    private static String nullToEmpty(String text) {
        return text == null ? "" : text;
    }

    /** The handshake failure is handled through the connect future; keep it from reaching the pipeline's tail. */
    private static final class SwallowHandshakeErrors extends ChannelInboundHandlerAdapter {
        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
