package dev.turnpike.server.browser.proxy;

import dev.turnpike.server.task.FailReason;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.proxy.HttpProxyHandler;
import io.netty.handler.proxy.ProxyConnectException;
import java.util.Optional;

/**
 * Turns a failure to reach a target through the task's proxy into the task's {@link FailReason}, or into nothing
 * when the proxy worked but would not or could not reach that one target (403, SOCKS "not allowed", host
 * unreachable): a page's third-party request must not fail the whole task; the page's own failure shows in the
 * browser as a navigation error.
 *
 * <p>Netty's proxy handlers report the handshake outcome only in {@link ProxyConnectException} messages
 * ({@code "..., timeout"}, {@code "status: 407 ..."}, {@code "authStatus: FAILURE"}), so the protocol outcomes
 * are read from there; the tests run every branch against a real proxy to keep this honest.
 */
final class ProxyFailures {

    private ProxyFailures() {
    }

    /** The TCP connect to the proxy itself failed. */
    static FailReason ofConnect(Throwable cause) {
        if (cause instanceof ConnectTimeoutException) {
            return FailReason.PROXY_CONNECT_TIMEOUT;
        }
        // ConnectException (refused), and any other socket error before the proxy answered a single byte.
        return FailReason.PROXY_REFUSED;
    }

    /** The proxy handshake (HTTP CONNECT, SOCKS greeting, auth and command) failed after the TCP connect. */
    static Optional<FailReason> ofHandshake(Throwable cause) {
        if (!(cause instanceof ProxyConnectException)) {
            // An I/O error (reset) in the middle of the handshake: the proxy turned us away.
            return Optional.of(FailReason.PROXY_REFUSED);
        }
        String message = String.valueOf(cause.getMessage());
        if (message.endsWith(", timeout")) {
            return Optional.of(FailReason.PROXY_READ_TIMEOUT);
        }
        if (message.endsWith(", disconnected")) {
            return Optional.of(FailReason.PROXY_REFUSED);
        }
        if (cause instanceof HttpProxyHandler.HttpProxyConnectException http) {
            boolean challenge = http.headers() != null && http.headers().contains(HttpHeaderNames.PROXY_AUTHENTICATE);
            if (challenge || message.contains("status: 407")) {
                return Optional.of(FailReason.PROXY_NOT_AUTHORISED);
            }
            return message.contains("status: ") ? Optional.empty() : Optional.of(FailReason.PROXY_REFUSED);
        }
        if (message.contains("authStatus: ") || message.contains("nexpected authMethod: ")
                || message.contains("status: IDENTD_")) {
            // SOCKS5 auth failure, SOCKS5 proxy rejecting our auth method, SOCKS4 identd rejection.
            return Optional.of(FailReason.PROXY_NOT_AUTHORISED);
        }
        if (message.contains("status: ")) {
            // SOCKS command reply other than success: about the target, not the proxy.
            return Optional.empty();
        }
        return Optional.of(FailReason.PROXY_REFUSED);
    }

    /**
     * The proxy's own answer when it worked but would not or could not open the tunnel ({@code "502 Bad Gateway"},
     * a SOCKS reply such as {@code "FAILURE(1)"}); empty for a failure that is not such an answer.
     */
    static Optional<String> ownAnswer(Throwable cause) {
        if (!(cause instanceof ProxyConnectException) || ofHandshake(cause).isPresent()) {
            return Optional.empty();
        }
        String message = String.valueOf(cause.getMessage());
        int status = message.lastIndexOf("status: ");
        return status < 0 ? Optional.empty() : Optional.of(message.substring(status + "status: ".length()).trim());
    }
}
