package dev.turnpike.server.net;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/** An address literal and a port ({@code 127.0.0.1:8443}, {@code [::1]:8443}), as {@code net.allowEndpoints} lists them. */
public final class Endpoint {

    private Endpoint() {
    }

    /** @throws IllegalArgumentException not an address literal with a port from 1 to 65535 */
    public static InetSocketAddress parse(String text) {
        String t = text.strip();
        int colon = t.lastIndexOf(':');
        String host = colon < 0 ? "" : t.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.indexOf(':') >= 0) {
            host = ""; // IPv6 without brackets: which colon starts the port is ambiguous
        }
        String port = colon < 0 ? "" : t.substring(colon + 1);
        if (!Cidr.isLiteral(host) || !port.matches("\\d{1,5}") || Integer.parseInt(port) < 1
                || Integer.parseInt(port) > 65535) {
            throw new IllegalArgumentException("not an address and port like 127.0.0.1:8443: '" + text + "'");
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(host), Integer.parseInt(port)); // a literal: no lookup
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an address and port like 127.0.0.1:8443: '" + text + "'");
        }
    }
}
