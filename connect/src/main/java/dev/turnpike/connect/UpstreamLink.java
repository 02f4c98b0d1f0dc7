package dev.turnpike.connect;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;

/** The connection a {@link ProxyGate} chose for one request: how it is opened and what its outcomes mean. */
public interface UpstreamLink {

    /** Plain requests on one client connection reuse an open link with the same key. */
    String key();

    /** A channel connected to the target (auto-read off), opened on {@code client}'s event loop, or a failure. */
    Future<Channel> dial(Channel client);

    /** The status of the proxy's own answer when {@link #dial} failed, e.g. {@code 502 Bad Gateway}. */
    String failureStatus(Throwable cause);

    /**
     * Called once the link is connected and the client still there: how many bytes the upstream may send before
     * both connections are cut ({@link Pipe#UNLIMITED}: no limit).
     */
    long connected();

    /** The channel of {@code connect} once it succeeds, as {@link #dial} returns it, on {@code client}'s loop. */
    static Future<Channel> channelOf(Channel client, ChannelFuture connect) {
        Promise<Channel> connected = client.eventLoop().newPromise();
        connect.addListener(f -> {
            if (f.isSuccess()) {
                connected.setSuccess(connect.channel());
            } else {
                connected.setFailure(f.cause());
            }
        });
        return connected;
    }
}
