package dev.turnpike.server.browser;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A tiny HTTPS site on 127.0.0.1:0 for browser tests, reached by Chromium as https://site.test/ (and
 * https://other.test/) through host-resolver rules, its self-signed certificate trusted by SPKI pin.
 * Records every request's headers.
 */
public final class TestSite implements AutoCloseable {

    public static final String HOST = "site.test";
    public static final String OTHER_HOST = "other.test";
    /** Cloudflare's challenge host, played by this site too: the one host a direct context reaches without its relay. */
    public static final String CHALLENGE_HOST = "challenges.cloudflare.com";

    public record Request(String host, String path, Map<String, List<String>> headers) {
        public String header(String name) {
            for (var e : headers.entrySet()) {
                if (e.getKey().equalsIgnoreCase(name)) {
                    return e.getValue().get(0);
                }
            }
            return null;
        }
    }

    private final HttpsServer server;
    private final String spkiPin;
    private final Map<String, String> pages = new ConcurrentHashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();

    private TestSite(HttpsServer server, String spkiPin) {
        this.server = server;
        this.spkiPin = spkiPin;
    }

    public static TestSite start() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(256);
        KeyPair keys = generator.generateKeyPair();
        long now = System.currentTimeMillis();
        var builder = new JcaX509v3CertificateBuilder(new X500Name("CN=" + HOST), BigInteger.valueOf(now),
                new Date(now - 86_400_000L), new Date(now + 86_400_000L), new X500Name("CN=" + HOST), keys.getPublic());
        builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[]{
                new GeneralName(GeneralName.dNSName, HOST), new GeneralName(GeneralName.dNSName, OTHER_HOST),
                new GeneralName(GeneralName.dNSName, CHALLENGE_HOST)}));
        X509Certificate cert = new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("site", keys.getPrivate(), new char[0], new java.security.cert.Certificate[]{cert});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, new char[0]);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(kmf.getKeyManagers(), null, null);
        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(ssl));
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        String pin = Base64.getEncoder().encodeToString(
                MessageDigest.getInstance("SHA-256").digest(cert.getPublicKey().getEncoded()));
        TestSite site = new TestSite(server, pin);
        server.createContext("/", exchange -> {
            String host = exchange.getRequestHeaders().getFirst("Host");
            String path = exchange.getRequestURI().getPath();
            site.requests.add(new Request(host, path, Map.copyOf(exchange.getRequestHeaders())));
            String page = site.pages.get(path);
            byte[] body = (page == null ? "<title>missing</title>" : page).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            // Ask for the full client hints too, as sites do.
            exchange.getResponseHeaders().set("Accept-CH", "Sec-CH-UA-Full-Version-List, Sec-CH-UA-Platform");
            exchange.sendResponseHeaders(page == null ? 404 : 200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        return site;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public void page(String path, String html) {
        pages.put(path, html);
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    public List<Request> requestsFor(String path) {
        return requests.stream().filter(r -> r.path().equals(path)).toList();
    }

    /** Chromium flags: map the test hosts here, nothing else anywhere, and trust our certificate. */
    public List<String> chromiumArgs() {
        return List.of("--host-resolver-rules=MAP " + HOST + " 127.0.0.1:" + port() + ", MAP " + OTHER_HOST
                        + " 127.0.0.1:" + port() + ", MAP " + CHALLENGE_HOST + " 127.0.0.1:" + port()
                        + ", MAP * ^NOTFOUND, EXCLUDE localhost",
                "--ignore-certificate-errors-spki-list=" + spkiPin);
    }

    @Override
    public void close() {
        server.stop(0);
    }

    public static String url(String path) {
        return "https://" + HOST + path;
    }
}
