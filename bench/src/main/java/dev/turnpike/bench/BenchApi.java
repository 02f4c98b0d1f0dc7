package dev.turnpike.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The protocol's methods as bare JSON POSTs, timed from the outside. Not the Java client: a benchmark measures the
 * server at its own poll interval, with no client retries in the figures, and calls createSyncTask, which the
 * client does not offer.
 */
final class BenchApi implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The platform threads of every BenchApi's HTTP client (its executor's and its selector), with the CPU time each
     * had when last read: the benchmark's own cost, which {@link SolveCost} shows apart from the server's (a real
     * client runs in a process of its own). What the client does on its callers' virtual threads is not in it.
     */
    private static final Map<Thread, Long> CLIENT_THREADS = new ConcurrentHashMap<>();
    private static final AtomicInteger CLIENT_THREAD_NUMBER = new AtomicInteger();

    private final URI base;
    private final ExecutorService executor = Executors.newFixedThreadPool(4, task -> {
        Thread thread = Thread.ofPlatform().daemon().name("bench-client-" + CLIENT_THREAD_NUMBER.incrementAndGet())
                .unstarted(task);
        CLIENT_THREADS.put(thread, 0L);
        return thread;
    });
    private final HttpClient http;

    BenchApi(URI base) {
        this.base = base;
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        // The client starts its selector thread as it is built; it is the one new thread of that name.
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).executor(executor).build();
        Thread.getAllStackTraces().keySet().stream()
                .filter(t -> !before.contains(t) && t.getName().endsWith("-SelectorManager"))
                .forEach(t -> CLIENT_THREADS.put(t, 0L));
    }

    /** CPU seconds of every BenchApi's client threads so far (a thread that ended keeps its last reading). */
    static double clientCpuSeconds() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long nanos = 0;
        for (Thread thread : CLIENT_THREADS.keySet()) {
            // -1 once the thread has ended: it keeps its last reading.
            nanos += CLIENT_THREADS.merge(thread, threads.getThreadCpuTime(thread.threadId()), Math::max);
        }
        return nanos / 1e9;
    }

    /** POSTs {@code body} (a map, or JSON text as it is) to {@code /method}; the answer's JSON, whatever its status. */
    JsonNode call(String method, Object body) {
        try {
            String text = body instanceof String s ? s : JSON.writeValueAsString(body);
            HttpRequest request = HttpRequest.newBuilder(base.resolve("/" + method)).timeout(Duration.ofSeconds(150))
                    .POST(HttpRequest.BodyPublishers.ofString(text)).build();
            return JSON.readTree(http.send(request, HttpResponse.BodyHandlers.ofString()).body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Its connections and threads go. */
    @Override
    public void close() {
        http.shutdownNow();
        executor.shutdownNow();
    }
}
