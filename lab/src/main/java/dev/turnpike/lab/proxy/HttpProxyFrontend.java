package dev.turnpike.lab.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
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
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * The HTTP proxy side of one client connection: reads a request with Netty's decoder, checks Basic credentials
 * from {@code Proxy-Authorization}, then either opens a CONNECT tunnel (answer 200, relay raw bytes) or forwards
 * absolute-URI requests in origin-form without the proxy's own headers, relaying the lab's answers back as they
 * come. Every answer of its own is a short raw response that closes the connection.
 */
final class HttpProxyFrontend extends ChannelInboundHandlerAdapter {

    static final String DECODER = "http-decoder";
    /** A request decoder with room for a browser's long URLs and cookie headers (Netty's default is 8 KiB). */
    static HttpRequestDecoder newDecoder() {
        return new HttpRequestDecoder(new HttpDecoderConfig().setMaxInitialLineLength(16 * 1024)
                .setMaxHeaderSize(64 * 1024));
    }

    private static final String REALM = "turnpike-lab";

    private enum State { REQUEST, TUNNEL_PENDING, STALLED, CLOSED }

    private record Target(String host, int port) {}

    private record Credentials(String user, String pass) {}

    private final ProxyCore core;
    private State state = State.REQUEST;
    /** Messages that arrived while the upstream was being dialled. */
    private final List<Object> pending = new ArrayList<>();
    private Channel upstream;
    private String upstreamKey;
    private boolean dialing;
    private boolean forwardingBody;

    HttpProxyFrontend(ProxyCore core) {
        this.core = core;
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
        Optional<Target> parsed = connect ? authority(request.uri()) : absoluteUri(request.uri());
        if (parsed.isEmpty()) {
            answer(ctx, "400 Bad Request", "");
            return;
        }
        Target target = parsed.get();
        Credentials credentials = basic(request.headers().get(HttpHeaderNames.PROXY_AUTHORIZATION));
        String targetText = ProxyCore.target(target.host(), target.port());
        switch (core.admit(ProxyEvent.Protocol.HTTP, credentials.user(), credentials.pass(), targetText)) {
            case Admission.Refuse r -> {
                state = State.CLOSED;
                ctx.close();
            }
            case Admission.Stall s -> {
                state = State.STALLED;
                ctx.pipeline().remove(DECODER);
            }
            case Admission.Deny d -> answer(ctx, "407 Proxy Authentication Required",
                    "Proxy-Authenticate: Basic realm=\"" + REALM + "\"\r\n");
            case Admission.Admit admit when admit.account().fault() == ProxyFault.BAD_GATEWAY -> {
                core.emit(ProxyEvent.Type.FAULT_APPLIED, ProxyEvent.Protocol.HTTP, credentials.user(), targetText,
                        ProxyFault.BAD_GATEWAY);
                answer(ctx, "502 Bad Gateway", "");
            }
            case Admission.Admit admit -> {
                Optional<InetSocketAddress> route = core.route(ProxyEvent.Protocol.HTTP, credentials.user(),
                        target.host(), target.port());
                if (route.isEmpty()) {
                    answer(ctx, "403 Forbidden", "");
                } else if (connect) {
                    openTunnel(ctx, admit.account(), route.get(), target);
                } else {
                    forwardPlain(ctx, request, admit.account(), route.get(), target);
                }
            }
        }
    }

    private void openTunnel(ChannelHandlerContext ctx, ProxyAccount account, InetSocketAddress route, Target target) {
        retireUpstream();
        state = State.TUNNEL_PENDING;
        ctx.channel().config().setAutoRead(false);
        // Bytes after the CONNECT request are the tunnel's, not HTTP: from here on they reach this handler raw.
        ctx.pipeline().remove(DECODER);
        String targetText = ProxyCore.target(target.host(), target.port());
        ChannelFuture dial = core.dial(ctx.channel(), route, account, target.port());
        upstream = dial.channel();
        dial.addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess()) {
                core.emit(ProxyEvent.Type.UPSTREAM_FAILED, ProxyEvent.Protocol.HTTP, account.user(), targetText,
                        ProxyFault.NONE);
                answer(ctx, "502 Bad Gateway", "");
                return;
            }
            if (!ctx.channel().isActive()) {
                f.channel().close();
                return;
            }
            boolean drop = emitConnected(account, targetText);
            ctx.writeAndFlush(ascii("HTTP/1.1 200 Connection established\r\n\r\n")).addListener(w -> {
                if (!w.isSuccess()) {
                    ctx.close();
                    return;
                }
                for (Object early : pending) {
                    f.channel().write(early);
                }
                pending.clear();
                f.channel().flush();
                ctx.pipeline().remove(this);
                Relay.join(ctx.channel(), f.channel(), drop);
            });
        });
    }

    private void forwardPlain(ChannelHandlerContext ctx, HttpRequest request, ProxyAccount account,
                              InetSocketAddress route, Target target) {
        String targetText = ProxyCore.target(target.host(), target.port());
        URI uri = URI.create(request.uri());
        String originForm = (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        request.setUri(originForm);
        request.headers().remove(HttpHeaderNames.PROXY_AUTHORIZATION);
        request.headers().remove("Proxy-Connection");
        if (!request.headers().contains(HttpHeaderNames.HOST)) {
            request.headers().set(HttpHeaderNames.HOST, target.port() == 80 ? hostText(target.host()) : targetText);
        }
        forwardingBody = true;

        String key = account.user() + "|" + account.exitIp() + "|" + targetText;
        if (upstream != null && key.equals(upstreamKey) && (dialing || upstream.isActive())) {
            send(request);
            return;
        }
        // The client moved on to another host or account: its previous answer is complete, retire that link.
        retireUpstream();
        upstreamKey = key;
        dialing = true;
        pending.add(request);
        ctx.channel().config().setAutoRead(false);
        ChannelFuture dial = core.dial(ctx.channel(), route, account, target.port());
        Channel dialled = dial.channel();
        upstream = dialled;
        dial.addListener((ChannelFutureListener) f -> {
            if (upstream != dialled) {
                dialled.close();
                return;
            }
            dialing = false;
            if (!f.isSuccess()) {
                core.emit(ProxyEvent.Type.UPSTREAM_FAILED, ProxyEvent.Protocol.HTTP, account.user(), targetText,
                        ProxyFault.NONE);
                answer(ctx, "502 Bad Gateway", "");
                return;
            }
            boolean drop = emitConnected(account, targetText);
            dialled.pipeline().addLast("encoder", new HttpRequestEncoder());
            dialled.pipeline().addLast("relay", Relay.oneWay(ctx.channel(), drop));
            for (Object early : pending) {
                dialled.write(early);
            }
            pending.clear();
            dialled.flush();
            dialled.read();
            ctx.channel().config().setAutoRead(true);
        });
    }

    /** Closes the current plain-request link without letting its close end the client connection. */
    private void retireUpstream() {
        // Whatever waited for the old link (a request pipelined behind it) goes with it.
        releasePending();
        dialing = false;
        upstreamKey = null;
        if (upstream != null) {
            Channel old = upstream;
            upstream = null;
            if (old.pipeline().get("relay") != null) {
                old.pipeline().remove("relay");
            }
            old.close();
        }
    }

    private boolean emitConnected(ProxyAccount account, String targetText) {
        core.emit(ProxyEvent.Type.CONNECTED, ProxyEvent.Protocol.HTTP, account.user(), targetText, ProxyFault.NONE);
        boolean drop = account.fault() == ProxyFault.DROP;
        if (drop) {
            core.emit(ProxyEvent.Type.FAULT_APPLIED, ProxyEvent.Protocol.HTTP, account.user(), targetText,
                    ProxyFault.DROP);
        }
        return drop;
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
        String response = "HTTP/1.1 " + status + "\r\n" + extraHeaders
                + "Content-Type: text/plain; charset=utf-8\r\nContent-Length: " + body.length()
                + "\r\nConnection: close\r\n\r\n" + body;
        ctx.writeAndFlush(ascii(response)).addListener(ChannelFutureListener.CLOSE);
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

    private static String hostText(String host) {
        return host.indexOf(':') >= 0 ? "[" + host + "]" : host;
    }

    /** {@code host:port} or {@code [v6]:port}, as in a CONNECT request line. */
    static Optional<Target> authority(String authority) {
        int colon = authority.lastIndexOf(':');
        if (colon <= 0) {
            return Optional.empty();
        }
        String host = stripBrackets(authority.substring(0, colon));
        return host.isEmpty() ? Optional.empty() : port(authority.substring(colon + 1)).map(p -> new Target(host, p));
    }

    private static String stripBrackets(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    /** An absolute {@code http://} URI, as a proxy receives a plain request. */
    static Optional<Target> absoluteUri(String text) {
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

    private static Credentials basic(String header) {
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return new Credentials(null, null);
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()),
                    StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return colon < 0 ? new Credentials(decoded, null)
                    : new Credentials(decoded.substring(0, colon), decoded.substring(colon + 1));
        } catch (IllegalArgumentException e) {
            return new Credentials(null, null);
        }
    }
}
