package dev.turnpike.server.browser.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
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
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One browser connection to the relay, which the browser treats as an unauthenticated HTTP proxy. CONNECT opens a
 * tunnel through the relay's {@link Dialer} (answered 200 once it is connected, 403 when the address policy refuses
 * the target, 502 when it cannot be reached); an
 * absolute-URI request is sent over the dialer's connection to its host in origin-form, without proxy headers, and the answer
 * is relayed back raw.
 */
final class RelayFrontend extends ChannelInboundHandlerAdapter {

    static final String DECODER = "http-decoder";

    /** A request decoder with room for a browser's long URLs and cookie headers (Netty's default is 8 KiB). */
    static HttpRequestDecoder newDecoder() {
        return new HttpRequestDecoder(new HttpDecoderConfig().setMaxInitialLineLength(16 * 1024)
                .setMaxHeaderSize(64 * 1024));
    }

    private enum State { REQUEST, TUNNEL_PENDING, CLOSED }

    private record Target(String host, int port) {
        String text() {
            return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
        }
    }

    private final Dialer dialer;
    private State state = State.REQUEST;
    private final List<Object> pending = new ArrayList<>();
    private Channel upstream;
    private String upstreamTarget;
    private boolean dialing;
    private boolean forwardingBody;
    /** Counts plain-request links, so the answer of a dial that was retired meanwhile is ignored. */
    private long links;

    RelayFrontend(Dialer dialer) {
        this.dialer = dialer;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        switch (state) {
            case CLOSED -> ReferenceCountUtil.release(msg);
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
        if (request.decoderResult().isFailure()) {
            answer(ctx, "400 Bad Request");
            return;
        }
        boolean connect = HttpMethod.CONNECT.equals(request.method());
        Optional<Target> target = connect ? authority(request.uri()) : absoluteUri(request.uri());
        if (target.isEmpty()) {
            answer(ctx, "400 Bad Request");
        } else if (connect) {
            openTunnel(ctx, target.get());
        } else {
            forwardPlain(ctx, request, target.get());
        }
    }

    private void openTunnel(ChannelHandlerContext ctx, Target target) {
        retireUpstream();
        state = State.TUNNEL_PENDING;
        ctx.channel().config().setAutoRead(false);
        // What follows the CONNECT request belongs to the tunnel: let it reach this handler raw.
        ctx.pipeline().remove(DECODER);
        Future<Channel> dial = dialer.dial(ctx.channel().eventLoop(), target.host(), target.port());
        dial.addListener(f -> {
            if (!f.isSuccess()) {
                answer(ctx, failureStatus(f.cause()));
                return;
            }
            Channel up = dial.getNow();
            upstream = up;
            if (!ctx.channel().isActive()) {
                up.close();
                return;
            }
            ctx.writeAndFlush(ascii("HTTP/1.1 200 Connection established\r\n\r\n")).addListener(w -> {
                if (!w.isSuccess()) {
                    ctx.close();
                    return;
                }
                pending.forEach(up::write);
                pending.clear();
                up.flush();
                ctx.pipeline().remove(this);
                Pipe.join(ctx.channel(), up);
            });
        });
    }

    private void forwardPlain(ChannelHandlerContext ctx, HttpRequest request, Target target) {
        URI uri = URI.create(request.uri());
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        request.setUri(path + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()));
        request.headers().remove(HttpHeaderNames.PROXY_AUTHORIZATION);
        request.headers().remove("Proxy-Connection");
        forwardingBody = true;

        if (target.text().equals(upstreamTarget) && (dialing || (upstream != null && upstream.isActive()))) {
            send(request);
            return;
        }
        // The browser moved to another host on this connection: the previous answer is complete.
        retireUpstream();
        upstreamTarget = target.text();
        dialing = true;
        pending.add(request);
        ctx.channel().config().setAutoRead(false);
        long link = ++links;
        Future<Channel> dial = dialer.dial(ctx.channel().eventLoop(), target.host(), target.port());
        dial.addListener(f -> {
            if (link != links) {
                if (f.isSuccess()) {
                    dial.getNow().close();
                }
                return;
            }
            dialing = false;
            if (!f.isSuccess()) {
                answer(ctx, failureStatus(f.cause()));
                return;
            }
            Channel up = dial.getNow();
            if (!ctx.channel().isActive()) {
                up.close();
                return;
            }
            upstream = up;
            up.pipeline().addLast("encoder", new HttpRequestEncoder());
            up.pipeline().addLast(Pipe.NAME, new Pipe(ctx.channel()));
            pending.forEach(up::write);
            pending.clear();
            up.flush();
            up.read();
            ctx.channel().config().setAutoRead(true);
        });
    }

    /** Closes the current plain-request link without letting its close end the browser's connection. */
    private void retireUpstream() {
        // Whatever waited for the old link (a request pipelined behind it) goes with it.
        releasePending();
        dialing = false;
        upstreamTarget = null;
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

    /** 403 for a target the address policy refused (never dialled), 502 for one that could not be reached. */
    private static String failureStatus(Throwable cause) {
        return cause instanceof RefusedTargetException ? "403 Forbidden" : "502 Bad Gateway";
    }

    /** A short answer of the relay's own; the connection closes after it. */
    private void answer(ChannelHandlerContext ctx, String status) {
        state = State.CLOSED;
        releasePending();
        String body = status + "\n";
        ctx.writeAndFlush(ascii("HTTP/1.1 " + status + "\r\nContent-Type: text/plain; charset=utf-8\r\n"
                + "Content-Length: " + body.length() + "\r\nConnection: close\r\n\r\n" + body))
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

    private static String stripBrackets(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    private static Optional<Target> authority(String authority) {
        int colon = authority.lastIndexOf(':');
        if (colon <= 0) {
            return Optional.empty();
        }
        String host = stripBrackets(authority.substring(0, colon));
        return host.isEmpty() ? Optional.empty() : port(authority.substring(colon + 1)).map(p -> new Target(host, p));
    }

    private static Optional<Target> absoluteUri(String text) {
        try {
            URI uri = new URI(text);
            if (!"http".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
                return Optional.empty();
            }
            return Optional.of(new Target(stripBrackets(uri.getHost()), uri.getPort() < 0 ? 80 : uri.getPort()));
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }

    private static Optional<Integer> port(String text) {
        try {
            int port = Integer.parseInt(text);
            return port >= 1 && port <= 65535 ? Optional.of(port) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
