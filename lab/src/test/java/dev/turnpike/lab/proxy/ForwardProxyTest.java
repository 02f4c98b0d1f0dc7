package dev.turnpike.lab.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.Authenticator;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.PasswordAuthentication;
import java.net.ProxySelector;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ForwardProxyTest {

    private static final int SOCKS_PASSWORD = 2;
    private static final int SOCKS_NO_AUTH = 0;

    private static LabEcho lab;

    private final ProxyAccounts accounts = new ProxyAccounts();
    private final BlockingQueue<ProxyEvent> events = new LinkedBlockingQueue<>();
    private ForwardProxy proxy;

    @BeforeAll
    static void startLab() throws Exception {
        lab = new LabEcho();
    }

    @AfterAll
    static void stopLab() throws Exception {
        lab.close();
    }

    @BeforeEach
    void startProxy() {
        accounts.put(new ProxyAccount("alice", "a-secret", "203.0.113.7", ProxyFault.NONE));
        accounts.put(new ProxyAccount("bob", "b-secret", "198.51.100.23", ProxyFault.NONE));
        // Lab names and two documentation addresses route to the echo connector; everything else is refused.
        Map<String, InetSocketAddress> routes = Map.of(
                "lab.test", lab.address(), "192.0.2.10", lab.address(), "2001:db8::10", lab.address());
        // As the lab routes: port 443 of a lab host goes to the HTTPS connector, any other port to plain HTTP.
        Upstream upstream = (host, port) -> host.equals("tls.lab.test") || (host.equals("lab.test") && port == 8443)
                ? Optional.of(lab.tlsAddress()) : Optional.ofNullable(routes.get(host));
        proxy = ForwardProxy.builder(accounts, upstream).events(events::add).start();
    }

    @AfterEach
    void stopProxy() {
        proxy.close();
    }

    @Test
    void connectTunnelReachesTheLabFromTheAccountsExitIp() throws Exception {
        try (Wire wire = new Wire(proxy.httpAddress())) {
            assertThat(wire.connect("lab.test:443", "alice", "a-secret")).startsWith("HTTP/1.1 200");
            String answer = wire.getThroughTunnel("lab.test", "/echo");
            assertThat(answer).startsWith("HTTP/1.1 200").contains("remote=203.0.113.7\n");
        }
        ProxyEvent connected = nextEvent(ProxyEvent.Type.CONNECTED);
        assertThat(connected.user()).isEqualTo("alice");
        assertThat(connected.target()).isEqualTo("lab.test:443");
        assertThat(connected.protocol()).isEqualTo(ProxyEvent.Protocol.HTTP);
    }

    @Test
    void connectTunnelCarriesTlsToAnHttpsLabConnector() throws Exception {
        try (Wire wire = new Wire(proxy.httpAddress())) {
            assertThat(wire.connect("lab.test:8443", "bob", "b-secret")).startsWith("HTTP/1.1 200");
            try (SSLSocket tls = (SSLSocket) lab.clientTls().getSocketFactory()
                    .createSocket(wire.socket, "lab.test", 8443, true)) {
                SSLParameters parameters = tls.getSSLParameters();
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                tls.setSSLParameters(parameters);
                tls.setSoTimeout(Wire.READ_TIMEOUT_MS);
                tls.getOutputStream().write("GET /secure HTTP/1.1\r\nHost: lab.test\r\nConnection: close\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                tls.getOutputStream().flush();
                String answer = new String(tls.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
                assertThat(answer).startsWith("HTTP/1.1 200").contains("remote=198.51.100.23\n")
                        .contains("target=/secure\n");
            }
        }
    }

    @Test
    void plainRequestWithAHugeCookieHeaderAndThenATunnelShareOneConnection() throws Exception {
        String cookie = "a=" + "x".repeat(20_000);
        try (Wire wire = new Wire(proxy.httpAddress())) {
            wire.send("GET http://lab.test/first HTTP/1.1\r\nHost: lab.test\r\nCookie: " + cookie
                    + "\r\nProxy-Authorization: " + Wire.basic("alice", "a-secret") + "\r\n\r\n");
            String head = wire.readHead();
            assertThat(head).startsWith("HTTP/1.1 200");
            int length = Integer.parseInt(head.replaceAll("(?s).*Content-Length: (\\d+).*", "$1"));
            assertThat(new String(wire.readExactly(length))).contains("target=/first\n");

            assertThat(wire.connect("lab.test:443", "alice", "a-secret")).startsWith("HTTP/1.1 200");
            assertThat(wire.getThroughTunnel("lab.test", "/second")).contains("target=/second\n")
                    .contains("remote=203.0.113.7\n");
        }
    }

    @Test
    void plainRequestIsForwardedInOriginFormWithoutProxyAuthorization() throws Exception {
        HttpClient client = HttpClient.newBuilder()
                .proxy(ProxySelector.of(proxy.httpAddress()))
                .authenticator(credentials("alice", "a-secret"))
                .connectTimeout(Duration.ofSeconds(10))
                .build();
        HttpResponse<String> response = client.send(
                HttpRequest.newBuilder(URI.create("http://lab.test/echo?x=1")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body())
                .contains("remote=203.0.113.7\n")
                .contains("proxy-authorization=null\n")
                .contains("proxy-connection=null\n")
                .contains("target=/echo?x=1\n")
                .contains("host=lab.test\n");
    }

    @Test
    void plainRequestsOnOneConnectionToTwoAccountsSeeTwoExitIps() throws Exception {
        try (Wire wire = new Wire(proxy.httpAddress())) {
            for (String[] account : new String[][] {{"alice", "a-secret", "203.0.113.7"},
                    {"bob", "b-secret", "198.51.100.23"}}) {
                wire.send("GET http://lab.test/echo HTTP/1.1\r\nHost: lab.test\r\nProxy-Authorization: "
                        + Wire.basic(account[0], account[1]) + "\r\n\r\n");
                String head = wire.readHead();
                assertThat(head).startsWith("HTTP/1.1 200");
                int length = Integer.parseInt(head.replaceAll("(?s).*Content-Length: (\\d+).*", "$1"));
                String body = new String(wire.readExactly(length));
                assertThat(body).contains("remote=" + account[2] + "\n");
            }
        }
    }

    @Test
    void socks5WithPasswordReachesTheLabFromTheExitIpForEveryAddressType() throws Exception {
        byte[] ipv4 = InetAddress.getByName("192.0.2.10").getAddress();
        byte[] ipv6 = InetAddress.getByName("2001:db8::10").getAddress();
        for (int kind = 0; kind < 3; kind++) {
            try (Wire wire = new Wire(proxy.socksAddress())) {
                assertThat(wire.socksGreet(SOCKS_PASSWORD)).isEqualTo(SOCKS_PASSWORD);
                assertThat(wire.socksAuth("alice", "a-secret")).isZero();
                int reply = switch (kind) {
                    case 0 -> wire.socksConnectDomain("lab.test", 80);
                    case 1 -> wire.socksConnectAddress(ipv4, 80);
                    default -> wire.socksConnectAddress(ipv6, 80);
                };
                assertThat(reply).as("reply for address kind %d", kind).isZero();
                assertThat(wire.getThroughTunnel("lab.test", "/")).contains("remote=203.0.113.7\n");
            }
        }
        assertThat(nextEvent(ProxyEvent.Type.CONNECTED).target()).isEqualTo("lab.test:80");
        assertThat(nextEvent(ProxyEvent.Type.CONNECTED).target()).isEqualTo("192.0.2.10:80");
        assertThat(nextEvent(ProxyEvent.Type.CONNECTED).target()).isEqualTo("[2001:db8::10]:80");
    }

    @Test
    void twoAccountsReachTheLabFromTwoExitIps() throws Exception {
        String viaAlice;
        String viaBob;
        try (Wire wire = new Wire(proxy.httpAddress())) {
            wire.connect("lab.test:443", "alice", "a-secret");
            viaAlice = wire.getThroughTunnel("lab.test", "/");
        }
        try (Wire wire = new Wire(proxy.socksAddress())) {
            wire.socksGreet(SOCKS_PASSWORD);
            wire.socksAuth("bob", "b-secret");
            wire.socksConnectDomain("lab.test", 443);
            viaBob = wire.getThroughTunnel("lab.test", "/");
        }
        assertThat(viaAlice).contains("remote=203.0.113.7\n");
        assertThat(viaBob).contains("remote=198.51.100.23\n");
    }

    @Test
    void ipv6ExitIpIsSentAsTcp6() throws Exception {
        accounts.put(new ProxyAccount("carol", "c-secret", "2001:db8::7", ProxyFault.NONE));
        try (Wire wire = new Wire(proxy.httpAddress())) {
            assertThat(wire.connect("lab.test:443", "carol", "c-secret")).startsWith("HTTP/1.1 200");
            assertThat(wire.getThroughTunnel("lab.test", "/")).contains("remote=[2001:db8:0:0:0:0:0:7]\n");
        }
        assertThat(ProxyCore.proxyProtocolLine("2001:db8:0:0:0:0:0:7", 5000, 443))
                .isEqualTo("PROXY TCP6 2001:db8::7 ::1 5000 443\r\n");
        assertThat(ProxyCore.proxyProtocolLine("203.0.113.7", 5000, 443))
                .isEqualTo("PROXY TCP4 203.0.113.7 127.0.0.1 5000 443\r\n");
    }

    @Test
    void missingUnknownOrWrongCredentialsAreAnswered407() throws Exception {
        int before = lab.accepted();
        String[][] attempts = {{null, null}, {"mallory", "a-secret"}, {"alice", "wrong"}};
        for (String[] attempt : attempts) {
            try (Wire wire = new Wire(proxy.httpAddress())) {
                String head = wire.connect("lab.test:443", attempt[0], attempt[1]);
                assertThat(head).startsWith("HTTP/1.1 407")
                        .contains("Proxy-Authenticate: Basic realm=\"turnpike-lab\"");
            }
            assertThat(nextEvent(ProxyEvent.Type.AUTH_FAILED).user()).isEqualTo(attempt[0] == null ? "" : attempt[0]);
        }
        HttpClient client = HttpClient.newBuilder().proxy(ProxySelector.of(proxy.httpAddress())).build();
        HttpResponse<String> plain = client.send(HttpRequest.newBuilder(URI.create("http://lab.test/")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(plain.statusCode()).isEqualTo(407);
        assertThat(lab.accepted()).as("no failed attempt reached the lab").isEqualTo(before);
    }

    @Test
    void socks5WrongPasswordFailsAuthenticationAndNoAuthIsRefused() throws Exception {
        try (Wire wire = new Wire(proxy.socksAddress())) {
            wire.socksGreet(SOCKS_PASSWORD);
            assertThat(wire.socksAuth("alice", "wrong")).as("RFC 1929: non-zero is failure").isPositive();
            assertThat(wire.read()).as("closed after the failure").isEqualTo(-1);
        }
        try (Wire wire = new Wire(proxy.socksAddress())) {
            assertThat(wire.socksGreet(SOCKS_NO_AUTH)).as("no acceptable method").isEqualTo(0xff);
            assertThat(wire.read()).isEqualTo(-1);
        }
        assertThat(nextEvent(ProxyEvent.Type.AUTH_FAILED).user()).isEqualTo("alice");
    }

    @Test
    void targetTheUpstreamRefusesIsRefusedAndNeverConnected() throws Exception {
        int before = lab.accepted();
        try (Wire wire = new Wire(proxy.httpAddress())) {
            assertThat(wire.connect("elsewhere.test:443", "alice", "a-secret")).startsWith("HTTP/1.1 403");
        }
        try (Wire wire = new Wire(proxy.socksAddress())) {
            wire.socksGreet(SOCKS_PASSWORD);
            wire.socksAuth("alice", "a-secret");
            assertThat(wire.socksConnectDomain("elsewhere.test", 443)).as("not allowed by ruleset").isEqualTo(2);
        }
        assertThat(nextEvent(ProxyEvent.Type.REFUSED_TARGET).target()).isEqualTo("elsewhere.test:443");
        assertThat(nextEvent(ProxyEvent.Type.REFUSED_TARGET).protocol()).isEqualTo(ProxyEvent.Protocol.SOCKS5);
        assertThat(lab.accepted()).isEqualTo(before);
    }

    @Test
    void upstreamNamingAnUnresolvedAddressIsRefused() throws Exception {
        try (ForwardProxy strict = ForwardProxy.builder(accounts,
                (host, port) -> Optional.of(InetSocketAddress.createUnresolved(host, port))).start();
             Wire wire = new Wire(strict.httpAddress())) {
            assertThat(wire.connect("lab.test:443", "alice", "a-secret")).startsWith("HTTP/1.1 403");
        }
    }

    @Test
    void refuseFaultClosesBeforeAnyAnswer() throws Exception {
        accounts.put(accounts.find("alice").orElseThrow().withFault(ProxyFault.REFUSE));
        try (Wire wire = new Wire(proxy.httpAddress())) {
            assertThat(wire.connect("lab.test:443", "alice", "a-secret")).isEmpty();
        }
        try (Wire wire = new Wire(proxy.socksAddress())) {
            wire.socksGreet(SOCKS_PASSWORD);
            assertThat(wire.socksAuth("alice", "a-secret")).as("closed, no auth answer").isEqualTo(-1);
        }
        assertThat(nextEvent(ProxyEvent.Type.FAULT_APPLIED).fault()).isEqualTo(ProxyFault.REFUSE);
    }

    @Test
    void stallFaultNeverAnswers() throws Exception {
        accounts.put(accounts.find("alice").orElseThrow().withFault(ProxyFault.STALL));
        try (Wire wire = new Wire(proxy.httpAddress(), 300)) {
            assertThatThrownBy(() -> wire.connect("lab.test:443", "alice", "a-secret"))
                    .isInstanceOf(SocketTimeoutException.class);
        }
        try (Wire wire = new Wire(proxy.socksAddress(), 300)) {
            wire.socksGreet(SOCKS_PASSWORD);
            assertThatThrownBy(() -> wire.socksAuth("alice", "a-secret")).isInstanceOf(SocketTimeoutException.class);
        }
        assertThat(nextEvent(ProxyEvent.Type.FAULT_APPLIED).fault()).isEqualTo(ProxyFault.STALL);
    }

    @Test
    void dropFaultCutsTheStreamAfterAFewBytes() throws Exception {
        accounts.put(accounts.find("alice").orElseThrow().withFault(ProxyFault.DROP));
        try (Wire wire = new Wire(proxy.httpAddress())) {
            assertThat(wire.connect("lab.test:443", "alice", "a-secret")).startsWith("HTTP/1.1 200");
            assertThat(wire.getThroughTunnel("lab.test", "/")).hasSize(ProxyFault.DROP_AFTER_BYTES);
        }
        try (Wire wire = new Wire(proxy.socksAddress())) {
            wire.socksGreet(SOCKS_PASSWORD);
            assertThat(wire.socksAuth("alice", "a-secret")).isZero();
            assertThat(wire.socksConnectDomain("lab.test", 443)).isZero();
            assertThat(wire.getThroughTunnel("lab.test", "/")).hasSize(ProxyFault.DROP_AFTER_BYTES);
        }
        HttpClient client = HttpClient.newBuilder().proxy(ProxySelector.of(proxy.httpAddress()))
                .authenticator(credentials("alice", "a-secret")).build();
        assertThatThrownBy(() -> client.send(HttpRequest.newBuilder(URI.create("http://lab.test/"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(IOException.class);
        assertThat(nextEvent(ProxyEvent.Type.FAULT_APPLIED).fault()).isEqualTo(ProxyFault.DROP);
    }

    @Test
    void wrongCredentialsFaultRejectsTheRightPassword() throws Exception {
        accounts.put(accounts.find("alice").orElseThrow().withFault(ProxyFault.WRONG_CREDENTIALS));
        try (Wire wire = new Wire(proxy.httpAddress())) {
            assertThat(wire.connect("lab.test:443", "alice", "a-secret")).startsWith("HTTP/1.1 407");
        }
        try (Wire wire = new Wire(proxy.socksAddress())) {
            wire.socksGreet(SOCKS_PASSWORD);
            assertThat(wire.socksAuth("alice", "a-secret")).as("RFC 1929: non-zero is failure").isPositive();
        }
        assertThat(nextEvent(ProxyEvent.Type.FAULT_APPLIED).fault()).isEqualTo(ProxyFault.WRONG_CREDENTIALS);
    }

    @Test
    void accountChangesApplyToTheNextConnection() throws Exception {
        try (Wire open = new Wire(proxy.httpAddress())) {
            assertThat(open.connect("lab.test:443", "alice", "a-secret")).startsWith("HTTP/1.1 200");
            accounts.put(accounts.find("alice").orElseThrow().withFault(ProxyFault.WRONG_CREDENTIALS));
            try (Wire next = new Wire(proxy.httpAddress())) {
                assertThat(next.connect("lab.test:443", "alice", "a-secret")).startsWith("HTTP/1.1 407");
            }
            accounts.put(accounts.find("alice").orElseThrow().withFault(ProxyFault.NONE));
            try (Wire next = new Wire(proxy.httpAddress())) {
                assertThat(next.connect("lab.test:443", "alice", "a-secret")).startsWith("HTTP/1.1 200");
            }
            assertThat(open.getThroughTunnel("lab.test", "/")).as("the open tunnel was left alone")
                    .contains("remote=203.0.113.7\n");
        }
    }

    @Test
    void closeClosesOpenTunnelsAndListeners() throws Exception {
        try (Wire wire = new Wire(proxy.httpAddress())) {
            assertThat(wire.connect("lab.test:443", "alice", "a-secret")).startsWith("HTTP/1.1 200");
            proxy.close();
            assertThat(wire.read()).isEqualTo(-1);
        }
        assertThatThrownBy(() -> new Wire(proxy.httpAddress()).close()).isInstanceOf(IOException.class);
    }

    private ProxyEvent nextEvent(ProxyEvent.Type type) throws InterruptedException {
        while (true) {
            ProxyEvent event = events.poll(10, TimeUnit.SECONDS);
            assertThat(event).as("a %s event", type).isNotNull();
            if (event.type() == type) {
                return event;
            }
        }
    }

    private static Authenticator credentials(String user, String pass) {
        return new Authenticator() {
            @Override
            protected PasswordAuthentication getPasswordAuthentication() {
                return new PasswordAuthentication(user, pass.toCharArray());
            }
        };
    }
}
