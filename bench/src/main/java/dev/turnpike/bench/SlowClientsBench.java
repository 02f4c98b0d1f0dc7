package dev.turnpike.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.turnpike.server.task.TaskId;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code bench/run slowclients [tricklers] [seconds]}: getTaskResult latency on an idle server, then with
 * {@code tricklers} connections (default 1000) each sending a request head one byte a second and reconnecting
 * whenever the server cuts it off, as an attacker holding connections would. The server runs on its default
 * {@code http.headTimeout}/{@code http.bodyTimeout} (10 s). The goal: p99 with tricklers within 2x of idle.
 */
final class SlowClientsBench {

    private SlowClientsBench() {
    }

    static void run(int tricklers, int seconds) throws Exception {
        try (BenchServer server = BenchServer.start(Map.of("queue.capacity", "100000"), Clock.systemUTC(),
                new InstantSolver())) {
            String key = server.createKey(1_000_000_000L);
            List<byte[]> results = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                JsonNode r = server.api().call("createTask", Map.of("clientKey", key, "task", Map.of("type",
                        "TurnstileTaskProxyless", "websiteURL", "https://site.example/", "websiteKey", "0x4AAAAAAAB")));
                String id = r.get("taskId").textValue();
                server.standalone().tasks().find(new TaskId(Long.parseLong(id))).ended().get(30, TimeUnit.SECONDS);
                results.add(LoadDriver.post("/getTaskResult", "{\"clientKey\":\"" + key + "\",\"taskId\":\"" + id + "\"}"));
            }
            InetSocketAddress target = new InetSocketAddress("127.0.0.1", server.baseUrl().getPort());
            LoadDriver driver = new LoadDriver(target, 8, Duration.ofSeconds(3), Duration.ofSeconds(seconds));
            LoadDriver.Result idle = driver.run("getTaskResult, idle server", n -> results.get(Math.floorMod(n, results.size())), true);

            Tricklers crowd = new Tricklers(target, tricklers);
            crowd.start();
            crowd.awaitOpen(Duration.ofSeconds(60));
            LoadDriver.Result busy = driver.run("getTaskResult, " + tricklers + " trickling connections",
                    n -> results.get(Math.floorMod(n, results.size())), true);
            int openAtEnd = crowd.open.get();
            crowd.stop();

            System.out.printf(Locale.ROOT, "%n8 closed-loop connections, %d s measured after 3 s warm-up, %d cores, Java %s%n%n",
                    seconds, Runtime.getRuntime().availableProcessors(), Runtime.version());
            System.out.println("| run | requests/s | p50 ms | p99 ms | max ms | errors |");
            System.out.println("|---|---:|---:|---:|---:|---:|");
            for (LoadDriver.Result r : List.of(idle, busy)) {
                System.out.printf(Locale.ROOT, "| %s | %.0f | %.2f | %.2f | %.1f | %d |%n", r.name(), r.throughput(),
                        r.p50Micros() / 1000.0, r.p99Micros() / 1000.0, r.maxMicros() / 1000.0, r.errors());
            }
            System.out.printf(Locale.ROOT, "%np99 ratio (tricklers / idle): %.2f (goal <= 2)%n",
                    (double) busy.p99Micros() / Math.max(1, idle.p99Micros()));
            System.out.printf(Locale.ROOT, "tricklers: %d open at the end, %d connections cut off by the server, longest"
                    + " held %.1f s, %d connect failures%n", openAtEnd, crowd.cutOff.get(),
                    crowd.longestHeldMillis.get() / 1000.0, crowd.connectFailures.get());
        }
    }

    /** Connections that each send a request head one byte a second, reconnecting when cut off. */
    private static final class Tricklers {
        private static final byte[] HEAD = ("POST /getTaskResult HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: "
                + "s".repeat(4000) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);

        private final InetSocketAddress target;
        private final int count;
        private final AtomicBoolean stop = new AtomicBoolean();
        final AtomicInteger open = new AtomicInteger();
        final AtomicInteger cutOff = new AtomicInteger();
        final AtomicInteger connectFailures = new AtomicInteger();
        final AtomicLong longestHeldMillis = new AtomicLong();
        private final List<Thread> threads = new ArrayList<>();

        Tricklers(InetSocketAddress target, int count) {
            this.target = target;
            this.count = count;
        }

        void start() {
            for (int i = 0; i < count; i++) {
                threads.add(Thread.ofVirtual().name("trickler-" + i).start(this::trickle));
            }
        }

        void awaitOpen(Duration within) throws InterruptedException {
            long until = System.nanoTime() + within.toNanos();
            while (open.get() < count && System.nanoTime() < until) {
                Thread.sleep(100);
            }
            System.err.println(open.get() + " trickling connections open");
        }

        void stop() throws InterruptedException {
            stop.set(true);
            for (Thread t : threads) {
                t.interrupt();
                t.join(5_000);
            }
        }

        private void trickle() {
            while (!stop.get()) {
                long opened = System.nanoTime();
                try (Socket socket = new Socket()) {
                    socket.connect(target, 10_000);
                    open.incrementAndGet();
                    try {
                        OutputStream out = socket.getOutputStream();
                        for (int i = 0; i < HEAD.length && !stop.get(); i++) {
                            out.write(HEAD[i]);
                            out.flush();
                            Thread.sleep(1_000);
                        }
                    } finally {
                        open.decrementAndGet();
                    }
                } catch (IOException e) {
                    if (stop.get()) {
                        return;
                    }
                    long held = (System.nanoTime() - opened) / 1_000_000;
                    if (held > 500) {
                        cutOff.incrementAndGet();
                        longestHeldMillis.accumulateAndGet(held, Math::max);
                    } else {
                        connectFailures.incrementAndGet();
                    }
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }
}
