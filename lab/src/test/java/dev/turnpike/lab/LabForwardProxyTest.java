package dev.turnpike.lab;

import dev.turnpike.lab.origin.LabContext;
import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.lab.core.HostKind;
import dev.turnpike.lab.core.LabHost;
import dev.turnpike.lab.core.Http;
import dev.turnpike.lab.proxy.ProxyAccount;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The lab with its real forward proxy: traffic through an account reaches the lab from that account's exit IP. */
class LabForwardProxyTest {

    static Lab lab;

    @BeforeAll
    static void start() {
        lab = Lab.start(LabOptions.defaults().withSeed(21).withOrigin(context -> (host, request, response, callback) -> {
            Http.send(response, callback, 200, "text/plain", host.name() + " from " + LabContext.clientIp(request));
            return true;
        }));
        lab.admin().registerHost(LabHost.of("exit.lab.test", HostKind.PROTECTED));
        lab.admin().registerProxyAccount(new ProxyAccount("acct-a", "pass-a", "203.0.113.7", null));
        lab.admin().registerProxyAccount(new ProxyAccount("acct-b", "pass-b", "198.51.100.23", null));
    }

    @AfterAll
    static void stop() {
        lab.close();
    }

    static String basic(String user, String pass) {
        return Base64.getEncoder().encodeToString((user + ":" + pass).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void plainRequestThroughTheProxyArrivesFromTheAccountsExitIp() throws Exception {
        assertThat(lab.proxyHttpPort()).isPositive();
        try (Socket socket = new Socket("127.0.0.1", lab.proxyHttpPort())) {
            socket.getOutputStream().write(("GET http://exit.lab.test/ HTTP/1.1\r\nHost: exit.lab.test\r\n"
                    + "Proxy-Authorization: Basic " + basic("acct-b", "pass-b") + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            assertThat(new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                    .startsWith("HTTP/1.1 200").endsWith("exit.lab.test from 198.51.100.23");
        }
        assertThat(lab.admin().events()).anyMatch(e -> e.type().equals("proxy.connected") && "acct-b".equals(e.field("user")));
    }

    @Test
    void tlsTunnelThroughTheProxyArrivesFromTheAccountsExitIp() throws Exception {
        try (Socket tunnel = new Socket("127.0.0.1", lab.proxyHttpPort())) {
            tunnel.getOutputStream().write(("CONNECT exit.lab.test:443 HTTP/1.1\r\nHost: exit.lab.test:443\r\n"
                    + "Proxy-Authorization: Basic " + basic("acct-a", "pass-a") + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            assertThat(readHead(tunnel.getInputStream())).startsWith("HTTP/1.1 200");
            try (SSLSocket tls = (SSLSocket) lab.clientSslContext().getSocketFactory()
                    .createSocket(tunnel, "exit.lab.test", 443, true)) {
                tls.getOutputStream().write("GET / HTTP/1.1\r\nHost: exit.lab.test\r\nConnection: close\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                assertThat(new String(tls.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                        .startsWith("HTTP/1.1 200").endsWith("exit.lab.test from 203.0.113.7");
            }
        }
    }

    @Test
    void cdnCgiTraceThroughTheProxyReportsTheExitAddressAndItsCountry() throws Exception {
        lab.admin().registerProxyAccount(new ProxyAccount("acct-de", "pass-de", "203.0.113.49", null, "de"));
        String answer;
        try (Socket socket = new Socket("127.0.0.1", lab.proxyHttpPort())) {
            socket.getOutputStream().write(("GET http://exit.lab.test/cdn-cgi/trace HTTP/1.1\r\nHost: exit.lab.test\r\n"
                    + "User-Agent: trace-test/1\r\nProxy-Authorization: Basic " + basic("acct-de", "pass-de")
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(answer).startsWith("HTTP/1.1 200").contains("\nh=exit.lab.test\n", "\nip=203.0.113.49\n",
                "\nloc=DE\n", "\nuag=trace-test/1\n", "\nvisit_scheme=http\n");
        // An exit with no country, like this machine's own address, is XX, as Cloudflare writes an unknown one.
        assertThat(new LabHttp(lab).get("exit.lab.test", "/cdn-cgi/trace").body()).contains("ip=127.0.0.1\n", "loc=XX\n");
    }

    @Test
    void wrongPasswordIsRefusedWith407() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", lab.proxyHttpPort())) {
            socket.getOutputStream().write(("GET http://exit.lab.test/ HTTP/1.1\r\nHost: exit.lab.test\r\n"
                    + "Proxy-Authorization: Basic " + basic("acct-a", "wrong") + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            assertThat(readHead(socket.getInputStream())).startsWith("HTTP/1.1 407");
        }
    }

    private static String readHead(InputStream in) throws Exception {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            head.write(b);
            if (head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
                break;
            }
        }
        return head.toString(StandardCharsets.US_ASCII);
    }
}
