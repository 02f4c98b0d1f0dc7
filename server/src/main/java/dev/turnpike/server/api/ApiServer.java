package dev.turnpike.server.api;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/** The HTTP server of the API: Jetty 12, every request handled on a virtual thread. */
public final class ApiServer implements AutoCloseable {

    private final Server server;
    private final ServerConnector connector;
    private final ScheduledExecutorService readTimers;

    /**
     * @param handler     the protocol's {@link Router}, possibly behind other handlers (the operator's paths)
     * @param idleTimeout longer than the longest request (a sync task) so Jetty never cuts one short
     * @param deadlines   how long a client may take to send a request's head and body
     */
    public ApiServer(String host, int port, Handler handler, Duration idleTimeout, ReadDeadlines deadlines) {
        QueuedThreadPool threads = new QueuedThreadPool();
        threads.setName("api");
        threads.setVirtualThreadsExecutor(Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("api-", 0).factory()));
        server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendDateHeader(false);
        connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost(host);
        connector.setPort(port);
        connector.setIdleTimeout(idleTimeout.toMillis());
        readTimers = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("api-read-deadlines")
                .daemon(true).factory());
        SlowClientGuard guard = new SlowClientGuard(deadlines, readTimers, handler);
        connector.addBean(guard); // as a Connection.Listener, told of every connection
        server.addConnector(connector);
        server.setHandler(guard);
        server.setStopTimeout(5_000);
    }

    public void start() throws Exception {
        server.start();
    }

    public int port() {
        return connector.getLocalPort();
    }

    /** The base URL clients use, e.g. {@code http://127.0.0.1:8080}. */
    public URI address() {
        String host = connector.getHost() == null || connector.getHost().equals("0.0.0.0") ? "127.0.0.1" : connector.getHost();
        if (host.indexOf(':') >= 0) {
            host = "[" + host + "]";
        }
        return URI.create("http://" + host + ":" + port());
    }

    @Override
    public void close() throws Exception {
        try {
            server.stop();
        } finally {
            readTimers.shutdownNow();
        }
    }
}
