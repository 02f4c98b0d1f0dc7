package dev.turnpike.server.browser.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.lab.proxy.ForwardProxy;
import dev.turnpike.lab.proxy.ProxyAccount;
import dev.turnpike.lab.proxy.ProxyAccounts;
import dev.turnpike.lab.proxy.ProxyFault;
import dev.turnpike.server.browser.TestPools;
import dev.turnpike.server.net.AddressPolicy;
import dev.turnpike.server.net.Cidr;
import dev.turnpike.server.net.HostRules;
import dev.turnpike.server.net.ProxySpec;
import dev.turnpike.server.task.FailReason;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ProxyRelayTest {

    /** The proxies of these tests listen on loopback: the policy allows it (their relays are never bound direct). */
    private static final DirectRoute DIRECT = new DirectRoute(new AddressPolicy(TestPools.LOOPBACK_ONLY, List.of(),
            List.of(Cidr.parse("127.0.0.0/8"))), HostRules.none());

    private static final Duration SHORT = Duration.ofMillis(400);
    private static final long WAIT_SECONDS = 10;

    private static EchoLab lab;
    private static ProxyAccounts accounts;
    private static ForwardProxy labProxy;
    private static ProxyRelays relays;

    private final List<ProxyRelay> opened = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        lab = new EchoLab();
        accounts = new ProxyAccounts();
        Map<String, InetSocketAddress> routes = Map.of("lab.test", lab.address());
        labProxy = ForwardProxy.builder(accounts, (host, port) -> Optional.ofNullable(routes.get(host))).start();
        relays = new ProxyRelays(new ProxyRelays.Settings(SHORT, SHORT, 1), DIRECT);
    }

    @AfterAll
    static void stop() throws Exception {
        relays.close();
        labProxy.close();
        lab.close();
    }

    @BeforeEach
    void resetAccounts() {
        accounts.clear();
        accounts.put(new ProxyAccount("alice", "a-secret", "203.0.113.7", ProxyFault.NONE));
        accounts.put(new ProxyAccount("bob", "b-secret", "198.51.100.23", ProxyFault.NONE));
    }

    @AfterEach
    void closeRelays() {
        opened.forEach(ProxyRelay::close);
    }

    @ParameterizedTest
    @EnumSource(value = ProxySpec.Scheme.class, names = {"HTTP", "HTTPS", "SOCKS5"})
    void tunnelThroughTheTasksProxyReachesTheLabFromItsExitIp(ProxySpec.Scheme scheme) throws Exception {
        ProxyRelay relay = open(scheme, "alice", "a-secret");
        try (Wire wire = new Wire(relay.address(), 10_000)) {
            assertThat(wire.connect("lab.test:443")).startsWith("HTTP/1.1 200");
            assertThat(wire.getThroughTunnel("lab.test")).contains("remote=203.0.113.7\n");
        }
        assertThat(relay.firstFailure()).isNotDone();
    }

    @ParameterizedTest
    @EnumSource(value = ProxySpec.Scheme.class, names = {"HTTP", "SOCKS5"})
    void plainRequestThroughTheTasksProxyReachesTheLabFromItsExitIp(ProxySpec.Scheme scheme) throws Exception {
        ProxyRelay relay = open(scheme, "bob", "b-secret");
        HttpClient client = HttpClient.newBuilder().proxy(ProxySelector.of(relay.address())).build();
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create("http://lab.test/echo?q=1"))
                .timeout(Duration.ofSeconds(WAIT_SECONDS)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("remote=198.51.100.23\n").contains("target=/echo?q=1\n")
                .contains("proxy-authorization=null\n");
    }

    @Test
    void plainRequestThenTunnelShareOneBrowserConnection() throws Exception {
        ProxyRelay relay = open(ProxySpec.Scheme.SOCKS5, "alice", "a-secret");
        try (Wire wire = new Wire(relay.address(), 10_000)) {
            wire.send("GET http://lab.test/first HTTP/1.1\r\nHost: lab.test\r\nProxy-Connection: keep-alive\r\n\r\n");
            String head = wire.readHead();
            assertThat(head).startsWith("HTTP/1.1 200");
            int length = Integer.parseInt(head.replaceAll("(?s).*Content-Length: (\\d+).*", "$1"));
            assertThat(new String(wire.in.readNBytes(length), StandardCharsets.ISO_8859_1)).contains("target=/first\n");

            assertThat(wire.connect("lab.test:443")).startsWith("HTTP/1.1 200");
            assertThat(wire.getThroughTunnel("lab.test")).contains("remote=203.0.113.7\n");
        }
    }

    @ParameterizedTest
    @EnumSource(value = ProxySpec.Scheme.class, names = {"HTTP", "SOCKS5"})
    void wrongPasswordIsNotAuthorised(ProxySpec.Scheme scheme) throws Exception {
        ProxyRelay relay = open(scheme, "alice", "wrong");
        assertFailsWith(relay, FailReason.PROXY_NOT_AUTHORISED);
    }

    @ParameterizedTest
    @EnumSource(value = ProxySpec.Scheme.class, names = {"HTTP", "SOCKS5"})
    void missingCredentialsAreNotAuthorised(ProxySpec.Scheme scheme) throws Exception {
        // HTTP: 407 to a CONNECT without Proxy-Authorization; SOCKS5: the proxy accepts no method we offer.
        assertFailsWith(open(scheme, null, null), FailReason.PROXY_NOT_AUTHORISED);
    }

    @ParameterizedTest
    @EnumSource(value = ProxySpec.Scheme.class, names = {"HTTP", "SOCKS5"})
    void wrongCredentialsFaultIsNotAuthorised(ProxySpec.Scheme scheme) throws Exception {
        accounts.put(accounts.find("alice").orElseThrow().withFault(ProxyFault.WRONG_CREDENTIALS));
        assertFailsWith(open(scheme, "alice", "a-secret"), FailReason.PROXY_NOT_AUTHORISED);
    }

    @ParameterizedTest
    @EnumSource(value = ProxySpec.Scheme.class, names = {"HTTP", "SOCKS5"})
    void refuseFaultIsProxyRefused(ProxySpec.Scheme scheme) throws Exception {
        accounts.put(accounts.find("alice").orElseThrow().withFault(ProxyFault.REFUSE));
        assertFailsWith(open(scheme, "alice", "a-secret"), FailReason.PROXY_REFUSED);
    }

    @ParameterizedTest
    @EnumSource(value = ProxySpec.Scheme.class, names = {"HTTP", "SOCKS5"})
    void stallFaultIsProxyReadTimeout(ProxySpec.Scheme scheme) throws Exception {
        accounts.put(accounts.find("alice").orElseThrow().withFault(ProxyFault.STALL));
        assertFailsWith(open(scheme, "alice", "a-secret"), FailReason.PROXY_READ_TIMEOUT);
    }

    @ParameterizedTest
    @EnumSource(value = ProxySpec.Scheme.class, names = {"HTTP", "SOCKS5"})
    void dropFaultCutsTheStreamWithoutBlamingTheHandshake(ProxySpec.Scheme scheme) throws Exception {
        accounts.put(accounts.find("alice").orElseThrow().withFault(ProxyFault.DROP));
        ProxyRelay relay = open(scheme, "alice", "a-secret");
        try (Wire wire = new Wire(relay.address(), 10_000)) {
            assertThat(wire.connect("lab.test:443")).startsWith("HTTP/1.1 200");
            String answer = wire.getThroughTunnel("lab.test");
            assertThat(answer).as("cut after a few bytes").hasSizeLessThan(20).doesNotContain("remote=");
        }
        // A drop mid-stream looks like any server closing: the relay cannot tell it from a normal close, so the
        // browser's own network error (a navigation failure) is what reports it.
        assertThat(relay.firstFailure()).isNotDone();
    }

    @Test
    void socks4aTunnelSendsTheTargetNameAndAUserIdMismatchIsNotAuthorised() throws Exception {
        try (Socks4Stub socks4 = new Socks4Stub("alice")) {
            ProxyRelay granted = track(relays.open(
                    new ProxySpec(ProxySpec.Scheme.SOCKS4, "127.0.0.1", socks4.port(), "alice", null)));
            try (Wire wire = new Wire(granted.address(), 10_000)) {
                assertThat(wire.connect("lab.test:443")).startsWith("HTTP/1.1 200");
                assertThat(wire.getThroughTunnel("lab.test")).endsWith("via-socks4");
            }
            assertThat(socks4.targets.poll(WAIT_SECONDS, TimeUnit.SECONDS)).as("resolved by the proxy, not here")
                    .isEqualTo("lab.test:443");
            assertThat(granted.firstFailure()).isNotDone();

            ProxyRelay refused = track(relays.open(
                    new ProxySpec(ProxySpec.Scheme.SOCKS4, "127.0.0.1", socks4.port(), "mallory", null)));
            assertFailsWith(refused, FailReason.PROXY_NOT_AUTHORISED);
        }
    }

    @Test
    void anUnboundRelayLetsNothingThroughUntilBoundToTheTasksProxy() throws Exception {
        ProxyRelay relay = track(relays.openUnbound());
        assertThat(relay.upstream()).isNull();
        try (java.net.Socket socket = new java.net.Socket()) {
            socket.connect(relay.address(), 5000);
            socket.setSoTimeout(5000);
            socket.getOutputStream().write("CONNECT lab.test:443 HTTP/1.1\r\nHost: lab.test:443\r\n\r\n"
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            int first;
            try {
                first = socket.getInputStream().read();
            } catch (java.net.SocketException reset) {
                first = -1;
            }
            assertThat(first).as("an unbound relay closes the connection without answering").isEqualTo(-1);
        }
        InetSocketAddress at = labProxy.httpAddress();
        relay.bind(new ProxySpec(ProxySpec.Scheme.HTTP, "127.0.0.1", at.getPort(), "alice", "a-secret"));
        try (Wire wire = new Wire(relay.address(), 10_000)) {
            assertThat(wire.connect("lab.test:443")).startsWith("HTTP/1.1 200");
            assertThat(wire.getThroughTunnel("lab.test")).contains("remote=203.0.113.7\n");
        }
    }

    @Test
    void aRelayIsBoundToOneProxyOnly() throws Exception {
        ProxyRelay relay = open(ProxySpec.Scheme.HTTP, "alice", "a-secret");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> relay.bind(new ProxySpec(ProxySpec.Scheme.HTTP,
                        "127.0.0.1", labProxy.httpAddress().getPort(), "bob", "b-secret")))
                .isInstanceOf(IllegalStateException.class).hasMessageNotContaining("a-secret");
    }

    @Test
    void closedPortIsProxyRefused() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        ProxyRelay relay = track(relays.open(new ProxySpec(ProxySpec.Scheme.HTTP, "127.0.0.1", port, "u", "p")));
        assertFailsWith(relay, FailReason.PROXY_REFUSED);
    }

    @Test
    void proxyThatNeverAcceptsIsConnectTimeout() throws Exception {
        // A listener that never accepts, with its accept queue filled: the kernel drops further SYNs, so a connect
        // to it hangs as it would to a silent host.
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            List<Socket> fillers = new ArrayList<>();
            try {
                while (fillers.size() < 16) {
                    Socket filler = new Socket();
                    fillers.add(filler);
                    try {
                        filler.connect(silent.getLocalSocketAddress(), 300);
                    } catch (SocketTimeoutException full) {
                        break;
                    }
                }
                ProxyRelay relay = track(relays.open(new ProxySpec(ProxySpec.Scheme.SOCKS5, "127.0.0.1",
                        silent.getLocalPort(), "alice", "a-secret")));
                assertFailsWith(relay, FailReason.PROXY_CONNECT_TIMEOUT);
            } finally {
                for (Socket filler : fillers) {
                    filler.close();
                }
            }
        }
    }

    @Test
    void targetTheProxyRefusesDoesNotFailTheTask() throws Exception {
        ProxyRelay relay = open(ProxySpec.Scheme.SOCKS5, "alice", "a-secret");
        try (Wire wire = new Wire(relay.address(), 10_000)) {
            assertThat(wire.connect("elsewhere.test:443")).startsWith("HTTP/1.1 502");
        }
        try (Wire wire = new Wire(relay.address(), 10_000)) {
            assertThat(wire.connect("lab.test:443")).startsWith("HTTP/1.1 200");
        }
        assertThat(relay.firstFailure()).isNotDone();
    }

    @Test
    void closeClosesTheBrowsersConnections() throws Exception {
        ProxyRelay relay = open(ProxySpec.Scheme.HTTP, "alice", "a-secret");
        try (Wire wire = new Wire(relay.address(), 10_000)) {
            assertThat(wire.connect("lab.test:443")).startsWith("HTTP/1.1 200");
            relay.close();
            assertThat(wire.in.read()).isEqualTo(-1);
        }
    }

    @Test
    void relayNeverShowsThePassword() throws Exception {
        ProxyRelay relay = open(ProxySpec.Scheme.SOCKS5, "alice", "a-secret");
        assertThat(relay.toString()).doesNotContain("a-secret").contains("alice");
        assertThat(relay.proxyServer()).isEqualTo("http://127.0.0.1:" + relay.address().getPort());
    }

    private ProxyRelay open(ProxySpec.Scheme scheme, String user, String pass) throws IOException {
        InetSocketAddress at = scheme == ProxySpec.Scheme.SOCKS5 ? labProxy.socksAddress() : labProxy.httpAddress();
        return track(relays.open(new ProxySpec(scheme, "127.0.0.1", at.getPort(), user, pass)));
    }

    private ProxyRelay track(ProxyRelay relay) {
        opened.add(relay);
        return relay;
    }

    /** The browser's CONNECT is answered 502 and the relay names the reason. */
    private static void assertFailsWith(ProxyRelay relay, FailReason expected) throws Exception {
        try (Wire wire = new Wire(relay.address(), 10_000)) {
            assertThat(wire.connect("lab.test:443")).startsWith("HTTP/1.1 502");
        }
        assertThat(relay.firstFailure().get(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo(expected);
    }
}
