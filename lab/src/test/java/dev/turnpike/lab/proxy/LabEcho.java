package dev.turnpike.lab.proxy;

import dev.turnpike.fixtures.SelfSignedCertificate;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.ProxyConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import javax.net.ssl.SSLContext;
import org.eclipse.jetty.util.Callback;

/**
 * A stand-in for the lab behind the proxy: a Jetty connector that reads the PROXY protocol line (as the lab's
 * proxied connectors do) and answers every request with the client address it sees and the proxy headers that
 * reached it. Counts the connections it accepted, so a test can show the proxy never connected.
 */
final class LabEcho implements AutoCloseable {

    private final Server server = new Server();
    private final ServerConnector connector;
    private final ServerConnector tlsConnector;
    private final SelfSignedCertificate certificate = SelfSignedCertificate.forHost("lab.test");
    private final AtomicInteger accepted = new AtomicInteger();

    LabEcho() throws Exception {
        HttpConfiguration http = new HttpConfiguration();
        http.setRequestHeaderSize(64 * 1024);
        connector = new ServerConnector(server, 1, 1,
                new ProxyConnectionFactory(HttpVersion.HTTP_1_1.asString()), new HttpConnectionFactory(http));
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        connector.addEventListener(new Connection.Listener() {
            @Override
            public void onOpened(Connection connection) {
                accepted.incrementAndGet();
            }
        });
        server.addConnector(connector);
        // As the lab's HTTPS connector: PROXY line first, then TLS, then HTTP.
        SslContextFactory.Server tls = new SslContextFactory.Server();
        tls.setKeyStore(certificate.keyStore());
        tls.setKeyStorePassword(SelfSignedCertificate.PASSWORD);
        SslConnectionFactory ssl = new SslConnectionFactory(tls, HttpVersion.HTTP_1_1.asString());
        tlsConnector = new ServerConnector(server, 1, 1,
                new ProxyConnectionFactory(ssl.getProtocol()), ssl, new HttpConnectionFactory(http));
        tlsConnector.setHost("127.0.0.1");
        tlsConnector.setPort(0);
        server.addConnector(tlsConnector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                String body = "remote=" + Request.getRemoteAddr(request) + "\n"
                        + "proxy-authorization=" + request.getHeaders().get("Proxy-Authorization") + "\n"
                        + "proxy-connection=" + request.getHeaders().get("Proxy-Connection") + "\n"
                        + "target=" + request.getHttpURI().getPathQuery() + "\n"
                        + "host=" + request.getHeaders().get(HttpHeader.HOST) + "\n";
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
                Content.Sink.write(response, true, body, callback);
                return true;
            }
        });
        server.start();
    }

    InetSocketAddress address() {
        return new InetSocketAddress("127.0.0.1", connector.getLocalPort());
    }

    /** The HTTPS connector, whose certificate {@link #clientTls()} trusts. */
    InetSocketAddress tlsAddress() {
        return new InetSocketAddress("127.0.0.1", tlsConnector.getLocalPort());
    }

    SSLContext clientTls() {
        return certificate.clientContext();
    }

    /** Connections the lab opened so far (Jetty may open more than one per TCP connection). */
    int accepted() {
        return accepted.get();
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("stopping the echo server", e);
        }
    }
}
