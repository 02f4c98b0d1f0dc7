package dev.turnpike.server.net;

import java.util.Objects;

/**
 * A client's proxy (PROTOCOL.md §5), parsed. {@link #toString()} never shows the password.
 *
 * @param scheme   how to speak to it
 * @param host     a host name or address literal
 * @param port     1..65535
 * @param username null when the proxy takes no credentials
 * @param password null when the proxy takes no credentials
 */
public record ProxySpec(Scheme scheme, String host, int port, String username, String password) {

    public enum Scheme { HTTP, HTTPS, SOCKS4, SOCKS5 }

    public ProxySpec {
        Objects.requireNonNull(scheme, "scheme");
        Objects.requireNonNull(host, "host");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }

    public boolean hasCredentials() {
        return username != null && !username.isEmpty();
    }

    /** scheme://host:port, without credentials: safe to log and to hand to Chromium's proxyServer. */
    public String address() {
        String h = host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
        return scheme.name().toLowerCase(java.util.Locale.ROOT) + "://" + h + ":" + port;
    }

    @Override
    public String toString() {
        return hasCredentials() ? address().replace("://", "://" + username + ":***@") : address();
    }
}
