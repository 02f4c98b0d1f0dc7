package dev.turnpike.lab.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;

/**
 * Copies bytes from its channel to a peer, one read at a time (the next read waits for the write, so a slow
 * side holds the fast one back), and closes the peer when its channel closes. With a limit it forwards only that
 * many bytes and then drops both connections: the {@code DROP} fault.
 */
final class Relay extends ChannelInboundHandlerAdapter {

    /** How many bytes a {@code DROP} account lets through before cutting the stream. */
    static final int DROP_AFTER_BYTES = 12;

    private final Channel peer;
    private long remaining;

    private Relay(Channel peer, long limit) {
        this.peer = peer;
        this.remaining = limit;
    }

    /** Relays both ways between a client and an upstream channel, both with auto-read off. */
    static void join(Channel client, Channel upstream, boolean drop) {
        client.pipeline().addLast("relay", new Relay(upstream, Long.MAX_VALUE));
        upstream.pipeline().addLast("relay", new Relay(client, drop ? DROP_AFTER_BYTES : Long.MAX_VALUE));
        client.read();
        upstream.read();
    }

    /** Relays one way, from {@code from} to {@code to}, limited when {@code drop}. */
    static Relay oneWay(Channel to, boolean drop) {
        return new Relay(to, drop ? DROP_AFTER_BYTES : Long.MAX_VALUE);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf buf) || !peer.isActive()) {
            ReferenceCountUtil.release(msg);
            closeOnFlush(ctx.channel());
            return;
        }
        if (buf.readableBytes() >= remaining) {
            ByteBuf head = buf.readRetainedSlice((int) remaining);
            buf.release();
            remaining = 0;
            peer.writeAndFlush(head).addListener(f -> {
                peer.close();
                ctx.channel().close();
            });
            return;
        }
        remaining -= buf.readableBytes();
        peer.writeAndFlush(buf).addListener((ChannelFutureListener) f -> {
            if (f.isSuccess()) {
                ctx.channel().read();
            } else {
                f.channel().close();
                ctx.channel().close();
            }
        });
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closeOnFlush(peer);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.channel().close();
    }

    static void closeOnFlush(Channel channel) {
        if (channel.isActive()) {
            channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        } else {
            channel.close();
        }
    }
}
