package dev.turnpike.server.net;

import dev.turnpike.server.net.ProxySpec.Scheme;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Parses a client's proxy in every form of PROTOCOL.md §5:
 * <ol>
 *   <li>separate fields: {@code proxyType}, {@code proxyAddress}, {@code proxyPort}, {@code proxyLogin}, {@code proxyPassword}
 *       ({@link #fromFields});</li>
 *   <li>a URL {@code scheme://user:pass@host:port} (credentials optional);</li>
 *   <li>{@code user:pass@host:port} (http);</li>
 *   <li>colon-separated {@code host:port}, {@code host:port:user:pass}, {@code scheme:host:port:user:pass}.</li>
 * </ol>
 * Forms 2–4 are one string ({@link #parse}). Errors are {@link IllegalArgumentException}s whose message says
 * what is wrong and never contains the password.
 */
public final class ProxyParser {

    private ProxyParser() {
    }

    /**
     * Form 1. {@code port} is an int or a numeric string (as a text here); login and password both or neither.
     */
    public static ProxySpec fromFields(String type, String address, String port, String login, String password) {
        Scheme scheme = scheme(type == null ? "" : type);
        String host = host(address);
        int portNumber = port(port);
        boolean hasLogin = login != null && !login.isEmpty();
        boolean hasPassword = password != null && !password.isEmpty();
        if (hasLogin != hasPassword) {
            throw new IllegalArgumentException("proxyLogin and proxyPassword go together");
        }
        return new ProxySpec(scheme, host, portNumber, hasLogin ? login : null, hasPassword ? password : null);
    }

    /** Forms 2, 3 and 4, tried in that order. */
    public static ProxySpec parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty proxy");
        }
        String s = text.strip();
        int schemeEnd = s.indexOf("://");
        if (schemeEnd >= 0) {
            return withHostPort(scheme(s.substring(0, schemeEnd)), s.substring(schemeEnd + 3), true);
        }
        if (s.indexOf('@') >= 0) {
            return withHostPort(Scheme.HTTP, s, false);
        }
        return colonForm(s);
    }

    /** {@code [user:pass@]host:port[/]}, user info percent-decoded when it came from a URL. */
    private static ProxySpec withHostPort(Scheme scheme, String rest, boolean url) {
        if (url && rest.endsWith("/")) {
            rest = rest.substring(0, rest.length() - 1);
        }
        String user = null;
        String pass = null;
        int at = rest.lastIndexOf('@');
        if (at >= 0) {
            String info = rest.substring(0, at);
            int colon = info.indexOf(':');
            if (colon <= 0 || colon == info.length() - 1) {
                throw new IllegalArgumentException("proxy credentials must be user:password");
            }
            user = info.substring(0, colon);
            pass = info.substring(colon + 1);
            if (url) {
                user = decode(user);
                pass = decode(pass);
            }
            rest = rest.substring(at + 1);
        }
        int colon = rest.lastIndexOf(':');
        if (colon < 0 || rest.indexOf('/') >= 0) {
            throw new IllegalArgumentException("proxy must give host:port");
        }
        String host = rest.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.indexOf(':') >= 0) {
            throw new IllegalArgumentException("an IPv6 proxy address must be in brackets");
        }
        return new ProxySpec(scheme, host(host), port(rest.substring(colon + 1)), user, pass);
    }

    private static ProxySpec colonForm(String s) {
        String[] parts = s.split(":", -1);
        return switch (parts.length) {
            case 2 -> new ProxySpec(Scheme.HTTP, host(parts[0]), port(parts[1]), null, null);
            case 4 -> new ProxySpec(Scheme.HTTP, host(parts[0]), port(parts[1]), credential(parts[2]), credential(parts[3]));
            case 5 -> new ProxySpec(scheme(parts[0]), host(parts[1]), port(parts[2]), credential(parts[3]), credential(parts[4]));
            default -> throw new IllegalArgumentException(
                    "proxy must be host:port, host:port:user:pass or scheme:host:port:user:pass");
        };
    }

    private static String credential(String value) {
        if (value.isEmpty()) {
            throw new IllegalArgumentException("proxy user or password is empty");
        }
        return value;
    }

    private static Scheme scheme(String text) {
        return switch (text.strip().toLowerCase(Locale.ROOT)) {
            case "http" -> Scheme.HTTP;
            case "https" -> Scheme.HTTPS;
            case "socks4", "socks4a" -> Scheme.SOCKS4;
            case "socks5", "socks5h", "socks" -> Scheme.SOCKS5;
            default -> throw new IllegalArgumentException("proxy type must be http, https, socks4 or socks5");
        };
    }

    private static String host(String text) {
        String h = text == null ? "" : text.strip();
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        boolean ok = !h.isEmpty() && h.length() <= 253
                && (Cidr.isLiteral(h) || h.matches("[A-Za-z0-9_]([A-Za-z0-9_.-]*[A-Za-z0-9_])?"));
        if (!ok) {
            throw new IllegalArgumentException("proxy host is not a host name or address");
        }
        return h;
    }

    private static int port(String text) {
        String p = text == null ? "" : text.strip();
        if (!p.matches("\\d{1,5}")) {
            throw new IllegalArgumentException("proxy port must be a number from 1 to 65535");
        }
        int port = Integer.parseInt(p);
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("proxy port must be a number from 1 to 65535");
        }
        return port;
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("proxy credentials are badly percent-encoded");
        }
    }
}
