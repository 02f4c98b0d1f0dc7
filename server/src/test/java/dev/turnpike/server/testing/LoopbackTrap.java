package dev.turnpike.server.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * A listener on 127.0.0.1 that stands for an address that must never be reached. It counts the connections made to
 * it without waiting on a clock: it connects a sentinel of its own and accepts up to it. The accept queue is first
 * in, first out, so every connection opened before the sentinel's is counted.
 */
public final class LoopbackTrap implements AutoCloseable {

    private final ServerSocket server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
    private final int timeoutMs;

    public LoopbackTrap(int timeoutMs) throws IOException {
        this.timeoutMs = timeoutMs;
        server.setSoTimeout(timeoutMs);
    }

    public int port() {
        return server.getLocalPort();
    }

    /** The connections made to the trap so far (since the last call). */
    public int connectionsSoFar() throws IOException {
        try (Socket sentinel = new Socket()) {
            sentinel.connect(server.getLocalSocketAddress(), timeoutMs);
            int others = 0;
            while (true) {
                try (Socket accepted = server.accept()) {
                    if (accepted.getPort() == sentinel.getLocalPort()) {
                        return others;
                    }
                    others++;
                }
            }
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
