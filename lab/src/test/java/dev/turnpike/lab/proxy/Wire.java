package dev.turnpike.lab.proxy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** A raw client socket for speaking HTTP CONNECT and SOCKS5 by hand, with a read timeout on every read. */
final class Wire implements AutoCloseable {

    static final int READ_TIMEOUT_MS = 10_000;

    final Socket socket;
    private final InputStream in;

    Wire(InetSocketAddress address) throws IOException {
        this(address, READ_TIMEOUT_MS);
    }

    Wire(InetSocketAddress address, int readTimeoutMs) throws IOException {
        socket = new Socket();
        socket.connect(address, READ_TIMEOUT_MS);
        socket.setSoTimeout(readTimeoutMs);
        in = socket.getInputStream();
    }

    void send(String text) throws IOException {
        send(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    void send(byte[] bytes) throws IOException {
        socket.getOutputStream().write(bytes);
        socket.getOutputStream().flush();
    }

    /** The response head up to and including the blank line, or what came before EOF. */
    String readHead() throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            head.write(b);
            String text = head.toString(StandardCharsets.ISO_8859_1);
            if (text.endsWith("\r\n\r\n")) {
                return text;
            }
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    /** Everything until the peer closes. */
    String readToEnd() throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }

    byte[] readExactly(int n) throws IOException {
        byte[] bytes = in.readNBytes(n);
        if (bytes.length < n) {
            throw new IOException("closed after " + bytes.length + " of " + n + " bytes");
        }
        return bytes;
    }

    int read() throws IOException {
        return in.read();
    }

    /** Sends CONNECT with Basic credentials (null user: none) and returns the response head. */
    String connect(String target, String user, String pass) throws IOException {
        String auth = user == null ? "" : "Proxy-Authorization: " + basic(user, pass) + "\r\n";
        send("CONNECT " + target + " HTTP/1.1\r\nHost: " + target + "\r\n" + auth + "\r\n");
        return readHead();
    }

    /** A plain HTTP/1.1 GET through an open tunnel, read until the lab closes. */
    String getThroughTunnel(String host, String path) throws IOException {
        send("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n");
        return readToEnd();
    }

    static String basic(String user, String pass) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + pass).getBytes(StandardCharsets.UTF_8));
    }

    /** SOCKS5 greeting offering only username/password; returns the method the server chose. */
    int socksGreet(int... methods) throws IOException {
        byte[] greeting = new byte[2 + methods.length];
        greeting[0] = 5;
        greeting[1] = (byte) methods.length;
        for (int i = 0; i < methods.length; i++) {
            greeting[2 + i] = (byte) methods[i];
        }
        send(greeting);
        byte[] answer = readExactly(2);
        return answer[1] & 0xff;
    }

    /** RFC 1929 sub-negotiation; returns the status byte (0 = success) or -1 when the server closed instead. */
    int socksAuth(String user, String pass) throws IOException {
        byte[] u = user.getBytes(StandardCharsets.UTF_8);
        byte[] p = pass.getBytes(StandardCharsets.UTF_8);
        byte[] request = new byte[3 + u.length + p.length];
        request[0] = 1;
        request[1] = (byte) u.length;
        System.arraycopy(u, 0, request, 2, u.length);
        request[2 + u.length] = (byte) p.length;
        System.arraycopy(p, 0, request, 3 + u.length, p.length);
        send(request);
        int version = in.read();
        if (version < 0) {
            return -1;
        }
        int status = in.read();
        return status;
    }

    /** SOCKS5 CONNECT with a domain name; returns the reply code (0 = succeeded). */
    int socksConnectDomain(String host, int port) throws IOException {
        byte[] name = host.getBytes(StandardCharsets.US_ASCII);
        byte[] request = new byte[7 + name.length];
        request[0] = 5;
        request[1] = 1;
        request[3] = 3;
        request[4] = (byte) name.length;
        System.arraycopy(name, 0, request, 5, name.length);
        request[5 + name.length] = (byte) (port >> 8);
        request[6 + name.length] = (byte) port;
        send(request);
        return readSocksReply();
    }

    /** SOCKS5 CONNECT with an IPv4 (4 bytes) or IPv6 (16 bytes) address; returns the reply code. */
    int socksConnectAddress(byte[] address, int port) throws IOException {
        byte[] request = new byte[6 + address.length];
        request[0] = 5;
        request[1] = 1;
        request[3] = (byte) (address.length == 4 ? 1 : 4);
        System.arraycopy(address, 0, request, 4, address.length);
        request[4 + address.length] = (byte) (port >> 8);
        request[5 + address.length] = (byte) port;
        send(request);
        return readSocksReply();
    }

    private int readSocksReply() throws IOException {
        byte[] head = readExactly(4);
        int addressLength = switch (head[3]) {
            case 1 -> 4;
            case 4 -> 16;
            case 3 -> in.read();
            default -> throw new IOException("bad address type " + head[3]);
        };
        readExactly(addressLength + 2);
        return head[1] & 0xff;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
