package dev.turnpike.server.net;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** A network in CIDR notation ({@code 10.0.0.0/8}, {@code fc00::/7}); matches addresses of its family. */
public record Cidr(byte[] network, int prefixLength) {

    /**
     * @throws IllegalArgumentException not {@code address/length} with an address literal and a length in range
     */
    public static Cidr parse(String text) {
        int slash = text.indexOf('/');
        String addressText = slash < 0 ? text : text.substring(0, slash);
        if (!isLiteral(addressText)) {
            throw new IllegalArgumentException("not a network like 10.0.0.0/8: '" + text + "'");
        }
        byte[] bytes;
        try {
            bytes = InetAddress.getByName(addressText).getAddress(); // a literal: no lookup
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not a network like 10.0.0.0/8: '" + text + "'");
        }
        int length;
        try {
            length = slash < 0 ? bytes.length * 8 : Integer.parseInt(text.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad prefix length in '" + text + "'");
        }
        if (length < 0 || length > bytes.length * 8) {
            throw new IllegalArgumentException("bad prefix length in '" + text + "'");
        }
        return new Cidr(bytes, length);
    }

    /** Whether {@code text} is an IPv4 or IPv6 address literal (so that parsing it never resolves a name). */
    public static boolean isLiteral(String text) {
        if (text.isEmpty()) {
            return false;
        }
        if (text.indexOf(':') >= 0) {
            return text.matches("[0-9a-fA-F:.]+(%[\\w.]+)?");
        }
        if (!text.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            return false;
        }
        for (String octet : text.split("\\.")) {
            if (Integer.parseInt(octet) > 255) {
                return false;
            }
        }
        return true;
    }

    public boolean contains(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (bytes.length != network.length) {
            return false;
        }
        int full = prefixLength / 8;
        for (int i = 0; i < full; i++) {
            if (bytes[i] != network[i]) {
                return false;
            }
        }
        int rest = prefixLength % 8;
        if (rest == 0) {
            return true;
        }
        int mask = 0xff << (8 - rest) & 0xff;
        return (bytes[full] & mask) == (network[full] & mask);
    }

    @Override
    public String toString() {
        try {
            return InetAddress.getByAddress(network).getHostAddress() + "/" + prefixLength;
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cidr c && c.prefixLength == prefixLength && java.util.Arrays.equals(c.network, network);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(network) * 31 + prefixLength;
    }
}
