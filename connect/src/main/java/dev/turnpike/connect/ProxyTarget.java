package dev.turnpike.connect;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Optional;

/** The host and port a proxy client named: a CONNECT authority, or the host of an absolute {@code http://} URI. */
public record ProxyTarget(String host, int port) {

    /** {@code host:port}, with an IPv6 host in brackets, as in a CONNECT request line. */
    public String text() {
        return bracketed() + ":" + port;
    }

    /** The {@code Host} header for this target: without the port when it is 80. */
    String hostHeader() {
        return port == 80 ? bracketed() : text();
    }

    private String bracketed() {
        return host.indexOf(':') >= 0 ? "[" + host + "]" : host;
    }

    /** {@code host:port} or {@code [v6]:port}, as in a CONNECT request line. */
    static Optional<ProxyTarget> ofAuthority(String authority) {
        int colon = authority.lastIndexOf(':');
        if (colon <= 0) {
            return Optional.empty();
        }
        String host = stripBrackets(authority.substring(0, colon));
        return host.isEmpty() ? Optional.empty()
                : port(authority.substring(colon + 1)).map(p -> new ProxyTarget(host, p));
    }

    /** An absolute {@code http://} URI, as a proxy receives a plain request. */
    static Optional<ProxyTarget> ofAbsoluteUri(String text) {
        try {
            URI uri = new URI(text);
            if (!"http".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
                return Optional.empty();
            }
            return Optional.of(new ProxyTarget(stripBrackets(uri.getHost()), uri.getPort() < 0 ? 80 : uri.getPort()));
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }

    private static String stripBrackets(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
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
