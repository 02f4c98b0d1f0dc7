package dev.turnpike.server.browser.proxy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** A raw browser-side socket to a relay: CONNECTs and requests written by hand, answers read byte by byte. */
final class Wire implements AutoCloseable {
    final Socket socket = new Socket();
    final InputStream in;

    Wire(InetSocketAddress address, int readTimeoutMs) throws IOException {
        socket.connect(address, readTimeoutMs);
        socket.setSoTimeout(readTimeoutMs);
        in = socket.getInputStream();
    }

    String connect(String target) throws IOException {
        send("CONNECT " + target + " HTTP/1.1\r\nHost: " + target + "\r\n\r\n");
        return readHead();
    }

    String readHead() throws IOException {
        return readHead(in);
    }

    /** An HTTP head (up to the blank line), read byte by byte so nothing after it is consumed. */
    static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            head.write(b);
            if (head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                break;
            }
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    String getThroughTunnel(String host) throws IOException {
        send("GET / HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n");
        return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }

    void send(String text) throws IOException {
        socket.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
