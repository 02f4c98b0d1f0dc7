package dev.turnpike.server.browser.proxy;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.Promise;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * Dials a proxyless task's targets itself: {@link DirectRoute} decides (a lookup off the I/O thread), and only the
 * addresses it judged are connected to, one after the other until one answers. A refused target is reported and
 * never dialled.
 */
final class DirectDialer implements Dialer {

    private final DirectRoute route;
    private final Executor resolving;
    private final ProxyRelays.Settings settings;
    private final ChannelGroup channels;
    private final Consumer<Refusal> refusals;
    private final Consumer<Unreachable> unreachables;

    DirectDialer(DirectRoute route, Executor resolving, ProxyRelays.Settings settings, ChannelGroup channels,
                 Consumer<Refusal> refusals, Consumer<Unreachable> unreachables) {
        this.route = route;
        this.resolving = resolving;
        this.settings = settings;
        this.channels = channels;
        this.refusals = refusals;
        this.unreachables = unreachables;
    }

    @Override
    public Promise<Channel> dial(EventLoop loop, String host, int port) {
        Promise<Channel> result = loop.newPromise();
        try {
            DirectRoute.Destination decided = route.decide(host, port);
            if (decided instanceof DirectRoute.Lookup lookup) {
                resolving.execute(() -> {
                    try {
                        settle(loop, host, port, route.lookUp(lookup), result);
                    } catch (RuntimeException e) {
                        result.tryFailure(e);
                    }
                });
            } else {
                settle(loop, host, port, decided, result); // no lookup: no thread hop (a busy machine makes each one slow)
            }
        } catch (RuntimeException e) {
            result.tryFailure(e);
        }
        return result;
    }

    /** Refuses, or connects to the addresses decided on. */
    private void settle(EventLoop loop, String host, int port, DirectRoute.Destination destination,
                        Promise<Channel> result) {
        switch (destination) {
            case DirectRoute.Refused refused -> {
                refusals.accept(refused.refusal());
                result.tryFailure(new RefusedTargetException(refused.refusal()));
            }
            case DirectRoute.Dial dial -> {
                loop.execute(() -> connect(loop, dial.addresses(), 0, result));
                result.addListener(f -> {
                    if (!f.isSuccess()) {
                        unreachables.accept(new Unreachable(host, port, f.cause().toString()));
                    }
                });
            }
            case DirectRoute.Lookup lookup -> throw new IllegalStateException("not looked up: " + lookup.host());
        }
    }

    private void connect(EventLoop loop, List<InetSocketAddress> addresses, int index, Promise<Channel> result) {
        ChannelFuture connect = new Bootstrap()
                .group(loop)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) settings.connectTimeout().toMillis())
                .handler(new ChannelInboundHandlerAdapter()) // the relay adds its own once connected
                .connect(addresses.get(index));
        channels.add(connect.channel());
        connect.addListener(f -> {
            if (f.isSuccess()) {
                result.trySuccess(connect.channel());
            } else if (index + 1 < addresses.size()) {
                connect(loop, addresses, index + 1, result);
            } else {
                result.tryFailure(f.cause());
            }
        });
    }
}
