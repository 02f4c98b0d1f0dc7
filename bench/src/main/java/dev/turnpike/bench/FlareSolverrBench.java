package dev.turnpike.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.turnpike.server.browser.chromium.ProcessGroup;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * {@code bench/run flaresolverr V1_URL SERVER_PID PAGE_URL PROXY_URL [n] [concurrency]}: FlareSolverr's own request
 * loop against any {@code /v1} (FlareSolverr's or Turnpike's): {@code n} {@code request.get} of {@code PAGE_URL}
 * through {@code PROXY_URL} ({@code http://user:pass@host:port}, sent as FlareSolverr's {@code {url, username,
 * password}}) one after another, then {@code n} more {@code concurrency} at once; the time of each request, the
 * messages it got, and the peak PSS of the server's processes (the process, every descendant, and every process
 * sharing its {@code BENCH_TREE} environment variable: its browsers, drivers, helpers, detached or not) sampled
 * every 100 ms, divided by the requests in flight. Run it with the server and
 * the lab in one network namespace (BENCHMARKS.md). {@code -Dexpect=TEXT}: a request is ok only when its
 * {@code solution.response} contains TEXT. {@code -Dmetrics=URL} (a Turnpike server's {@code /metrics}, open): after
 * each phase, the mean seconds of each solve phase of its tasks ({@code turnpike_solve_phase_seconds}), so the time
 * of a request can be told apart. {@code -Dreference=API_URL -Dreference.key=KEY} (a Turnpike server's task API):
 * first the same page through the same proxy as {@code CloudFlare5STask}s, {@code createSyncTask} one after another,
 * the engine's own time for the page beside which {@code /v1}'s is read.
 */
final class FlareSolverrBench {

    private static final ObjectMapper JSON = new ObjectMapper();

    private FlareSolverrBench() {
    }

    static void run(String[] args) throws Exception {
        if (args.length < 5) {
            System.err.println("usage: bench/run flaresolverr V1_URL SERVER_PID PAGE_URL PROXY_URL [n] [concurrency]");
            System.exit(2);
        }
        URI v1 = URI.create(args[1]);
        long pid = Long.parseLong(args[2]);
        String page = args[3];
        URI proxy = URI.create(args[4]);
        int n = args.length > 5 ? Integer.parseInt(args[5]) : 10;
        int concurrency = args.length > 6 ? Integer.parseInt(args[6]) : 4;
        ObjectNode body = JSON.createObjectNode().put("cmd", "request.get").put("url", page).put("maxTimeout", 60000);
        ObjectNode p = body.putObject("proxy").put("url", proxy.getScheme() + "://" + proxy.getHost() + ":" + proxy.getPort());
        if (proxy.getUserInfo() != null) {
            String[] user = proxy.getUserInfo().split(":", 2);
            p.put("username", user[0]).put("password", user.length > 1 ? user[1] : "");
        }
        byte[] request = JSON.writeValueAsBytes(body);
        System.out.printf(Locale.ROOT, "# %s, server pid %d, %s through %s; load average %s%n", v1, pid, page,
                proxy.getHost() + ":" + proxy.getPort(), loadAverage());
        System.out.println("| phase | requests | ok | \"Challenge solved!\" | first s | median s | mean s | p90 s | wall s"
                + " | peak PSS of the server's tree | PSS per request in flight |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|");
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()) {
            String reference = System.getProperty("reference", "");
            if (!reference.isEmpty()) {
                ObjectNode task = JSON.createObjectNode().put("clientKey", System.getProperty("reference.key", ""));
                task.putObject("task").put("type", "CloudFlare5STask").put("websiteURL", page).put("proxy",
                        proxy.toString());
                phase("CloudFlare5STask, sequential", http, URI.create(reference.replaceAll("/+$", "")
                        + "/createSyncTask"), JSON.writeValueAsBytes(task), pid, n, 1);
            }
            phase("sequential", http, v1, request, pid, n, 1);
            phase(concurrency + " at once", http, v1, request, pid, n, concurrency);
        }
        System.out.printf(Locale.ROOT, "# load average after: %s%n", loadAverage());
    }

    private record Outcome(double seconds, boolean ok, boolean solved, String message) {
    }

    private static void phase(String name, HttpClient http, URI v1, byte[] request, long pid, int n, int concurrency)
            throws Exception {
        Map<String, double[]> phasesBefore = solvePhases();
        AtomicLong peak = new AtomicLong();
        AtomicLong ownAtPeak = new AtomicLong(); // the server's own process (a JVM, a Python) when the tree peaked
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        sampler.scheduleAtFixedRate(() -> {
            long own = ProcessGroup.pssOf(pid);
            long tree = treePss(pid);
            if (tree > peak.get()) {
                peak.set(tree);
                ownAtPeak.set(own);
            }
        }, 0, 100, TimeUnit.MILLISECONDS);
        List<Outcome> outcomes = new ArrayList<>();
        long start = System.nanoTime();
        try (ExecutorService pool = Executors.newFixedThreadPool(concurrency)) {
            List<Future<Outcome>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                futures.add(pool.submit(() -> once(http, v1, request)));
            }
            for (Future<Outcome> f : futures) {
                outcomes.add(f.get());
            }
        } finally {
            sampler.shutdownNow();
        }
        double wall = (System.nanoTime() - start) / 1e9;
        List<Double> times = outcomes.stream().map(Outcome::seconds).sorted().toList();
        long ok = outcomes.stream().filter(Outcome::ok).count();
        long solved = outcomes.stream().filter(Outcome::solved).count();
        double mean = times.stream().mapToDouble(Double::doubleValue).average().orElse(0);
        System.out.printf(Locale.ROOT, "| %s | %d | %d | %d | %.2f | %.2f | %.2f | %.2f | %.1f | %d MiB | %d MiB |%n",
                name, n, ok, solved, outcomes.get(0).seconds(), times.get(times.size() / 2), mean,
                times.get(Math.min(times.size() - 1, (int) Math.ceil(times.size() * 0.9) - 1)), wall, peak.get() >> 20,
                (peak.get() / concurrency) >> 20);
        outcomes.stream().filter(o -> !o.ok()).map(Outcome::message).distinct().limit(3)
                .forEach(m -> System.out.println("#   failed: " + m));
        System.out.printf(Locale.ROOT, "#   at the peak: the server's own process %d MiB, the rest of its tree (browsers,"
                + " drivers) %d MiB%n", ownAtPeak.get() >> 20, (peak.get() - ownAtPeak.get()) >> 20);
        if (!System.getProperty("metrics", "").isEmpty()) {
            StringBuilder line = new StringBuilder("#   mean s per solve phase:");
            solvePhases().forEach((key, after) -> {
                double[] before = phasesBefore.getOrDefault(key, new double[2]);
                double count = after[1] - before[1];
                if (count > 0 && after[0] - before[0] >= 0) {
                    line.append(String.format(Locale.ROOT, " %s %.3f (%d);", key, (after[0] - before[0]) / count,
                            (long) count));
                }
            });
            System.out.println(line);
        }
    }

    /**
     * The sum and count of each solve phase ({@code type/phase}) the server's {@code -Dmetrics} says so far; empty
     * without it.
     */
    private static Map<String, double[]> solvePhases() {
        String url = System.getProperty("metrics", "");
        Map<String, double[]> out = new java.util.TreeMap<>();
        if (url.isEmpty()) {
            return out;
        }
        String text;
        try (HttpClient http = HttpClient.newHttpClient()) {
            text = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException("the metrics at " + url + " could not be read: " + e, e);
        }
        java.util.regex.Pattern line = java.util.regex.Pattern.compile(
                "^turnpike_solve_phase_seconds_(sum|count)\\{(.*)} (\\S+)$", java.util.regex.Pattern.MULTILINE);
        java.util.regex.Matcher m = line.matcher(text);
        while (m.find()) {
            String type = label(m.group(2), "type");
            String phase = label(m.group(2), "phase");
            double[] sumCount = out.computeIfAbsent(type + "/" + phase, k -> new double[2]);
            sumCount[m.group(1).equals("sum") ? 0 : 1] = Double.parseDouble(m.group(3));
        }
        return out;
    }

    private static String label(String labels, String name) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(name + "=\"([^\"]*)\"").matcher(labels);
        return m.find() ? m.group(1) : "?";
    }

    private static Outcome once(HttpClient http, URI v1, byte[] request) throws InterruptedException {
        long t0 = System.nanoTime();
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(v1).timeout(Duration.ofSeconds(90))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(request))
                    .build(), HttpResponse.BodyHandlers.ofString());
            double s = (System.nanoTime() - t0) / 1e9;
            JsonNode a = JSON.readTree(r.body());
            String message = a.path("message").asText();
            // FlareSolverr says 200 whatever the page was: with -Dexpect, a request counts only when the page is there.
            String expect = System.getProperty("expect", "");
            boolean ok = "ok".equals(a.path("status").asText()) && a.path("solution").path("status").asInt() == 200
                    && a.path("solution").path("response").asText().contains(expect);
            if (a.has("errorId")) { // the task API's answer (-Dreference)
                ok = a.path("errorId").asInt() == 0 && "ready".equals(a.path("status").asText());
                message = ok ? "" : a.path("errorCode").asText() + " " + a.path("errorDescription").asText();
            }
            return new Outcome(s, ok, "Challenge solved!".equals(message), message);
        } catch (IOException e) {
            return new Outcome((System.nanoTime() - t0) / 1e9, false, false, e.toString());
        }
    }

    /**
     * PSS of the server's processes: {@code root} and its descendants, and every process carrying the same
     * {@code BENCH_TREE=<name>} in its environment as {@code root} (a browser started detached, as FlareSolverr's
     * undetected-chromedriver does, leaves the tree but keeps the environment). 0 for processes gone meanwhile.
     */
    static long treePss(long root) {
        String marker = benchTree(root);
        Map<Long, List<Long>> children = new HashMap<>();
        List<Long> marked = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            procs.map(d -> d.getFileName().toString()).filter(s -> s.chars().allMatch(Character::isDigit))
                    .map(Long::parseLong).forEach(pid -> {
                        long ppid = parent(pid);
                        if (ppid > 0) {
                            children.computeIfAbsent(ppid, k -> new ArrayList<>()).add(pid);
                        }
                        if (marker != null && marker.equals(benchTree(pid))) {
                            marked.add(pid);
                        }
                    });
        } catch (IOException e) {
            return 0;
        }
        long total = 0;
        Set<Long> seen = new HashSet<>();
        List<Long> todo = new ArrayList<>(marked);
        todo.add(root);
        while (!todo.isEmpty()) {
            long pid = todo.remove(todo.size() - 1);
            if (!seen.add(pid)) {
                continue;
            }
            total += ProcessGroup.pssOf(pid);
            todo.addAll(children.getOrDefault(pid, List.of()));
        }
        return total;
    }

    /** The value of {@code BENCH_TREE} in the process's environment, or null. */
    private static String benchTree(long pid) {
        try {
            for (String entry : new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "environ")),
                    java.nio.charset.StandardCharsets.UTF_8).split("\0")) {
                if (entry.startsWith("BENCH_TREE=")) {
                    return entry.substring("BENCH_TREE=".length());
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone, or not ours to read
        }
        return null;
    }

    private static long parent(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[1]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }


    private static String loadAverage() {
        try {
            return String.join(" ", List.of(Files.readString(Path.of("/proc/loadavg")).split(" ")).subList(0, 3));
        } catch (IOException e) {
            return "?";
        }
    }
}
