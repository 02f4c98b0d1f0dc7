package dev.turnpike.server.browser.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The trace goes through the relay it is given (here a local server standing in as the proxy, which sees the request in
 * proxy form) and says the exit, or why there is none: no trace, no answer in time, no tunnel.
 */
class EdgeTraceClientTest {

    private HttpServer proxy;
    private final List<String> seen = new CopyOnWriteArrayList<>();
    private final CountDownLatch never = new CountDownLatch(1);
    private volatile String answer = "";
    private volatile int status = 200;
    private final EdgeTraceClient client = new EdgeTraceClient(Set.of(), Duration.ofMillis(800),
            Executors.newVirtualThreadPerTaskExecutor());

    @BeforeEach
    void start() throws Exception {
        proxy = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        proxy.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        proxy.createContext("/", exchange -> {
            seen.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " "
                    + exchange.getRequestHeaders().getFirst("User-Agent"));
            if (exchange.getRequestURI().getHost() != null && exchange.getRequestURI().getHost().startsWith("silent")) {
                try {
                    never.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            byte[] body = answer.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        proxy.start();
    }

    @AfterEach
    void stop() {
        never.countDown();
        proxy.stop(0);
    }

    private InetSocketAddress relay() {
        return proxy.getAddress();
    }

    @Test
    void theTraceThroughTheRelayNamesTheExit() throws Exception {
        answer = "fl=1\nh=site.example\nip=198.51.100.7\nts=1\nloc=JP\ntls=off\n";
        assertThat(client.fetch(relay(), URI.create("http://site.example/login?x=1"), "UA/1"))
                .isEqualTo(new ProxyExit("198.51.100.7", "JP"));
        assertThat(seen).containsExactly("GET http://site.example/cdn-cgi/trace UA/1");
    }

    @Test
    void aTraceWithoutCountryIsNoExit() {
        answer = "ip=198.51.100.7\nloc=XX\n";
        TraceException e = catchThrowableOfType(TraceException.class,
                () -> client.fetch(relay(), URI.create("http://site.example/"), "UA/1"));
        assertThat(e.reason()).isEqualTo(ExitUnknown.NO_COUNTRY);
    }

    @Test
    void aSiteWithoutTraceIsAskedOfTurnstilesHostThroughTheSameRelay() {
        status = 404;
        answer = "<html>not found</html>";
        TraceException e = catchThrowableOfType(TraceException.class,
                () -> client.fetch(relay(), URI.create("http://plain.example/"), "UA/1"));
        // The stand-in proxy opens no tunnel: the second trace fails as unreachable, after it was asked for.
        assertThat(e.reason()).isEqualTo(ExitUnknown.UNREACHABLE);
        assertThat(e.getMessage()).contains("challenges.cloudflare.com");
        assertThat(seen).containsExactly("GET http://plain.example/cdn-cgi/trace UA/1");
    }

    @Test
    void aSilentSiteIsATimeoutNotAHang() {
        TraceException e = catchThrowableOfType(TraceException.class,
                () -> client.fetch(relay(), URI.create("http://silent.example/"), "UA/1"));
        assertThat(e.reason()).isEqualTo(ExitUnknown.TIMEOUT);
    }
}
