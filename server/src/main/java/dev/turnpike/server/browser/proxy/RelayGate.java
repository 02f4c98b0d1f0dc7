package dev.turnpike.server.browser.proxy;

import dev.turnpike.connect.Pipe;
import dev.turnpike.connect.ProxyGate;
import dev.turnpike.connect.ProxyTarget;
import dev.turnpike.connect.UpstreamLink;
import io.netty.channel.Channel;
import io.netty.util.concurrent.Future;

/**
 * The relay's policy over the shared HTTP proxy front end: the browser is its only client, so it asks for no
 * credentials; every target goes to the relay's {@link Dialer}, whose answer is 403 when the address policy
 * refuses the target (never dialled) and 502 when it cannot be reached.
 */
final class RelayGate implements ProxyGate {

    private final Dialer dialer;

    RelayGate(Dialer dialer) {
        this.dialer = dialer;
    }

    @Override
    public Verdict decide(ProxyTarget target, boolean connect, String proxyAuthorization) {
        return new Verdict.Dial(new UpstreamLink() {
            @Override
            public String key() {
                return target.text();
            }

            @Override
            public Future<Channel> dial(Channel client) {
                return dialer.dial(client.eventLoop(), target.host(), target.port());
            }

            @Override
            public String failureStatus(Throwable cause) {
                return cause instanceof RefusedTargetException ? "403 Forbidden" : "502 Bad Gateway";
            }

            @Override
            public long connected() {
                return Pipe.UNLIMITED;
            }
        });
    }
}
