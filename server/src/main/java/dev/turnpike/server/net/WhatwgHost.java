package dev.turnpike.server.net;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.net.IDN;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A URL's host read the way a browser reads it (the WHATWG URL standard's host parser for http and https), so that
 * what Turnpike checks is what Chromium will connect to: percent-decoding, IDN to punycode, lower case, and the
 * IPv4 forms Java does not know ({@code 0177.0.0.1}, {@code 0x7f.1}, {@code 2130706433} are all 127.0.0.1).
 *
 * @param text    the host as Chromium serialises it: dotted IPv4, IPv6 without brackets, or a lower-case ASCII
 *                name (a trailing dot kept, as the browser keeps it)
 * @param address the address when the host is an IPv4 or IPv6 literal, else null (a name, to be resolved)
 */
public record WhatwgHost(String text, InetAddress address) {

    /** Code points a host may not contain (the standard's forbidden domain code points, after decoding). */
    private static final String FORBIDDEN = " #%/:<>?@[\\]^|";

    /**
     * @throws IllegalArgumentException the browser would refuse the host too (the URL is invalid)
     */
    public static WhatwgHost parse(String input) {
        if (input == null || input.isEmpty()) {
            throw new IllegalArgumentException("empty host");
        }
        if (input.startsWith("[")) {
            if (!input.endsWith("]")) {
                throw new IllegalArgumentException("unclosed IPv6 address");
            }
            return ipv6(input.substring(1, input.length() - 1));
        }
        String ascii = toAscii(percentDecode(input));
        if (endsInNumber(ascii)) {
            return ipv4(ascii);
        }
        return new WhatwgHost(ascii, null);
    }

    /** The host as it goes in a URL: IPv6 in brackets. */
    public String uriForm() {
        return address instanceof Inet6Address ? "[" + text + "]" : text;
    }

    private static WhatwgHost ipv6(String inner) {
        if (inner.isEmpty() || !inner.matches("[0-9A-Fa-f:.]+")) {
            throw new IllegalArgumentException("not an IPv6 address");
        }
        try {
            InetAddress address = InetAddress.getByName(inner); // contains ':' and only hex digits: a literal, no lookup
            // ::ffff:127.0.0.1 comes back as the IPv4 address it maps: the policy judges it as that.
            return new WhatwgHost(address instanceof Inet6Address ? inner.toLowerCase(Locale.ROOT)
                    : address.getHostAddress(), address);
        } catch (UnknownHostException | IllegalArgumentException e) {
            throw new IllegalArgumentException("not an IPv6 address");
        }
    }

    private static String percentDecode(String input) {
        if (input.indexOf('%') < 0) {
            return input;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        byte[] raw = input.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < raw.length; i++) {
            if (raw[i] == '%' && i + 2 < raw.length && hex(raw[i + 1]) >= 0 && hex(raw[i + 2]) >= 0) {
                bytes.write(hex(raw[i + 1]) * 16 + hex(raw[i + 2]));
                i += 2;
            } else {
                bytes.write(raw[i]);
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("host is not UTF-8 once percent-decoded");
        }
    }

    private static int hex(byte b) {
        return Character.digit(b, 16);
    }

    /** Domain to ASCII: IDN to punycode (mapping full-width dots and upper case), then the forbidden code points. */
    private static String toAscii(String domain) {
        String ascii;
        try {
            ascii = IDN.toASCII(domain, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("host is not a valid international name");
        }
        if (ascii.isEmpty()) {
            throw new IllegalArgumentException("empty host");
        }
        for (char c : ascii.toCharArray()) {
            if (c <= 0x20 || c == 0x7f || c > 0x7e || FORBIDDEN.indexOf(c) >= 0) {
                throw new IllegalArgumentException("host contains a forbidden character");
            }
        }
        return ascii;
    }

    /** The standard's "ends in a number": the last label (a trailing dot aside) is digits or a 0x number. */
    private static boolean endsInNumber(String host) {
        List<String> parts = labels(host);
        if (parts.isEmpty()) {
            return false;
        }
        String last = parts.get(parts.size() - 1);
        return !last.isEmpty() && (last.chars().allMatch(c -> c >= '0' && c <= '9') || number(last) != null);
    }

    private static List<String> labels(String host) {
        List<String> parts = new ArrayList<>(List.of(host.split("\\.", -1)));
        if (parts.size() > 1 && parts.get(parts.size() - 1).isEmpty()) {
            parts.remove(parts.size() - 1);
        }
        return parts;
    }

    /** The standard's IPv4 parser: up to four parts, each decimal, octal (leading 0) or hex (0x); the last fills the rest. */
    private static WhatwgHost ipv4(String host) {
        List<String> parts = labels(host);
        if (parts.size() > 4) {
            throw new IllegalArgumentException("not an IPv4 address");
        }
        long[] numbers = new long[parts.size()];
        for (int i = 0; i < parts.size(); i++) {
            BigInteger n = number(parts.get(i));
            if (n == null || n.bitLength() > 32) {
                throw new IllegalArgumentException("not an IPv4 address");
            }
            numbers[i] = n.longValue();
        }
        for (int i = 0; i < numbers.length - 1; i++) {
            if (numbers[i] > 255) {
                throw new IllegalArgumentException("not an IPv4 address");
            }
        }
        int last = numbers.length - 1;
        if (numbers[last] >= 1L << (8 * (5 - numbers.length))) {
            throw new IllegalArgumentException("not an IPv4 address");
        }
        long ipv4 = numbers[last];
        for (int i = 0; i < last; i++) {
            ipv4 += numbers[i] << (8 * (3 - i));
        }
        byte[] bytes = {(byte) (ipv4 >>> 24), (byte) (ipv4 >>> 16), (byte) (ipv4 >>> 8), (byte) ipv4};
        try {
            InetAddress address = InetAddress.getByAddress(bytes);
            return new WhatwgHost(address.getHostAddress(), address);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One part: {@code 0x} hex (may be empty: 0), leading {@code 0} octal, else decimal; null when not a number. */
    private static BigInteger number(String part) {
        if (part.isEmpty() || part.length() > 40) {
            return null;
        }
        int radix = 10;
        String digits = part;
        if (part.length() >= 2 && (part.startsWith("0x") || part.startsWith("0X"))) {
            radix = 16;
            digits = part.substring(2);
        } else if (part.length() >= 2 && part.startsWith("0")) {
            radix = 8;
            digits = part.substring(1);
        }
        if (digits.isEmpty()) {
            return BigInteger.ZERO;
        }
        for (char c : digits.toCharArray()) {
            if (Character.digit(c, radix) < 0) {
                return null;
            }
        }
        return new BigInteger(digits, radix);
    }
}
