package dev.turnpike.lab.origin;

import dev.turnpike.fixtures.TestClock;
import dev.turnpike.lab.core.LabRandom;
import dev.turnpike.lab.core.Sealer;
import dev.turnpike.lab.turnstile.ProofOfWork;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * The origin on a real Jetty on 127.0.0.1:0, with hosts, clock, events and siteverify a test controls. Visitors
 * reach it with Java's HttpClient under lab host names (the server is set as the client's HTTP proxy, so the
 * request carries the host name and nothing resolves it) and from distinct loopback addresses (127.0.0.x), so
 * the remote address — the exit IP — really differs.
 */
final class OriginHarness implements AutoCloseable {

    static final String UA_A = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36";
    static final String UA_B = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/141.0.0.0 Safari/537.36";
    static final ChallengeSitekeys SITEKEYS = new ChallengeSitekeys("0x4AAAAAAALabManagedChl00", "0x4AAAAAAALabManagedSecret",
            "0x4AAAAAAALabInteractChl0", "0x4AAAAAAALabInteractSecret");

    static final Instant START = Instant.parse("2026-11-23T12:00:00Z");
    final TestClock clock = new TestClock(START);
    final Map<String, OriginHost> hosts = new ConcurrentHashMap<>();
    final List<OriginEvent> events = new CopyOnWriteArrayList<>();
    final Sealer sealer = new Sealer("lab-origin-test-key-0123456789abcdef".getBytes(StandardCharsets.UTF_8),
            new LabRandom(7));
    private final Server server;
    private final int port;

    OriginHarness() throws Exception {
        ProtectedOrigin origin = new ProtectedOrigin(h -> Optional.ofNullable(hosts.get(h)), sealer, clock,
                new SplittableRandom(42), new FakeTurnstileVerifier(), SITEKEYS, events::add);
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(new OriginJettyHandler(origin));
        server.start();
        port = connector.getLocalPort();
    }

    /** Forgets hosts and events and sets the clock back, between tests. */
    void reset() {
        hosts.clear();
        events.clear();
        clock.set(START);
    }

    OriginHost put(OriginHost host) {
        hosts.put(host.host(), host);
        return host;
    }

    Visitor visitor(String exitIp, String userAgent) {
        return new Visitor(exitIp, userAgent);
    }

    <T extends OriginEvent> List<T> events(Class<T> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("cannot stop the test origin", e);
        }
    }

    /** One HTTP client from one exit IP with one user agent, with a cookie jar that ignores Domain. */
    final class Visitor {
        final String exitIp;
        final String userAgent;
        final Map<String, String> cookies = new ConcurrentHashMap<>();
        private final HttpClient client;

        private Visitor(String exitIp, String userAgent) {
            this.exitIp = exitIp;
            this.userAgent = userAgent;
            try {
                this.client = HttpClient.newBuilder()
                        .proxy(ProxySelector.of(new InetSocketAddress("127.0.0.1", port)))
                        .localAddress(InetAddress.getByName(exitIp))
                        .followRedirects(HttpClient.Redirect.NEVER)
                        .connectTimeout(Duration.ofSeconds(10))
                        .build();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        HttpResponse<String> get(String host, String pathAndQuery) throws Exception {
            return send("GET", host, pathAndQuery, null, null);
        }

        HttpResponse<String> post(String host, String pathAndQuery, String contentType, String body) throws Exception {
            return send("POST", host, pathAndQuery, contentType, body);
        }

        HttpResponse<String> send(String method, String host, String pathAndQuery, String contentType, String body)
                throws Exception {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + host + pathAndQuery))
                    .timeout(Duration.ofSeconds(20))
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(body));
            if (userAgent != null) {
                request.header("User-Agent", userAgent);
            }
            if (contentType != null) {
                request.header("Content-Type", contentType);
            }
            if (!cookies.isEmpty()) {
                request.header("Cookie", String.join("; ", cookies.entrySet().stream()
                        .map(e -> e.getKey() + "=" + e.getValue()).toList()));
            }
            HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            for (String setCookie : response.headers().allValues("Set-Cookie")) {
                String pair = setCookie.split(";", 2)[0];
                int eq = pair.indexOf('=');
                cookies.put(pair.substring(0, eq), pair.substring(eq + 1));
            }
            return response;
        }

        /** Answers a non-interactive challenge page as its orchestrate script would. */
        HttpResponse<String> solveProofOfWork(String host, HttpResponse<String> challenge, int bits) throws Exception {
            ChallengePageFields page = ChallengePageFields.of(challenge.body());
            return postAnswer(host, page, page.md(), ProofOfWork.solve(page.cH(), bits));
        }

        HttpResponse<String> postAnswer(String host, ChallengePageFields page, String md, String answer) throws Exception {
            return post(host, page.fa(), "application/x-www-form-urlencoded",
                    "md=" + java.net.URLEncoder.encode(md, StandardCharsets.UTF_8) + "&answer="
                            + java.net.URLEncoder.encode(answer, StandardCharsets.UTF_8));
        }
    }

    /** What a solver reads from a challenge page. */
    record ChallengePageFields(String cRay, String cH, String md, String fa, String cType, String cMTimeMs) {

        static ChallengePageFields of(String html) {
            return new ChallengePageFields(field(html, "cRay"), field(html, "cH"), field(html, "md"),
                    field(html, "fa").replace("\\/", "/"), field(html, "cType"), field(html, "cMTimeMs"));
        }

        private static String field(String html, String name) {
            Matcher m = Pattern.compile("[{,]\\s*" + name + ":\\s*['\"]([^'\"]*)['\"]").matcher(html);
            if (!m.find()) {
                throw new AssertionError("no " + name + " in the challenge page:\n" + html);
            }
            return m.group(1);
        }
    }
}
