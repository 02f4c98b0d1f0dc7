package dev.turnpike.lab.proxy;

import dev.turnpike.connect.Pipe;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPromise;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.NetUtil;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What both listeners share: account checks with their faults, routing through {@link Upstream}, the dial to a
 * lab connector with its PROXY protocol line, and the event log. Runs on the event loop; never blocks.
 */
final class ProxyCore {

    private static final Logger log = LoggerFactory.getLogger(ProxyCore.class);
    private static final int UPSTREAM_CONNECT_TIMEOUT_MS = 5_000;

    private final ProxyAccounts accounts;
    private final Upstream upstream;
    private final Consumer<ProxyEvent> events;
    private final Clock clock;
    private final ChannelGroup channels;

    ProxyCore(ProxyAccounts accounts, Upstream upstream, Consumer<ProxyEvent> events, Clock clock,
              ChannelGroup channels) {
        this.accounts = accounts;
        this.upstream = upstream;
        this.events = events;
        this.clock = clock;
        this.channels = channels;
    }

    ChannelGroup channels() {
        return channels;
    }

    /**
     * Checks credentials against the account registry as it is now, so admin changes hit the next connection.
     * Connection-level faults win over the password check: a refusing proxy refuses whoever knocks.
     */
    Admission admit(ProxyEvent.Protocol protocol, String user, String pass, String target) {
        Optional<ProxyAccount> found = user == null ? Optional.empty() : accounts.find(user);
        if (found.isEmpty()) {
            emit(ProxyEvent.Type.AUTH_FAILED, protocol, user, target, ProxyFault.NONE);
            return new Admission.Deny();
        }
        ProxyAccount account = found.get();
        switch (account.fault()) {
            case REFUSE -> {
                emit(ProxyEvent.Type.FAULT_APPLIED, protocol, user, target, ProxyFault.REFUSE);
                return new Admission.Refuse();
            }
            case STALL -> {
                emit(ProxyEvent.Type.FAULT_APPLIED, protocol, user, target, ProxyFault.STALL);
                return new Admission.Stall();
            }
            case WRONG_CREDENTIALS -> {
                emit(ProxyEvent.Type.FAULT_APPLIED, protocol, user, target, ProxyFault.WRONG_CREDENTIALS);
                return new Admission.Deny();
            }
            case NONE, DROP, BAD_GATEWAY -> { }
        }
        if (pass == null || !MessageDigest.isEqual(pass.getBytes(StandardCharsets.UTF_8),
                account.pass().getBytes(StandardCharsets.UTF_8))) {
            emit(ProxyEvent.Type.AUTH_FAILED, protocol, user, target, ProxyFault.NONE);
            return new Admission.Deny();
        }
        return new Admission.Admit(account);
    }

    /**
     * The lab connector for a target, or empty (and a {@code REFUSED_TARGET} event) when the upstream has none or
     * names anything but a loopback address: the lab proxy must never open a connection off this machine.
     */
    Optional<InetSocketAddress> route(ProxyEvent.Protocol protocol, String user, String host, int port) {
        Optional<InetSocketAddress> to;
        try {
            to = upstream.route(host, port);
        } catch (RuntimeException e) {
            log.warn("upstream routing failed for {}:{}", host, port, e);
            to = Optional.empty();
        }
        Optional<InetSocketAddress> allowed = to.filter(a -> !a.isUnresolved() && a.getAddress().isLoopbackAddress());
        if (allowed.isEmpty()) {
            emit(ProxyEvent.Type.REFUSED_TARGET, protocol, user, target(host, port), ProxyFault.NONE);
        }
        return allowed;
    }

    /**
     * Connects to a lab connector on the client's event loop and writes the PROXY protocol v1 line first, so the
     * lab sees the account's exit IP as the client address. The channel comes back with auto-read off.
     */
    ChannelFuture dial(Channel client, InetSocketAddress connector, ProxyAccount account, int targetPort) {
        String line;
        try {
            line = proxyProtocolLine(account.exitIp(), ((InetSocketAddress) client.remoteAddress()).getPort(),
                    targetPort);
        } catch (IllegalArgumentException e) {
            return client.newFailedFuture(e);
        }
        ChannelFuture connect = new Bootstrap()
                .group(client.eventLoop())
                .channel(NioSocketChannel.class)
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, UPSTREAM_CONNECT_TIMEOUT_MS)
                .handler(new ChannelInboundHandlerAdapter())
                .connect(connector);
        Channel channel = connect.channel();
        channels.add(channel);
        ChannelPromise ready = channel.newPromise();
        connect.addListener(f -> {
            if (!f.isSuccess()) {
                ready.setFailure(f.cause());
                return;
            }
            channel.writeAndFlush(Unpooled.copiedBuffer(line, StandardCharsets.US_ASCII)).addListener(w -> {
                if (w.isSuccess()) {
                    ready.setSuccess();
                } else {
                    ready.setFailure(w.cause());
                    channel.close();
                }
            });
        });
        return ready;
    }

    /** {@code PROXY TCP4 <exitIp> 127.0.0.1 <src> <dst>}, or TCP6 with {@code ::1} for an IPv6 exit IP. */
    static String proxyProtocolLine(String exitIp, int srcPort, int dstPort) {
        if (NetUtil.isValidIpV4Address(exitIp)) {
            return "PROXY TCP4 " + exitIp + " 127.0.0.1 " + srcPort + " " + dstPort + "\r\n";
        }
        if (NetUtil.isValidIpV6Address(exitIp)) {
            String v6 = NetUtil.toAddressString(NetUtil.createInetAddressFromIpAddressString(exitIp));
            return "PROXY TCP6 " + v6 + " ::1 " + srcPort + " " + dstPort + "\r\n";
        }
        throw new IllegalArgumentException("exit IP is not an IP address literal: " + exitIp);
    }

    /**
     * Logs a connection to a target (and the {@code DROP} fault its account carries): how many bytes the target may
     * send before both connections are cut.
     */
    long connected(ProxyEvent.Protocol protocol, ProxyAccount account, String target) {
        emit(ProxyEvent.Type.CONNECTED, protocol, account.user(), target, ProxyFault.NONE);
        if (account.fault() != ProxyFault.DROP) {
            return Pipe.UNLIMITED;
        }
        emit(ProxyEvent.Type.FAULT_APPLIED, protocol, account.user(), target, ProxyFault.DROP);
        return ProxyFault.DROP_AFTER_BYTES;
    }

    void emit(ProxyEvent.Type type, ProxyEvent.Protocol protocol, String user, String target, ProxyFault fault) {
        ProxyEvent event = new ProxyEvent(type, protocol, user, target, fault, clock.instant());
        try {
            events.accept(event);
        } catch (RuntimeException e) {
            log.warn("proxy event consumer failed on {}", event, e);
        }
    }

    static String target(String host, int port) {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
