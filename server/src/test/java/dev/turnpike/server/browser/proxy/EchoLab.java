package dev.turnpike.server.browser.proxy;

import dev.turnpike.fixtures.SelfSignedCertificate;
import java.net.InetSocketAddress;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.ProxyConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.Callback;

/** A stand-in lab connector: reads the PROXY protocol line and echoes the client address and proxy headers. */
final class EchoLab implements AutoCloseable {

    private final Server server = new Server();
    private final ServerConnector connector;
    private final ServerConnector tlsConnector;

    EchoLab() throws Exception {
        connector = new ServerConnector(server, 1, 1,
                new ProxyConnectionFactory(HttpVersion.HTTP_1_1.asString()), new HttpConnectionFactory());
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        // As the lab's HTTPS connector: PROXY line first, then TLS, then HTTP.
        SelfSignedCertificate certificate = SelfSignedCertificate.forHost("lab.test");
        SslContextFactory.Server tls = new SslContextFactory.Server();
        tls.setKeyStore(certificate.keyStore());
        tls.setKeyStorePassword(SelfSignedCertificate.PASSWORD);
        SslConnectionFactory ssl = new SslConnectionFactory(tls, HttpVersion.HTTP_1_1.asString());
        tlsConnector = new ServerConnector(server, 1, 1,
                new ProxyConnectionFactory(ssl.getProtocol()), ssl, new HttpConnectionFactory());
        tlsConnector.setHost("127.0.0.1");
        tlsConnector.setPort(0);
        server.addConnector(tlsConnector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                String body = "remote=" + Request.getRemoteAddr(request) + "\n"
                        + "proxy-authorization=" + request.getHeaders().get("Proxy-Authorization") + "\n"
                        + "target=" + request.getHttpURI().getPathQuery() + "\n";
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

    InetSocketAddress tlsAddress() {
        return new InetSocketAddress("127.0.0.1", tlsConnector.getLocalPort());
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
