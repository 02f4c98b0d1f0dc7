package dev.turnpike.bench;

import dev.turnpike.server.config.Config;
import dev.turnpike.server.role.Standalone;
import dev.turnpike.server.solver.Solver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The product a benchmark measures: a {@link Standalone} (embedded store) on an ephemeral loopback port with a
 * throwaway data directory, the benchmark's solvers and a resolver that never asks DNS ({@code *.example} is a
 * documentation address; names the settings allow, such as the lab's, are not looked up).
 */
final class BenchServer implements AutoCloseable {

    private static final List<InetAddress> DOCUMENTATION_ADDRESS = List.of(address(203, 0, 113, 10));

    private final Standalone server;
    private final Path dataDir;
    /**
     * One client for every call, as a real client keeps one: a client per call (as before 2026-12-07) started an
     * HTTP client, its selector thread and a connection per task, and the benchmark's JVM column charged that to the
     * server.
     */
    private final BenchApi api;

    private BenchServer(Standalone server, Path dataDir) {
        this.server = server;
        this.dataDir = dataDir;
        this.api = new BenchApi(server.address());
    }

    /** A server with these settings (file keys, e.g. {@code workers}) over the defaults, solving with these solvers. */
    static BenchServer start(Map<String, String> settings, Clock clock, Solver... solvers) throws Exception {
        Path dataDir = Files.createTempDirectory("turnpike-bench");
        Map<String, String> all = new HashMap<>(Map.of("http.host", "127.0.0.1", "http.port", "0",
                "data.dir", dataDir.toString(), "store.autoServer", "false"));
        all.putAll(settings);
        Standalone.Builder builder = Standalone.builder(Config.of(all)).clock(clock).resolver(BenchServer::resolve);
        for (Solver solver : solvers) {
            builder.solver(solver);
        }
        try {
            return new BenchServer(builder.start(), dataDir);
        } catch (Exception | Error e) {
            deleteTree(dataDir);
            throw e;
        }
    }

    private static List<InetAddress> resolve(String host) throws UnknownHostException {
        if (host.equals("example") || host.endsWith(".example")) {
            return DOCUMENTATION_ADDRESS;
        }
        throw new UnknownHostException(host);
    }

    URI baseUrl() {
        return server.address();
    }

    BenchApi api() {
        return api;
    }

    Standalone standalone() {
        return server;
    }

    /** A new client key holding these points. */
    String createKey(long points) {
        return server.accounts().createKey("bench", points).key();
    }

    @Override
    public void close() {
        api.close();
        server.close();
        deleteTree(dataDir);
    }

    private static InetAddress address(int... octets) {
        try {
            return InetAddress.getByAddress(new byte[] {(byte) octets[0], (byte) octets[1], (byte) octets[2],
                    (byte) octets[3]});
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
