package dev.turnpike.connect;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpRequestEncoder;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The HTTP proxy side of one client connection, shared by the lab's forward proxy and the server's per-context
 * relay: reads a request with Netty's decoder and asks the {@link ProxyGate} what to do with it. CONNECT opens a
 * tunnel through the gate's {@link UpstreamLink} (answered 200 once it is connected, then raw bytes both ways); an
 * absolute-URI request is sent in origin-form without the proxy's own headers over a link to its host (kept for the
 * next request to the same link), and the answers are relayed back raw. Every answer of its own is a short raw
 * response that closes the connection. Runs on the connection's event loop.
 */
public final class HttpProxyFrontend extends ChannelInboundHandlerAdapter {

    static final String DECODER = "http-decoder";

    private enum State { REQUEST, TUNNEL_PENDING, STALLED, CLOSED }

    private final ProxyGate gate;
    private State state = State.REQUEST;
    /** Messages that arrived while the upstream was being dialled. */
    private final List<Object> pending = new ArrayList<>();
    private Channel upstream;
    private String upstreamKey;
    private boolean dialing;
    private boolean forwardingBody;
    /** Counts links, so the answer of a dial that was retired meanwhile is ignored. */
    private long links;

    private HttpProxyFrontend(ProxyGate gate) {
        this.gate = gate;
    }

    /** Makes a new client connection's pipeline an HTTP proxy whose requests {@code gate} decides. */
    public static void install(ChannelPipeline pipeline, ProxyGate gate) {
        // Room for a browser's long URLs and cookie headers (Netty's default is 8 KiB).
        pipeline.addLast(DECODER, new HttpRequestDecoder(new HttpDecoderConfig().setMaxInitialLineLength(16 * 1024)
                .setMaxHeaderSize(64 * 1024)));
        pipeline.addLast("frontend", new HttpProxyFrontend(gate));
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        switch (state) {
            case STALLED, CLOSED -> ReferenceCountUtil.release(msg);
            case TUNNEL_PENDING -> pending.add(msg);
            case REQUEST -> {
                if (msg instanceof HttpRequest request) {
                    onRequest(ctx, request);
                } else if (msg instanceof HttpContent content && forwardingBody) {
                    forwardingBody = !(content instanceof LastHttpContent);
                    send(content);
                } else {
                    ReferenceCountUtil.release(msg);
                }
            }
        }
    }

    private void onRequest(ChannelHandlerContext ctx, HttpRequest request) {
        // The decoder emits the head alone (not reference-counted); the body follows as HttpContent.
        if (request.decoderResult().isFailure()) {
            answer(ctx, "400 Bad Request", "");
            return;
        }
        boolean connect = HttpMethod.CONNECT.equals(request.method());
        Optional<ProxyTarget> target = connect ? ProxyTarget.ofAuthority(request.uri())
                : ProxyTarget.ofAbsoluteUri(request.uri());
        if (target.isEmpty()) {
            answer(ctx, "400 Bad Request", "");
            return;
        }
        switch (gate.decide(target.get(), connect, request.headers().get(HttpHeaderNames.PROXY_AUTHORIZATION))) {
            case ProxyGate.Verdict.Close close -> {
                state = State.CLOSED;
                ctx.close();
            }
            case ProxyGate.Verdict.Stall stall -> {
                state = State.STALLED;
                ctx.pipeline().remove(DECODER);
            }
            case ProxyGate.Verdict.Answer answer -> answer(ctx, answer.status(), answer.extraHeaders());
            case ProxyGate.Verdict.Dial dial when connect -> openTunnel(ctx, dial.link());
            case ProxyGate.Verdict.Dial dial -> forwardPlain(ctx, request, target.get(), dial.link());
        }
    }

    private void openTunnel(ChannelHandlerContext ctx, UpstreamLink link) {
        retireUpstream();
        state = State.TUNNEL_PENDING;
        ctx.channel().config().setAutoRead(false);
        // What follows the CONNECT request belongs to the tunnel: let it reach this handler raw.
        ctx.pipeline().remove(DECODER);
        Future<Channel> dial = link.dial(ctx.channel());
        dial.addListener(f -> {
            if (!f.isSuccess()) {
                answer(ctx, link.failureStatus(f.cause()), "");
                return;
            }
            Channel up = dial.getNow();
            upstream = up;
            if (!ctx.channel().isActive()) {
                up.close();
                return;
            }
            long limit = link.connected();
            ctx.writeAndFlush(ascii("HTTP/1.1 200 Connection established\r\n\r\n")).addListener(w -> {
                if (!w.isSuccess()) {
                    ctx.close();
                    return;
                }
                pending.forEach(up::write);
                pending.clear();
                up.flush();
                ctx.pipeline().remove(this);
                Pipe.join(ctx.channel(), up, limit);
            });
        });
    }

    private void forwardPlain(ChannelHandlerContext ctx, HttpRequest request, ProxyTarget target, UpstreamLink link) {
        URI uri = URI.create(request.uri());
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        request.setUri(path + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()));
        request.headers().remove(HttpHeaderNames.PROXY_AUTHORIZATION);
        request.headers().remove("Proxy-Connection");
        if (!request.headers().contains(HttpHeaderNames.HOST)) {
            request.headers().set(HttpHeaderNames.HOST, target.hostHeader());
        }
        forwardingBody = true;

        if (link.key().equals(upstreamKey) && (dialing || (upstream != null && upstream.isActive()))) {
            send(request);
            return;
        }
        // The client moved to another host (or account) on this connection: the previous answer is complete.
        retireUpstream();
        upstreamKey = link.key();
        dialing = true;
        pending.add(request);
        ctx.channel().config().setAutoRead(false);
        long current = ++links;
        Future<Channel> dial = link.dial(ctx.channel());
        dial.addListener(f -> {
            if (current != links) {
                if (f.isSuccess()) {
                    dial.getNow().close();
                }
                return;
            }
            dialing = false;
            if (!f.isSuccess()) {
                answer(ctx, link.failureStatus(f.cause()), "");
                return;
            }
            Channel up = dial.getNow();
            if (!ctx.channel().isActive()) {
                up.close();
                return;
            }
            upstream = up;
            long limit = link.connected();
            up.pipeline().addLast("encoder", new HttpRequestEncoder());
            up.pipeline().addLast(Pipe.NAME, new Pipe(ctx.channel(), limit));
            pending.forEach(up::write);
            pending.clear();
            up.flush();
            up.read();
            ctx.channel().config().setAutoRead(true);
        });
    }

    /** Closes the current plain-request link without letting its close end the client's connection. */
    private void retireUpstream() {
        // Whatever waited for the old link (a request pipelined behind it) goes with it.
        releasePending();
        dialing = false;
        upstreamKey = null;
        links++;
        if (upstream != null) {
            Channel old = upstream;
            upstream = null;
            if (old.pipeline().get(Pipe.NAME) != null) {
                old.pipeline().remove(Pipe.NAME);
            }
            old.close();
        }
    }

    private void send(Object msg) {
        if (dialing) {
            pending.add(msg);
        } else if (upstream != null && upstream.isActive()) {
            upstream.writeAndFlush(msg);
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    /** A short answer of the proxy's own; the connection closes after it. */
    private void answer(ChannelHandlerContext ctx, String status, String extraHeaders) {
        state = State.CLOSED;
        releasePending();
        String body = status + "\n";
        ctx.writeAndFlush(ascii("HTTP/1.1 " + status + "\r\n" + extraHeaders
                        + "Content-Type: text/plain; charset=utf-8\r\nContent-Length: " + body.length()
                        + "\r\nConnection: close\r\n\r\n" + body))
                .addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        state = State.CLOSED;
        releasePending();
        if (upstream != null) {
            upstream.close();
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }

    private void releasePending() {
        pending.forEach(ReferenceCountUtil::release);
        pending.clear();
    }

    private static ByteBuf ascii(String text) {
        return Unpooled.copiedBuffer(text, StandardCharsets.ISO_8859_1);
    }
}
