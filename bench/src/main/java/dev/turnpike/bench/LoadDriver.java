package dev.turnpike.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntFunction;

/**
 * A closed-loop HTTP/1.1 load driver: {@code connections} keep-alive sockets on loopback, each on its own virtual
 * thread sending the next request as soon as the previous answer is read, for a fixed time after a warm-up.
 * Records every latency; counts answers that are not HTTP 200 or not {@code "errorId":0} as errors.
 */
final class LoadDriver {

    /** What one run measured. */
    record Result(String name, long requests, long errors, double seconds, long p50Micros, long p99Micros, long maxMicros) {
        double throughput() {
            return requests / seconds;
        }
    }

    static final Duration PROGRESS_EVERY = Duration.ofSeconds(3);

    private final InetSocketAddress target;
    private final int connections;
    private final Duration warmup;
    private final Duration measure;

    LoadDriver(InetSocketAddress target, int connections, Duration warmup, Duration measure) {
        if (!target.getAddress().isLoopbackAddress()) {
            throw new IllegalArgumentException("the load driver only targets loopback");
        }
        this.target = target;
        this.connections = connections;
        this.warmup = warmup;
        this.measure = measure;
    }

    /**
     * @param request the raw request bytes for the n-th request of a connection (called with a running counter)
     * @param checkOk whether to require {@code "errorId":0} in the body
     */
    Result run(String name, IntFunction<byte[]> request, boolean checkOk) throws Exception {
        AtomicBoolean measuring = new AtomicBoolean(false);
        Progress progress = new Progress(name, 0, measure, System::nanoTime, System.err);
        AtomicBoolean stop = new AtomicBoolean(false);
        List<long[]> latencies = new ArrayList<>();
        long[] counts = new long[connections * 2];
        CountDownLatch done = new CountDownLatch(connections);
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            int index = c;
            long[] mine = new long[4_000_000 / connections];
            latencies.add(mine);
            threads.add(Thread.ofVirtual().start(() -> {
                try (Socket socket = new Socket()) {
                    socket.setTcpNoDelay(true);
                    socket.connect(target, 5_000);
                    socket.setSoTimeout(30_000);
                    OutputStream out = socket.getOutputStream();
                    InputStream in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
                    int n = 0;
                    int recorded = 0;
                    while (!stop.get()) {
                        byte[] bytes = request.apply(index * 1_000_000 + n++);
                        long start = System.nanoTime();
                        out.write(bytes);
                        out.flush();
                        boolean ok = readResponse(in, checkOk);
                        long micros = (System.nanoTime() - start) / 1_000;
                        if (measuring.get()) {
                            if (recorded < mine.length) {
                                mine[recorded++] = micros;
                            }
                            counts[index * 2]++;
                            progress.add(1);
                            if (!ok) {
                                counts[index * 2 + 1]++;
                            }
                        }
                    }
                    mine[mine.length - 1] = -recorded - 1; // remember how many were recorded
                } catch (IOException e) {
                    System.err.println("connection " + index + ": " + e);
                } finally {
                    done.countDown();
                }
            }));
        }
        Thread.sleep(warmup.toMillis());
        measuring.set(true);
        long start = System.nanoTime();
        try (progress) {
            progress.printEvery(PROGRESS_EVERY);
            Thread.sleep(measure.toMillis());
            measuring.set(false);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        stop.set(true);
        done.await();
        long requests = 0;
        long errors = 0;
        for (int c = 0; c < connections; c++) {
            requests += counts[c * 2];
            errors += counts[c * 2 + 1];
        }
        long[] all = merge(latencies);
        Arrays.sort(all);
        return new Result(name, requests, errors, seconds, percentile(all, 0.50), percentile(all, 0.99),
                all.length == 0 ? 0 : all[all.length - 1]);
    }

    private static long[] merge(List<long[]> latencies) {
        int total = 0;
        for (long[] l : latencies) {
            total += (int) (-l[l.length - 1] - 1);
        }
        long[] all = new long[total];
        int at = 0;
        for (long[] l : latencies) {
            int n = (int) (-l[l.length - 1] - 1);
            System.arraycopy(l, 0, all, at, n);
            at += n;
        }
        return all;
    }

    private static long percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }

    /** Reads one response with a Content-Length body. @return whether it was a success */
    private static boolean readResponse(InputStream in, boolean checkOk) throws IOException {
        StringBuilder head = new StringBuilder(256);
        int b;
        while ((b = in.read()) != -1) {
            head.append((char) b);
            int len = head.length();
            if (len >= 4 && head.charAt(len - 1) == '\n' && head.charAt(len - 2) == '\r'
                    && head.charAt(len - 3) == '\n' && head.charAt(len - 4) == '\r') {
                break;
            }
        }
        if (b == -1) {
            throw new IOException("connection closed");
        }
        String headers = head.toString();
        int lengthAt = headers.toLowerCase().indexOf("content-length:");
        if (lengthAt < 0) {
            throw new IOException("no Content-Length in " + headers);
        }
        int lineEnd = headers.indexOf('\r', lengthAt);
        int length = Integer.parseInt(headers.substring(lengthAt + 15, lineEnd).trim());
        byte[] body = in.readNBytes(length);
        boolean ok = headers.startsWith("HTTP/1.1 200");
        if (checkOk) {
            ok &= new String(body, StandardCharsets.UTF_8).contains("\"errorId\":0");
        }
        return ok;
    }

    static byte[] post(String path, String json) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        byte[] head = ("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: "
                + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] all = Arrays.copyOf(head, head.length + body.length);
        System.arraycopy(body, 0, all, head.length, body.length);
        return all;
    }

    static byte[] get(String path) {
        return ("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }
}
