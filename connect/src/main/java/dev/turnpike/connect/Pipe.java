package dev.turnpike.connect;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;

/**
 * Copies bytes from its channel to a peer one read at a time (the next read waits for the write, so the slow side
 * holds the fast one back) and closes the peer when its channel closes. Both channels run with auto-read off. With
 * a limit it forwards only that many bytes and then drops both connections (the lab's {@code DROP} fault).
 */
public final class Pipe extends ChannelInboundHandlerAdapter {

    /** The handler's name in a pipeline. */
    public static final String NAME = "pipe";
    /** No limit on the bytes piped. */
    public static final long UNLIMITED = Long.MAX_VALUE;

    private final Channel peer;
    private long remaining;

    /** Pipes this handler's channel to {@code peer}, at most {@code limit} bytes. */
    public Pipe(Channel peer, long limit) {
        this.peer = peer;
        this.remaining = limit;
    }

    /** Pipes both ways (at most {@code limitFromUpstream} bytes towards the client) and starts reading on both sides. */
    public static void join(Channel client, Channel upstream, long limitFromUpstream) {
        client.pipeline().addLast(NAME, new Pipe(upstream, UNLIMITED));
        upstream.pipeline().addLast(NAME, new Pipe(client, limitFromUpstream));
        client.read();
        upstream.read();
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

    /** Closes {@code channel} once what was written to it is flushed. */
    public static void closeOnFlush(Channel channel) {
        if (channel.isActive()) {
            channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        } else {
            channel.close();
        }
    }
}
