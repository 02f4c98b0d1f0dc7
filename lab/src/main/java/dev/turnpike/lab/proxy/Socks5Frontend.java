package dev.turnpike.lab.proxy;

import dev.turnpike.connect.Pipe;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.socksx.v5.DefaultSocks5CommandResponse;
import io.netty.handler.codec.socksx.v5.DefaultSocks5InitialResponse;
import io.netty.handler.codec.socksx.v5.DefaultSocks5PasswordAuthResponse;
import io.netty.handler.codec.socksx.v5.Socks5AddressType;
import io.netty.handler.codec.socksx.v5.Socks5AuthMethod;
import io.netty.handler.codec.socksx.v5.Socks5CommandRequest;
import io.netty.handler.codec.socksx.v5.Socks5CommandRequestDecoder;
import io.netty.handler.codec.socksx.v5.Socks5CommandStatus;
import io.netty.handler.codec.socksx.v5.Socks5CommandType;
import io.netty.handler.codec.socksx.v5.Socks5InitialRequest;
import io.netty.handler.codec.socksx.v5.Socks5PasswordAuthRequest;
import io.netty.handler.codec.socksx.v5.Socks5PasswordAuthRequestDecoder;
import io.netty.handler.codec.socksx.v5.Socks5PasswordAuthStatus;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The SOCKS5 side of one client connection (RFC 1928 with RFC 1929 username/password; no-auth is refused;
 * CONNECT only), on Netty's SOCKS5 codec. The account is known only once the client sends its credentials,
 * so account faults act from that message on: the method-selection answer has always been sent by then.
 */
final class Socks5Frontend extends ChannelInboundHandlerAdapter {

    static final String DECODER = "socks-decoder";
    static final String ENCODER = "socks-encoder";

    private final ProxyCore core;
    private ProxyAccount account;
    private boolean stalled;
    private boolean tunnelPending;
    private final List<Object> pending = new ArrayList<>();
    private Channel upstream;

    Socks5Frontend(ProxyCore core) {
        this.core = core;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (stalled) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (tunnelPending) {
            pending.add(msg);
            return;
        }
        try {
            switch (msg) {
                case Socks5InitialRequest initial -> onInitial(ctx, initial);
                case Socks5PasswordAuthRequest auth -> onAuth(ctx, auth);
                case Socks5CommandRequest command -> onCommand(ctx, command);
                default -> ctx.close();
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void onInitial(ChannelHandlerContext ctx, Socks5InitialRequest initial) {
        if (initial.decoderResult().isFailure()) {
            ctx.close();
            return;
        }
        if (!initial.authMethods().contains(Socks5AuthMethod.PASSWORD)) {
            core.emit(ProxyEvent.Type.AUTH_FAILED, ProxyEvent.Protocol.SOCKS5, "", "", ProxyFault.NONE);
            ctx.writeAndFlush(new DefaultSocks5InitialResponse(Socks5AuthMethod.UNACCEPTED))
                    .addListener(ChannelFutureListener.CLOSE);
            return;
        }
        ctx.pipeline().replace(DECODER, DECODER, new Socks5PasswordAuthRequestDecoder());
        ctx.writeAndFlush(new DefaultSocks5InitialResponse(Socks5AuthMethod.PASSWORD));
    }

    private void onAuth(ChannelHandlerContext ctx, Socks5PasswordAuthRequest auth) {
        if (auth.decoderResult().isFailure()) {
            ctx.close();
            return;
        }
        switch (core.admit(ProxyEvent.Protocol.SOCKS5, auth.username(), auth.password(), "")) {
            case Admission.Refuse r -> ctx.close();
            case Admission.Stall s -> {
                stalled = true;
                ctx.pipeline().remove(DECODER);
            }
            case Admission.Deny d -> ctx.writeAndFlush(
                            new DefaultSocks5PasswordAuthResponse(Socks5PasswordAuthStatus.FAILURE))
                    .addListener(ChannelFutureListener.CLOSE);
            case Admission.Admit admit -> {
                account = admit.account();
                ctx.pipeline().replace(DECODER, DECODER, new Socks5CommandRequestDecoder());
                ctx.writeAndFlush(new DefaultSocks5PasswordAuthResponse(Socks5PasswordAuthStatus.SUCCESS));
            }
        }
    }

    private void onCommand(ChannelHandlerContext ctx, Socks5CommandRequest command) {
        if (command.decoderResult().isFailure() || account == null) {
            ctx.close();
            return;
        }
        if (command.type() != Socks5CommandType.CONNECT) {
            reply(ctx, Socks5CommandStatus.COMMAND_UNSUPPORTED).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        String host = command.dstAddr();
        int port = command.dstPort();
        String targetText = ProxyCore.target(host, port);
        if (account.fault() == ProxyFault.BAD_GATEWAY) {
            core.emit(ProxyEvent.Type.FAULT_APPLIED, ProxyEvent.Protocol.SOCKS5, account.user(), targetText,
                    ProxyFault.BAD_GATEWAY);
            reply(ctx, Socks5CommandStatus.FAILURE).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        Optional<InetSocketAddress> route = core.route(ProxyEvent.Protocol.SOCKS5, account.user(), host, port);
        if (route.isEmpty()) {
            // RFC 1928 reply 0x02: connection not allowed by ruleset.
            reply(ctx, Socks5CommandStatus.FORBIDDEN).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        tunnelPending = true;
        ctx.channel().config().setAutoRead(false);
        ctx.pipeline().remove(DECODER);
        ChannelFuture dial = core.dial(ctx.channel(), route.get(), account, port);
        upstream = dial.channel();
        ProxyAccount connected = account;
        dial.addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess()) {
                core.emit(ProxyEvent.Type.UPSTREAM_FAILED, ProxyEvent.Protocol.SOCKS5, connected.user(), targetText,
                        ProxyFault.NONE);
                reply(ctx, Socks5CommandStatus.FAILURE).addListener(ChannelFutureListener.CLOSE);
                return;
            }
            if (!ctx.channel().isActive()) {
                f.channel().close();
                return;
            }
            long limit = core.connected(ProxyEvent.Protocol.SOCKS5, connected, targetText);
            reply(ctx, Socks5CommandStatus.SUCCESS).addListener(w -> {
                if (!w.isSuccess()) {
                    ctx.close();
                    return;
                }
                for (Object early : pending) {
                    f.channel().write(early);
                }
                pending.clear();
                f.channel().flush();
                ctx.pipeline().remove(ENCODER);
                ctx.pipeline().remove(this);
                Pipe.join(ctx.channel(), f.channel(), limit);
            });
        });
    }

    private static ChannelFuture reply(ChannelHandlerContext ctx, Socks5CommandStatus status) {
        return ctx.writeAndFlush(new DefaultSocks5CommandResponse(status, Socks5AddressType.IPv4, "0.0.0.0", 0));
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        pending.forEach(ReferenceCountUtil::release);
        pending.clear();
        if (upstream != null) {
            upstream.close();
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
