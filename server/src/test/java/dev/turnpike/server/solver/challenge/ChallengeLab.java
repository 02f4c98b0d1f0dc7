package dev.turnpike.server.solver.challenge;

import dev.turnpike.server.solver.SolvePhases;
import dev.turnpike.lab.Lab;
import dev.turnpike.lab.LabOptions;
import dev.turnpike.lab.proxy.ProxyAccount;
import dev.turnpike.lab.proxy.ProxyFault;
import dev.turnpike.server.browser.BrowserSettings;
import dev.turnpike.server.browser.TestPools;
import dev.turnpike.server.role.LabLink;
import dev.turnpike.server.browser.pool.BrowserPool;
import dev.turnpike.server.browser.session.BrowserSessions;
import dev.turnpike.server.browser.proxy.ProxyRelays;
import dev.turnpike.fixtures.TestClock;
import dev.turnpike.server.testing.TestServer;
import java.io.IOException;
import java.net.Authenticator;
import java.net.InetSocketAddress;
import java.net.PasswordAuthentication;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.Stream;

/**
 * Everything a challenge test needs, started once per class: the lab with its forward proxy (the lab's default) (accounts
 * {@code lab-a} and {@code lab-b}, two exit IPs), one Chromium in a pool (its contexts' relays too), and a Turnpike server with
 * the real {@link ChallengeSolver} installed; plus the plain Java client that replays a solution (LAB.md's pass
 * rule).
 */
final class ChallengeLab implements AutoCloseable {

    static final String ACCOUNT_A = "lab-a";
    static final String ACCOUNT_B = "lab-b";
    static final String EXIT_A = "203.0.113.7";
    static final String EXIT_B = "198.51.100.23";

    final Lab lab;
    final BrowserPool pool;
    final ChallengeSolver solver;
    final TestServer server;
    final String clientKey;
    private final ScheduledExecutorService scheduler;
    private final Path profiles;

    private ChallengeLab(Lab lab, BrowserPool pool, ChallengeSolver solver, TestServer server,
                         ScheduledExecutorService scheduler, Path profiles) {
        this.lab = lab;
        this.pool = pool;
        this.solver = solver;
        this.server = server;
        this.clientKey = server.createKey(1_000_000);
        this.scheduler = scheduler;
        this.profiles = profiles;
    }

    static ChallengeLab start(int contexts) throws Exception {
        return start(contexts, Map.of(), 0);
    }

    /**
     * With more server settings, and FlareSolverr's sessions on the pool (at most {@code sessions}, idle for 30 min
     * on the server's test clock).
     */
    static ChallengeLab start(int contexts, Map<String, String> serverSettings, int sessions) throws Exception {
        return start(contexts, serverSettings, sessions, List.of());
    }

    /** With more flags for the browser (after the lab's). */
    static ChallengeLab start(int contexts, Map<String, String> serverSettings, int sessions, List<String> browserFlags)
            throws Exception {
        List<AutoCloseable> started = new ArrayList<>();
        try {
            Lab lab = Lab.start(LabOptions.defaults().withSeed(7));
            started.add(lab);
            lab.admin().registerProxyAccount(new ProxyAccount(ACCOUNT_A, "lab-a-pass", EXIT_A, ProxyFault.NONE));
            lab.admin().registerProxyAccount(new ProxyAccount(ACCOUNT_B, "lab-b-pass", EXIT_B, ProxyFault.NONE));
            Path profiles = Files.createTempDirectory("turnpike-challenge-test-");
            ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
            BrowserSettings settings = BrowserSettings.defaults().withSize(1, contexts, 0).withProfileRoot(profiles)
                    .withExtraArgs(java.util.stream.Stream.concat(browserArgs(lab).stream(), browserFlags.stream())
                            .toList());
            ProxyRelays relays = TestPools.relays(settings, LabLink.of(lab).policy(TestPools.LOOPBACK_ONLY),
                    new ProxyRelays.Settings(Duration.ofSeconds(5), Duration.ofSeconds(5), 1));
            BrowserPool pool = BrowserPool.start(settings, relays, scheduler, Clock.systemUTC(), new Random(7));
            started.add(pool);
            // Tasks' deadlines and the waits for an identical solve read one clock, following the wall clock.
            TestClock clock = TestClock.ticking();
            BrowserSessions browserSessions = sessions > 0
                    ? new BrowserSessions(pool, clock, sessions, Duration.ofMinutes(30)) : null;
            ChallengeSolver solver = new ChallengeSolver(pool, ChallengeSolver.Settings.DEFAULTS, SolvePhases.none(),
                    new ClearanceCache(Clock.systemUTC(), 100, Duration.ofMinutes(30)), ClearanceFlights.on(clock),
                    browserSessions, null);
            TestServer.Builder builder = TestServer.builder().clock(clock).noSolver().alsoSolver(solver)
                    .setting("net.allowHosts", "*.lab.test")
                    .setting("net.allowNetworks", "127.0.0.0/8");
            serverSettings.forEach(builder::setting);
            TestServer server = builder.start();
            return new ChallengeLab(lab, pool, solver, server, scheduler, profiles);
        } catch (Exception | Error e) {
            for (int i = started.size() - 1; i >= 0; i--) {
                started.get(i).close();
            }
            throw e;
        }
    }

    /**
     * The lab's host rules and certificate pin. Lab hosts are resolved by the lab's proxy, never by the browser.
     */
    static List<String> browserArgs(Lab lab) {
        return List.of("--host-resolver-rules=" + lab.hostResolverRules(),
                "--ignore-certificate-errors-spki-list=" + lab.spkiPin());
    }

    String httpProxy(String account) {
        return "http://" + account + ":" + account + "-pass@127.0.0.1:" + lab.proxyHttpPort();
    }

    String socksProxy(String account) {
        return "socks5://" + account + ":" + account + "-pass@127.0.0.1:" + lab.proxySocksPort();
    }

    /**
     * A plain Java HTTP client (not a browser) through the lab's HTTP proxy as {@code account}, sending these
     * headers and cookies, as a client replaying a solution would.
     */
    HttpResponse<String> replay(String method, String url, String account, Map<String, String> headers,
                                Map<String, String> cookies) throws IOException, InterruptedException {
        HttpClient client = HttpClient.newBuilder()
                .proxy(ProxySelector.of(new InetSocketAddress("127.0.0.1", lab.proxyHttpPort())))
                .authenticator(new Authenticator() {
                    @Override
                    protected PasswordAuthentication getPasswordAuthentication() {
                        return new PasswordAuthentication(account, (account + "-pass").toCharArray());
                    }
                })
                .sslContext(lab.clientSslContext())
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
        try (client) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20))
                    .method(method, HttpRequest.BodyPublishers.noBody());
            headers.forEach(request::header);
            if (!cookies.isEmpty()) {
                request.header("cookie", String.join("; ", cookies.entrySet().stream()
                        .map(e -> e.getKey() + "=" + e.getValue()).toList()));
            }
            return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    /** What curl got: the status and the body. */
    record Fetched(int status, String body) {
    }

    /**
     * Real curl (as a scraper replays a solution) through the lab's HTTP proxy as {@code account}, sending these
     * headers and cookies over HTTP/1.1; the lab's certificate is checked by its pinned key.
     */
    Fetched curl(String url, String account, Map<String, String> headers, Map<String, String> cookies)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("curl", "--silent", "--show-error", "--http1.1",
                "--max-time", "20", "--proxy", "http://127.0.0.1:" + lab.proxyHttpPort(),
                "--proxy-user", account + ":" + account + "-pass",
                "--insecure", "--pinnedpubkey", "sha256//" + lab.spkiPin(),
                "--write-out", "\n%{http_code}"));
        headers.forEach((name, value) -> command.addAll(List.of("--header", name + ": " + value)));
        if (!cookies.isEmpty()) {
            command.addAll(List.of("--cookie", String.join("; ", cookies.entrySet().stream()
                    .map(e -> e.getKey() + "=" + e.getValue()).toList())));
        }
        command.add(url);
        Process curl = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(curl.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (!curl.waitFor(30, java.util.concurrent.TimeUnit.SECONDS) || curl.exitValue() != 0) {
            curl.destroyForcibly();
            throw new IOException("curl failed: " + out);
        }
        int lastLine = out.lastIndexOf('\n');
        return new Fetched(Integer.parseInt(out.substring(lastLine + 1).trim()), out.substring(0, lastLine));
    }

    @Override
    public void close() throws IOException {
        server.close();
        pool.close();
        scheduler.shutdownNow();
        lab.close();
        try (Stream<Path> paths = Files.walk(profiles)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
