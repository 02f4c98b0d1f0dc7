package dev.turnpike.connect;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.Future;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The shared front end on its own, with gates written here: what each verdict and each link outcome does. */
class HttpProxyFrontendTest {

    private final EventLoopGroup loop = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private ServerSocket target;
    private Channel proxy;
    private volatile ProxyGate gate;
    private final AtomicReference<ProxyTarget> asked = new AtomicReference<>();

    @BeforeEach
    void start() throws IOException {
        target = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        target.setSoTimeout(10_000);
        proxy = new ServerBootstrap().group(loop).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        HttpProxyFrontend.install(ch.pipeline(), (t, connect, auth) -> {
                            asked.set(t);
                            return gate.decide(t, connect, auth);
                        });
                    }
                })
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).syncUninterruptibly().channel();
    }

    @AfterEach
    void stop() throws IOException {
        proxy.close().syncUninterruptibly();
        loop.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly(); // no quiet period: nothing is left to run
        target.close();
    }

    @Test
    void aTunnelIsAnswered200AndThenCarriesBytesBothWays() throws Exception {
        gate = (t, connect, auth) -> new ProxyGate.Verdict.Dial(toTarget(Pipe.UNLIMITED));
        try (Socket client = connectToProxy()) {
            send(client, "CONNECT site.test:443 HTTP/1.1\r\nHost: site.test:443\r\n\r\n");
            assertThat(readHead(client.getInputStream())).startsWith("HTTP/1.1 200 Connection established");
            try (Socket upstream = target.accept()) {
                send(client, "hello");
                assertThat(readExactly(upstream.getInputStream(), 5)).isEqualTo("hello");
                send(upstream, "world");
                assertThat(readExactly(client.getInputStream(), 5)).isEqualTo("world");
            }
        }
        assertThat(asked.get()).isEqualTo(new ProxyTarget("site.test", 443));
    }

    @Test
    void aPlainRequestGoesInOriginFormWithoutProxyHeadersAndWithAHostHeader() throws Exception {
        gate = (t, connect, auth) -> new ProxyGate.Verdict.Dial(toTarget(Pipe.UNLIMITED));
        try (Socket client = connectToProxy()) {
            send(client, "GET http://site.test:8080/a?b=1 HTTP/1.1\r\nProxy-Authorization: Basic eDp5\r\n"
                    + "Proxy-Connection: keep-alive\r\n\r\n");
            try (Socket upstream = target.accept()) {
                String head = readHead(upstream.getInputStream());
                assertThat(head).startsWith("GET /a?b=1 HTTP/1.1\r\n").contains("host: site.test:8080")
                        .doesNotContainIgnoringCase("proxy-");
                send(upstream, "HTTP/1.1 204 No Content\r\n\r\n");
                assertThat(readHead(client.getInputStream())).startsWith("HTTP/1.1 204 No Content");
            }
        }
    }

    @Test
    void theGatesOwnAnswerIsSentWithItsHeadersAndTheConnectionCloses() throws Exception {
        gate = (t, connect, auth) -> new ProxyGate.Verdict.Answer("407 Proxy Authentication Required",
                "Proxy-Authenticate: Basic realm=\"test\"\r\n");
        try (Socket client = connectToProxy()) {
            send(client, "CONNECT site.test:443 HTTP/1.1\r\n\r\n");
            String answer = readAll(client.getInputStream());
            assertThat(answer).startsWith("HTTP/1.1 407 Proxy Authentication Required\r\n")
                    .contains("Proxy-Authenticate: Basic realm=\"test\"\r\n", "Connection: close\r\n");
        }
    }

    @Test
    void closeEndsTheConnectionWithoutAByte() throws Exception {
        gate = (t, connect, auth) -> new ProxyGate.Verdict.Close();
        try (Socket client = connectToProxy()) {
            send(client, "CONNECT site.test:443 HTTP/1.1\r\n\r\n");
            assertThat(readAll(client.getInputStream())).isEmpty();
        }
    }

    @Test
    void stallNeverAnswers() throws Exception {
        gate = (t, connect, auth) -> new ProxyGate.Verdict.Stall();
        try (Socket client = connectToProxy()) {
            client.setSoTimeout(300);
            send(client, "CONNECT site.test:443 HTTP/1.1\r\n\r\nmore bytes");
            boolean answered;
            try {
                answered = client.getInputStream().read() >= 0;
            } catch (SocketTimeoutException e) {
                answered = false;
            }
            assertThat(answered).isFalse();
        }
    }

    @Test
    void aFailedDialIsAnsweredWithTheLinksStatus() throws Exception {
        gate = (t, connect, auth) -> new ProxyGate.Verdict.Dial(new Link(0, Pipe.UNLIMITED) {
            @Override
            public Future<Channel> dial(Channel client) {
                return client.eventLoop().<Channel>newPromise().setFailure(new IOException("refused"));
            }
        });
        try (Socket client = connectToProxy()) {
            send(client, "CONNECT site.test:443 HTTP/1.1\r\n\r\n");
            assertThat(readAll(client.getInputStream())).startsWith("HTTP/1.1 502 Bad Gateway\r\n");
        }
    }

    @Test
    void aLimitedLinkLetsThatManyBytesThroughAndThenDropsBothSides() throws Exception {
        gate = (t, connect, auth) -> new ProxyGate.Verdict.Dial(toTarget(4));
        try (Socket client = connectToProxy()) {
            send(client, "CONNECT site.test:443 HTTP/1.1\r\n\r\n");
            assertThat(readHead(client.getInputStream())).startsWith("HTTP/1.1 200");
            try (Socket upstream = target.accept()) {
                send(upstream, "0123456789");
                assertThat(readAll(client.getInputStream())).isEqualTo("0123");
            }
        }
    }

    @Test
    void aRequestThatIsNotAProxyRequestIs400() throws Exception {
        gate = (t, connect, auth) -> new ProxyGate.Verdict.Dial(toTarget(Pipe.UNLIMITED));
        try (Socket client = connectToProxy()) {
            send(client, "GET /relative HTTP/1.1\r\nHost: site.test\r\n\r\n");
            assertThat(readAll(client.getInputStream())).startsWith("HTTP/1.1 400 Bad Request\r\n");
        }
        assertThat(asked.get()).isNull();
    }

    /** A link to this test's target socket, whatever the client named. */
    private UpstreamLink toTarget(long limit) {
        return new Link(target.getLocalPort(), limit);
    }

    private static class Link implements UpstreamLink {
        private final int port;
        private final long limit;

        Link(int port, long limit) {
            this.port = port;
            this.limit = limit;
        }

        @Override
        public String key() {
            return "target";
        }

        @Override
        public Future<Channel> dial(Channel client) {
            return UpstreamLink.channelOf(client, new Bootstrap().group(client.eventLoop())
                    .channel(NioSocketChannel.class).option(ChannelOption.AUTO_READ, false)
                    .handler(new ChannelInboundHandlerAdapter())
                    .connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port)));
        }

        @Override
        public String failureStatus(Throwable cause) {
            return "502 Bad Gateway";
        }

        @Override
        public long connected() {
            return limit;
        }
    }

    private Socket connectToProxy() throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), ((InetSocketAddress) proxy.localAddress()).getPort());
        socket.setSoTimeout(10_000);
        return socket;
    }

    private static void send(Socket socket, String text) throws IOException {
        socket.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.write(b);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    private static String readExactly(InputStream in, int n) throws IOException {
        return new String(in.readNBytes(n), StandardCharsets.ISO_8859_1);
    }

    private static String readAll(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }
}
