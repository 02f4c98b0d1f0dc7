package dev.turnpike.lab;

import dev.turnpike.lab.origin.LabContext;
import dev.turnpike.fixtures.TestClock;
import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.lab.core.HostKind;
import dev.turnpike.lab.core.LabHost;
import dev.turnpike.lab.core.Sealer;
import dev.turnpike.lab.core.Http;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class LabCoreTest {

    static Lab lab;
    static LabHttp http;

    @BeforeAll
    static void start() {
        lab = Lab.start(LabOptions.defaults().withSeed(7).withClock(new TestClock(Instant.parse("2026-01-01T00:00:00Z")))
                .withOrigin(context -> (host, request, response, callback) -> {
                    Http.send(response, callback, 200, "text/plain", host.name() + " from " + LabContext.clientIp(request));
                    return true;
                }));
        http = new LabHttp(lab);
    }

    @AfterAll
    static void stop() {
        lab.close();
    }

    @Test
    void registeredPageIsServedOnItsHostOnly() throws Exception {
        lab.admin().registerPage("pages.lab.test", "/hello", "<title>hello</title>");
        assertThat(http.get("pages.lab.test", "/hello").body()).isEqualTo("<title>hello</title>");
        assertThat(http.get("pages.lab.test", "/other").statusCode()).isEqualTo(404);
        assertThat(http.get("nobody.lab.test", "/hello").statusCode()).isEqualTo(404);
    }

    @Test
    void originHostsGoToTheOriginSeam() throws Exception {
        lab.admin().registerHost(LabHost.of("shop.lab.test", HostKind.PROTECTED));
        HttpResponse<String> response = http.get("shop.lab.test", "/");
        assertThat(response.body()).isEqualTo("shop.lab.test from 127.0.0.1");
    }

    @Test
    void proxiedConnectorTakesTheClientIpFromTheProxyHeader() throws Exception {
        lab.admin().registerHost(LabHost.of("exit.lab.test", HostKind.PROTECTED));
        var target = lab.upstream().route("exit.lab.test", 80).orElseThrow();
        assertThat(lab.upstream().route("example.com", 80)).isEmpty();
        try (Socket socket = new Socket(target.getAddress(), target.getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(("PROXY TCP4 203.0.113.7 127.0.0.1 40000 80\r\nGET / HTTP/1.1\r\nHost: exit.lab.test\r\n"
                    + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String answer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertThat(answer).startsWith("HTTP/1.1 200").endsWith("exit.lab.test from 203.0.113.7");
        }
    }

    @Test
    void plainHttpIsAnsweredOnTheHttpsPortToo() throws Exception {
        lab.admin().registerPage("plain.lab.test", "/", "plain");
        try (Socket socket = new Socket("127.0.0.1", lab.httpsPort())) {
            socket.getOutputStream().write("GET / HTTP/1.1\r\nHost: plain.lab.test\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            assertThat(new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                    .startsWith("HTTP/1.1 200").endsWith("plain");
        }
    }

    @Test
    void httpsOffersHttp2ToClientsThatAskAndHttp11ToTheOthers() throws Exception {
        for (String[] offered : new String[][] {{"h2", "http/1.1"}, {"http/1.1"}}) {
            try (javax.net.ssl.SSLSocket socket = (javax.net.ssl.SSLSocket) lab.clientSslContext().getSocketFactory()
                    .createSocket("127.0.0.1", lab.httpsPort())) {
                javax.net.ssl.SSLParameters parameters = socket.getSSLParameters();
                parameters.setServerNames(java.util.List.of(new javax.net.ssl.SNIHostName("pages.lab.test")));
                parameters.setApplicationProtocols(offered);
                socket.setSSLParameters(parameters);
                socket.startHandshake();
                assertThat(socket.getApplicationProtocol()).as("offered " + String.join(",", offered))
                        .isEqualTo(offered[0]);
            }
        }
    }

    @Test
    void adminApiRegistersHostsAndRefusesBrowsers() throws Exception {
        HttpResponse<String> created = http.admin("POST", "/hosts", "{\"host\":\"admin.lab.test\",\"kind\":\"turnstile-form\"}");
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(lab.context().hosts().find("admin.lab.test").orElseThrow().kind()).isEqualTo(HostKind.TURNSTILE_FORM);
        assertThat(http.admin("POST", "/hosts", "{\"host\":\"x.lab.test\",\"kindd\":\"plain\"}").statusCode()).isEqualTo(400);
        var browserLike = java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + lab.adminPort() + "/reset"))
                .header("Origin", "https://evil.lab.test").POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build();
        assertThat(http.send(browserLike).statusCode()).isEqualTo(403);
        assertThat(http.admin("GET", "/events", null).body()).contains("host.registered");
    }

    @Test
    void newHostOutsideTheWildcardIsCoveredByAReissuedCertificateWithTheSameKey() throws Exception {
        String pin = lab.spkiPin();
        lab.admin().registerPage("www.example-shop.test", "/", "shop");
        assertThat(lab.context().certificate().covers("www.example-shop.test")).isTrue();
        assertThat(lab.spkiPin()).isEqualTo(pin);
        assertThat(lab.chromiumArgs().get(0)).contains("MAP www.example-shop.test 127.0.0.1:" + lab.httpsPort())
                .endsWith("MAP * ^NOTFOUND, EXCLUDE localhost");
        assertThat(http.get("www.example-shop.test", "/").body()).isEqualTo("shop");
    }

    @Test
    void sealerOpensOnlyWhatThisLabSealed() {
        Sealer sealer = lab.context().sealer();
        String sealed = sealer.seal("ray=abc");
        assertThat(sealer.openString(sealed)).contains("ray=abc");
        char[] chars = sealed.toCharArray();
        chars[20] = chars[20] == 'A' ? 'B' : 'A';
        assertThat(sealer.openString(new String(chars))).isEmpty();
        assertThat(sealer.verifyHex("data", sealer.macHex("data"))).isTrue();
        assertThat(sealer.verifyHex("datb", sealer.macHex("data"))).isFalse();
    }

    @Test
    void sameSeedGivesTheSameCertificatePin() {
        try (Lab other = Lab.start(LabOptions.defaults().withSeed(7))) {
            assertThat(other.spkiPin()).isEqualTo(lab.spkiPin());
        }
    }

    @Test
    void forwardProxyIsStartedWithTheLabsAccountsUpstreamAndEvents() {
        var seen = new java.util.concurrent.atomic.AtomicReference<dev.turnpike.lab.proxy.Upstream>();
        var closed = new java.util.concurrent.atomic.AtomicBoolean();
        ProxyLauncher fake = (bind, accounts, upstream, events) -> {
            assertThat(bind.getAddress().getHostAddress()).isEqualTo("127.0.0.1");
            accounts.put(new dev.turnpike.lab.proxy.ProxyAccount("fixture", "fixture-pass", "203.0.113.9", null));
            seen.set(upstream);
            return new ProxyLauncher.RunningProxy() {
                public int httpPort() { return 1111; }
                public int socksPort() { return 2222; }
                public void close() { closed.set(true); }
            };
        };
        try (Lab withProxy = Lab.start(LabOptions.defaults().withSeed(1).withProxy(fake))) {
            assertThat(withProxy.proxyHttpPort()).isEqualTo(1111);
            assertThat(withProxy.proxySocksPort()).isEqualTo(2222);
            assertThat(seen.get().route("challenges.cloudflare.com", 443).orElseThrow().getPort())
                    .isEqualTo(withProxy.proxiedHttpsPort());
            assertThat(seen.get().route("any.lab.test", 80).orElseThrow().getPort()).isEqualTo(withProxy.proxiedHttpPort());
            assertThat(seen.get().route("any.lab.test", 8080)).isEmpty();
            assertThat(seen.get().route("example.com", 443)).isEmpty();
            assertThat(withProxy.banner()).contains("HTTP 127.0.0.1:1111, SOCKS5 127.0.0.1:2222")
                    .contains("fixture:fixture-pass exit IP 203.0.113.9");
        }
        assertThat(closed).isTrue();
    }

    @Test
    void hostOtherThanTheSniNameIsMisdirected() throws Exception {
        lab.admin().registerPage("sni-a.lab.test", "/", "a");
        lab.admin().registerPage("sni-b.lab.test", "/", "b");
        assertThat(rawTls("sni-a.lab.test", "sni-a.lab.test")).startsWith("HTTP/1.1 200").endsWith("a");
        assertThat(rawTls("sni-a.lab.test", "sni-b.lab.test")).startsWith("HTTP/1.1 421");
    }

    private static String rawTls(String sni, String host) throws Exception {
        try (var socket = (javax.net.ssl.SSLSocket) lab.clientSslContext().getSocketFactory()
                .createSocket("127.0.0.1", lab.httpsPort())) {
            var params = socket.getSSLParameters();
            params.setServerNames(java.util.List.of(new javax.net.ssl.SNIHostName(sni)));
            socket.setSSLParameters(params);
            socket.getOutputStream().write(("GET / HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
