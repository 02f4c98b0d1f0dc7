package dev.turnpike.lab.proxy;

import dev.turnpike.connect.ProxyGate;
import dev.turnpike.connect.ProxyTarget;
import dev.turnpike.connect.UpstreamLink;
import io.netty.channel.Channel;
import io.netty.util.concurrent.Future;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The lab's HTTP proxy policy over the shared front end: Basic credentials from {@code Proxy-Authorization} checked
 * against the accounts with their faults, routing to a lab connector, and the event log. Every request is admitted
 * afresh, so admin changes hit the next one.
 */
final class HttpProxyGate implements ProxyGate {

    private static final String REALM = "turnpike-lab";

    private record Credentials(String user, String pass) {}

    private final ProxyCore core;

    HttpProxyGate(ProxyCore core) {
        this.core = core;
    }

    @Override
    public Verdict decide(ProxyTarget target, boolean connect, String proxyAuthorization) {
        Credentials credentials = basic(proxyAuthorization);
        String targetText = target.text();
        return switch (core.admit(ProxyEvent.Protocol.HTTP, credentials.user(), credentials.pass(), targetText)) {
            case Admission.Refuse r -> new Verdict.Close();
            case Admission.Stall s -> new Verdict.Stall();
            case Admission.Deny d -> new Verdict.Answer("407 Proxy Authentication Required",
                    "Proxy-Authenticate: Basic realm=\"" + REALM + "\"\r\n");
            case Admission.Admit admit when admit.account().fault() == ProxyFault.BAD_GATEWAY -> {
                core.emit(ProxyEvent.Type.FAULT_APPLIED, ProxyEvent.Protocol.HTTP, credentials.user(), targetText,
                        ProxyFault.BAD_GATEWAY);
                yield new Verdict.Answer("502 Bad Gateway", "");
            }
            case Admission.Admit admit -> core.route(ProxyEvent.Protocol.HTTP, credentials.user(), target.host(),
                            target.port())
                    .<Verdict>map(route -> new Verdict.Dial(new Link(core, admit.account(), route, target)))
                    .orElse(new Verdict.Answer("403 Forbidden", ""));
        };
    }

    /** A connection to a lab connector for one account and target. */
    private record Link(ProxyCore core, ProxyAccount account, InetSocketAddress route, ProxyTarget target)
            implements UpstreamLink {

        @Override
        public String key() {
            return account.user() + "|" + account.exitIp() + "|" + target.text();
        }

        @Override
        public Future<Channel> dial(Channel client) {
            return UpstreamLink.channelOf(client, core.dial(client, route, account, target.port()));
        }

        @Override
        public String failureStatus(Throwable cause) {
            core.emit(ProxyEvent.Type.UPSTREAM_FAILED, ProxyEvent.Protocol.HTTP, account.user(), target.text(),
                    ProxyFault.NONE);
            return "502 Bad Gateway";
        }

        @Override
        public long connected() {
            return core.connected(ProxyEvent.Protocol.HTTP, account, target.text());
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
