package dev.turnpike.server.browser.identity;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Fetches Cloudflare's {@code /cdn-cgi/trace} of a target's host through a context's relay (a local HTTP proxy bound
 * to the task's proxy), so the request leaves where the page's will, under the same address policy, and the edge
 * says which address and country it came from. Certificates are checked as the browsers check them: the system's
 * roots, or a pin of {@code --ignore-certificate-errors-spki-list} anywhere in the chain.
 */
public final class EdgeTraceClient {

    public static final String PATH = "/cdn-cgi/trace";
    /** Turnstile's own host, behind Cloudflare whatever the site is: asked when the site's host has no trace. */
    public static final URI CLOUDFLARE = URI.create("https://challenges.cloudflare.com/");
    private static final String PINS_FLAG = "--ignore-certificate-errors-spki-list=";
    /** A trace is a few hundred bytes; anything longer is not one. */
    private static final int MAX_BYTES = 8192;

    private final SSLContext tls;
    private final Duration timeout;
    private final Executor executor;

    /**
     * @param pins     base64 SHA-256 hashes of public keys trusted whatever their chain (the lab's)
     * @param timeout  the longest a trace may take, connection included
     * @param executor where the HTTP client runs its work
     */
    public EdgeTraceClient(Set<String> pins, Duration timeout, Executor executor) {
        this.tls = tls(Set.copyOf(pins));
        this.timeout = timeout;
        this.executor = executor;
    }

    /** The pins among Chromium's switches ({@code --ignore-certificate-errors-spki-list=a,b}). */
    public static Set<String> pinsIn(List<String> chromiumArgs) {
        return chromiumArgs.stream().filter(a -> a.startsWith(PINS_FLAG))
                .flatMap(a -> List.of(a.substring(PINS_FLAG.length()).split(",")).stream())
                .map(String::trim).filter(p -> !p.isEmpty()).collect(Collectors.toUnmodifiableSet());
    }

    /**
     * The exit of {@code relay}'s route as {@code target}'s host sees it; when that host is not behind Cloudflare (no
     * trace), as Turnstile's own host sees it (the widget's requests go there through the same route).
     *
     * @param userAgent what the request says it is (the context's own)
     * @throws TraceException no trace, no country, a timeout or a connection failure
     */
    public ProxyExit fetch(InetSocketAddress relay, URI target, String userAgent)
            throws TraceException, InterruptedException {
        try {
            return fetchFrom(relay, target, userAgent);
        } catch (TraceException e) {
            if (e.reason() != ExitUnknown.NO_TRACE || CLOUDFLARE.getHost().equalsIgnoreCase(target.getHost())) {
                throw e;
            }
            return fetchFrom(relay, CLOUDFLARE, userAgent);
        }
    }

    private ProxyExit fetchFrom(InetSocketAddress relay, URI target, String userAgent)
            throws TraceException, InterruptedException {
        URI trace = URI.create(target.getScheme() + "://" + target.getRawAuthority() + PATH);
        HttpClient http = HttpClient.newBuilder().proxy(ProxySelector.of(relay)).sslContext(tls)
                .connectTimeout(timeout).version(HttpClient.Version.HTTP_1_1).executor(executor)
                .followRedirects(HttpClient.Redirect.NEVER).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            // The whole answer within the timeout, its body bounded: a trickling or endless answer is no trace.
            HttpResponse<InputStream> response = http.sendAsync(HttpRequest.newBuilder(trace).timeout(timeout)
                    .header("User-Agent", userAgent).GET().build(), HttpResponse.BodyHandlers.ofInputStream())
                    .get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            String body = CompletableFuture.supplyAsync(() -> read(response.body()), executor)
                    .get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (response.statusCode() != 200 || !body.contains("loc=")) {
                throw new TraceException(ExitUnknown.NO_TRACE, trace.getHost() + " answered " + response.statusCode()
                        + " without a trace");
            }
            return ProxyExit.parse(body).orElseThrow(() -> new TraceException(ExitUnknown.NO_COUNTRY,
                    "the trace of " + trace.getHost() + " names no country"));
        } catch (TimeoutException e) {
            throw timedOut(trace, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof HttpTimeoutException timeoutException) {
                throw timedOut(trace, timeoutException);
            }
            throw new TraceException(ExitUnknown.UNREACHABLE, "the trace of " + trace.getHost()
                    + " could not be fetched: " + e.getCause(), e.getCause());
        } finally {
            http.shutdownNow(); // its connection and selector thread go with it
        }
    }

    private TraceException timedOut(URI trace, Exception cause) {
        return new TraceException(ExitUnknown.TIMEOUT, "the trace of " + trace.getHost() + " took over "
                + timeout.toMillis() + " ms", cause);
    }

    private static String read(InputStream in) {
        try (in) {
            return new String(in.readNBytes(MAX_BYTES), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static SSLContext tls(Set<String> pins) {
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init((KeyStore) null);
            X509ExtendedTrustManager system = null;
            for (TrustManager manager : factory.getTrustManagers()) {
                if (manager instanceof X509ExtendedTrustManager m) {
                    system = m;
                }
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new PinnedOrSystem(system, pins)}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no TLS context for the trace", e);
        }
    }

    /** The system's trust, with Chromium's exception: a chain holding a pinned key is accepted whatever its errors. */
    private static final class PinnedOrSystem extends X509ExtendedTrustManager {
        private final X509ExtendedTrustManager system;
        private final Set<String> pins;

        PinnedOrSystem(X509ExtendedTrustManager system, Set<String> pins) {
            this.system = system;
            this.pins = pins;
        }

        /** One of the system's checks. */
        @FunctionalInterface
        private interface Check {
            void run() throws CertificateException;
        }

        private void systemOrPinned(Check check, X509Certificate[] chain) throws CertificateException {
            try {
                check.run();
            } catch (CertificateException e) {
                requirePinned(chain, e);
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            systemOrPinned(() -> system.checkServerTrusted(chain, authType, engine), chain);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            systemOrPinned(() -> system.checkServerTrusted(chain, authType, socket), chain);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            systemOrPinned(() -> system.checkServerTrusted(chain, authType), chain);
        }

        private void requirePinned(X509Certificate[] chain, CertificateException failure) throws CertificateException {
            for (X509Certificate certificate : chain) {
                if (pins.contains(spkiHash(certificate))) {
                    return;
                }
            }
            throw failure;
        }

        private static String spkiHash(X509Certificate certificate) {
            try {
                return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256")
                        .digest(certificate.getPublicKey().getEncoded()));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            throw new CertificateException("no client certificates");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            throw new CertificateException("no client certificates");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("no client certificates");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return system.getAcceptedIssuers();
        }
    }
}
