package dev.turnpike.server.testing;

import dev.turnpike.fixtures.TestClock;
import com.fasterxml.jackson.databind.JsonNode;
import dev.turnpike.server.config.Config;
import dev.turnpike.server.net.HostResolver;
import dev.turnpike.server.role.Standalone;
import dev.turnpike.server.solver.Solver;
import dev.turnpike.server.solver.SolverSet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * A whole Turnpike server for tests: a {@link Standalone} on an ephemeral loopback port, a temporary data
 * directory, a {@link TestClock}, a fake resolver (no DNS) and a {@link FakeSolver} for every type unless told
 * otherwise. Shipped in the server's test-jar so the client and bench modules can use it.
 *
 * <pre>{@code
 * try (TestServer server = TestServer.builder().start()) {
 *     String key = server.createKey(100);
 *     ... POST server.baseUrl() + "/createTask" ...
 *     server.advance(Duration.ofSeconds(120)); // runs the deadline check
 * }
 * }</pre>
 */
public final class TestServer implements AutoCloseable {

    /**
     * Names the fake resolver knows. Nothing ever connects to these: {@code *.example} are documentation
     * addresses (TEST-NET-3), the others exist to be refused.
     */
    public static final Map<String, List<String>> TEST_NAMES = Map.of(
            "private.test", List.of("10.1.2.3"),
            "mixed.test", List.of("203.0.113.7", "192.168.1.1"),
            "loopback.test", List.of("127.0.0.1"),
            "xn--bcher-kva.test", List.of("127.0.0.1"),
            "linklocal.test", List.of("169.254.10.10"),
            "metadata.test", List.of("169.254.169.254"),
            "v6private.test", List.of("fd12::1"),
            "cgnat.test", List.of("100.64.1.1"));

    private final Standalone server;
    private final TestClock clock;
    private final FakeSolver solver;
    private final Path dataDir;
    private final boolean ownsDataDir;
    private final Builder builder;

    private TestServer(Builder b, Path dataDir, boolean ownsDataDir) throws Exception {
        this.builder = b;
        this.clock = b.clock;
        this.solver = b.solver;
        this.dataDir = dataDir;
        this.ownsDataDir = ownsDataDir;
        Map<String, String> settings = new HashMap<>();
        settings.put("http.host", "127.0.0.1");
        settings.put("http.port", "0");
        settings.put("data.dir", dataDir.toString());
        settings.put("store.autoServer", "false");
        settings.putAll(b.settings);
        Standalone.Builder sb = Standalone.builder(Config.of(settings)).clock(clock)
                .resolver(b.resolver != null ? b.resolver : fakeResolver());
        if (solver != null) {
            sb.solver(solver);
        }
        b.extraSolvers.forEach(sb::solver);
        b.solverFactories.forEach(sb::solver);
        if (b.poolView != null) {
            sb.poolView(b.poolView);
        }
        this.server = sb.start();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Resolves {@link #TEST_NAMES} and {@code *.example} (to 203.0.113.10); any other name is unknown. */
    public static HostResolver fakeResolver() {
        return host -> {
            List<String> addresses = TEST_NAMES.get(host);
            if (addresses == null && (host.equals("example") || host.endsWith(".example"))) {
                addresses = List.of("203.0.113.10");
            }
            if (addresses == null) {
                throw new UnknownHostException(host);
            }
            return addresses.stream().map(TestServer::literal).toList();
        };
    }

    private static InetAddress literal(String text) {
        try {
            return InetAddress.getByName(text); // address literals only: no lookup
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    public URI baseUrl() {
        return server.address();
    }

    public ApiClient client() {
        return new ApiClient(baseUrl());
    }

    public Standalone standalone() {
        return server;
    }

    public TestClock clock() {
        return clock;
    }

    /** The fake solver installed, or null when the server was built without one. */
    public FakeSolver solver() {
        return solver;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** A new client key with these points. */
    public String createKey(long points) {
        return server.accounts().createKey("test", points).key();
    }

    /** The key's available points, read through the API. */
    public long balance(String key) {
        JsonNode answer = client().call("getBalance", Map.of("clientKey", key));
        if (answer.path("errorId").asInt() != 0) {
            throw new AssertionError("getBalance failed: " + answer);
        }
        return answer.path("balance").asLong();
    }

    /** Moves the clock and runs the deadline and retention checks at once. */
    public void advance(Duration d) {
        clock.advance(d);
        server.housekeep();
    }

    /**
     * Stops this server (as a process stop would: tasks are lost) and starts a new one on the same data directory,
     * with the same settings and a fresh solver of the same kind.
     */
    public TestServer restart() throws Exception {
        server.close();
        return new TestServer(builder, dataDir, ownsDataDir);
    }

    /** Stops the server without deleting the data (for a restart from the outside). */
    public void stop() {
        server.close();
    }

    @Override
    public void close() {
        server.close();
        if (ownsDataDir) {
            deleteTree(dataDir);
        }
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Options of a test server. */
    public static final class Builder {
        private final Map<String, String> settings = new HashMap<>();
        private final List<Solver> extraSolvers = new java.util.ArrayList<>();
        private final List<Function<Standalone.SolverContext, SolverSet>> solverFactories = new java.util.ArrayList<>();
        private TestClock clock = TestClock.atNow();
        private FakeSolver solver = FakeSolver.forAllTypes();
        private Path dataDir;
        private HostResolver resolver;
        private dev.turnpike.server.metrics.PoolView poolView;

        /** Another resolver instead of {@link #fakeResolver()}; it must not ask DNS either. */
        public Builder resolver(HostResolver resolver) {
            this.resolver = resolver;
            return this;
        }

        /** A browser pool (or a double of one) for the operator's view: metrics, status page, readiness. */
        public Builder poolView(dev.turnpike.server.metrics.PoolView poolView) {
            this.poolView = poolView;
            return this;
        }

        /** A setting by its file key, e.g. {@code setting("queue.capacity", "5")}. */
        public Builder setting(String key, String value) {
            settings.put(key, value);
            return this;
        }

        public Builder solver(FakeSolver solver) {
            this.solver = solver;
            return this;
        }

        /** No solver at all: every type answers ERROR_TASK_NOT_SUPPORTED, as the product without browsers. */
        public Builder noSolver() {
            this.solver = null;
            return this;
        }

        /** Another solver besides (or instead of, with {@link #noSolver}) the fake one. */
        public Builder alsoSolver(Solver solver) {
            extraSolvers.add(solver);
            return this;
        }

        /**
         * A solver the server builds from its own settings, clock and address policy, as the product does (e.g.
         * {@code BrowserSolvers::start}); the server closes it.
         */
        public Builder solverFactory(Function<Standalone.SolverContext, SolverSet> factory) {
            solverFactories.add(factory);
            return this;
        }

        public Builder clock(TestClock clock) {
            this.clock = clock;
            return this;
        }

        /** Use this data directory (kept on close) instead of a fresh temporary one. */
        public Builder dataDir(Path dir) {
            this.dataDir = dir;
            return this;
        }

        public TestServer start() throws Exception {
            if (dataDir != null) {
                return new TestServer(this, dataDir, false);
            }
            Path dir = Files.createTempDirectory("turnpike-test");
            try {
                return new TestServer(this, dir, true);
            } catch (Exception | Error e) {
                deleteTree(dir); // a server that refused to start leaves no data directory behind
                throw e;
            }
        }
    }
}
