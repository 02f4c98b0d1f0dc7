package dev.turnpike.server.browser.proxy;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A minimal SOCKS4a server for tests (the lab proxy speaks only SOCKS5): it grants user {@code granted} and answers
 * every granted tunnel itself with a tiny HTTP response; any other user id gets "identd user-id mismatch" (0x5D).
 * It records the target names it was asked for, so a test sees the relay did not resolve them itself.
 */
final class Socks4Stub implements AutoCloseable {

    private final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    private final String granted;
    final BlockingQueue<String> targets = new LinkedBlockingQueue<>();

    Socks4Stub(String granted) throws IOException {
        this.granted = granted;
        Thread.ofVirtual().name("socks4-stub").start(this::acceptLoop);
    }

    int port() {
        return server.getLocalPort();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                Thread.ofVirtual().start(() -> serve(socket));
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            DataInputStream in = new DataInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            in.readUnsignedByte(); // version 4
            in.readUnsignedByte(); // command: connect
            int port = in.readUnsignedShort();
            byte[] ip = in.readNBytes(4);
            String user = readNullTerminated(in);
            // SOCKS4a: 0.0.0.x means the name follows.
            String host = ip[0] == 0 && ip[1] == 0 && ip[2] == 0 && ip[3] != 0
                    ? readNullTerminated(in) : InetAddress.getByAddress(ip).getHostAddress();
            targets.add(host + ":" + port);
            boolean ok = granted.equals(user);
            out.write(new byte[] {0, (byte) (ok ? 0x5A : 0x5D), 0, 0, 0, 0, 0, 0});
            out.flush();
            if (ok) {
                Wire.readHead(in);
                out.write("HTTP/1.1 200 OK\r\nContent-Length: 10\r\nConnection: close\r\n\r\nvia-socks4"
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
        } catch (IOException | RuntimeException ignored) {
            // The client went away; nothing to do in a stub.
        }
    }

    private static String readNullTerminated(DataInputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) > 0) {
            bytes.write(b);
        }
        return bytes.toString(StandardCharsets.US_ASCII);
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
