package dev.turnpike.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@code bench/run density [rounds]}: the product as a user runs it ({@code java -jar server/target/turnpike.jar serve},
 * its own JVM, embedded defaults), for issue #25:
 * <ol>
 *   <li>start: JVM start to "listening" and to {@code /health/ready}, without and with the embedded lab;</li>
 *   <li>an elastic pool over time: PSS of the whole process tree idle (no browser), a warm task's time against the
 *       first task's after the idle browsers retired, a burst of as many tasks as slots after idle against the same
 *       burst warm;</li>
 *   <li>full load: every slot busy for a while, the PSS of the tree divided by the tasks running;</li>
 *   <li>idle ({@code -Dparts=load,idle}): the tree's PSS after the pool retired its browsers, so the JVM as the load
 *       left it.</li>
 * </ol>
 * Tasks are TurnstileTaskProxyless on the embedded lab's demo widget, sent with createSyncTask. Idle is shortened
 * with {@code --browser-idle-after} so rounds take seconds, not minutes; housekeeping still runs every 30 s.
 */
final class DensityBench {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern LISTENING = Pattern.compile("Turnpike is listening on (\\S+)");
    private static final Path JAR = Path.of("server/target/turnpike.jar");
    private static final String IDLE_AFTER = "5s";

    private DensityBench() {
    }

    static void run(int rounds) throws Exception {
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException(JAR + " is missing: bench/run builds it (mvn -pl server package)");
        }
        System.out.printf(Locale.ROOT, "%d cores, load average %s, Java %s (bench), the server on %s;"
                        + " serve.jvm='%s' serve.args='%s'%n%n", Runtime.getRuntime().availableProcessors(),
                ChallengeBench.loadAverage(), Runtime.version(), javaBin(), System.getProperty("serve.jvm", ""),
                System.getProperty("serve.args", ""));
        List<String> parts = List.of(System.getProperty("parts", "start,elastic,load").split(","));
        if (parts.contains("start")) {
            startTimes(rounds);
        }
        // The lab in a process of its own, so its memory and CPU are not counted as the server's.
        try (LabProcess lab = LabProcess.start();
             Served served = Served.start(List.of("--lab", lab.admin, "--browser-idle-after", IDLE_AFTER))) {
            String key = served.createKey();
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            Tasks tasks = new Tasks(http, served.api, key);
            tasks.solve(); // an elastic pool starts its first browser for the first task, which warms its renderer
            served.awaitBrowsers(1, Duration.ofSeconds(60));
            JsonNode browsers = served.readiness().path("browsers");
            // The pool's capacity: one browser's slots, times the browsers it has and may start.
            int burst = browsers.path("idleSlots").asInt() * (1 + browsers.path("startable").asInt());
            if (parts.contains("elastic")) {
                elastic(served, tasks, rounds, burst);
            }
            if (parts.contains("load")) {
                fullLoad(served, tasks, lab, burst);
            }
            if (parts.contains("idle")) {
                idleAfter(served);
            }
        }
        System.out.println("\nload average after: " + ChallengeBench.loadAverage());
    }

    private static void elastic(Served served, Tasks tasks, int rounds, int burst) throws Exception {
        List<Double> warm = new ArrayList<>();
        List<Double> afterIdle = new ArrayList<>();
        List<Double> idlePss = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            for (int i = 0; i < 3; i++) {
                warm.add(tasks.solve());
            }
            served.awaitBrowsers(0, Duration.ofSeconds(90));
            Thread.sleep(2000); // the retired browser's processes are reaped
            idlePss.add(served.pssMiB());
            afterIdle.add(tasks.solve());
        }
        System.out.println("| elastic pool (default settings, idle after " + IDLE_AFTER + ") | median | each |");
        System.out.println("|---|---:|---|");
        row("PSS idle, server and browsers, MiB", idlePss, "%.0f");
        row("a task, warm browser, s", warm, "%.2f");
        row("the first task after idle (a browser launched for it), s", afterIdle, "%.2f");

        // Bursts: as many tasks as the pool has slots at its largest, after idle and then warm.
        served.awaitBrowsers(0, Duration.ofSeconds(90));
        double burstAfterIdle = tasks.burst(burst);
        double burstWarm = tasks.burst(burst);
        System.out.printf(Locale.ROOT, "%nburst of %d at once: after idle %.2f s, warm %.2f s (wall, first create to"
                + " last ready)%n", burst, burstAfterIdle, burstWarm);

    }

    /**
     * The tree's PSS once the pool has retired every browser, after whatever ran before: with {@code load} first, what
     * the JVM keeps of the heap and code it grew under load (the elastic part's idle figure follows three tasks only).
     */
    private static void idleAfter(Served served) throws Exception {
        served.awaitBrowsers(0, Duration.ofSeconds(90));
        Thread.sleep(2000); // the retired browser's processes are reaped
        java.util.Map<String, Double> pss = ProcessTree.pssMiBByKind(served.process);
        System.out.printf(Locale.ROOT, "IDLE jvm='%s' | PSS idle %.0f MiB, of which the JVM %.0f | load %s%n",
                System.getProperty("serve.jvm", ""), served.pssMiB(), pss.getOrDefault("jvm", 0.0),
                ChallengeBench.loadAverage());
    }

    private static void fullLoad(Served served, Tasks tasks, LabProcess lab, int burst) throws Exception {
        tasks.steady(burst, burst); // every slot used once: both browsers up, their renderers warm
        int total = Integer.getInteger("load.tasks", burst * 12);
        // A client per slot, each sending its next task as soon as one ends. Four times a second, the PSS of the tree
        // by kind and the tasks in flight at that moment (sent, not yet answered): each sample's PSS is divided by its
        // own count, so a sample taken while a client was between two tasks is not charged to fewer solves. Samples
        // of the first and last second are dropped (the load is rising or draining). CPU over the whole phase.
        AtomicBoolean running = new AtomicBoolean(true);
        List<Sample> samples = Collections.synchronizedList(new ArrayList<>());
        java.util.Map<String, Double> cpuBefore = ProcessTree.cpuSecondsByKind(served.process);
        double labCpuBefore = lab.cpuSeconds();
        long phaseStart = System.nanoTime();
        CompletableFuture<Void> sampler = CompletableFuture.runAsync(() -> {
            while (running.get()) {
                try {
                    Thread.sleep(250);
                    int before = tasks.inFlight.get();
                    java.util.Map<String, Double> pss = ProcessTree.pssMiBByKind(served.process);
                    int after = tasks.inFlight.get();
                    samples.add(new Sample((System.nanoTime() - phaseStart) / 1e9, Math.min(before, after), pss));
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        List<Double> loaded = tasks.steady(burst, total);
        double phase = (System.nanoTime() - phaseStart) / 1e9;
        java.util.Map<String, Double> cpuAfter = ProcessTree.cpuSecondsByKind(served.process);
        double labCpu = lab.cpuSeconds() - labCpuBefore;
        running.set(false);
        sampler.join();
        List<Sample> full = samples.stream().filter(x -> x.at > 1 && x.at < phase - 1 && x.inFlight > 0).toList();
        List<Double> perSolve = full.stream().map(Sample::perSolve).toList();
        List<Double> totals = full.stream().map(Sample::total).toList();
        double inFlight = Median.of(full.stream().map(x -> (double) x.inFlight).toList());
        double cpuTotal = 0;
        for (String kind : ProcessTree.KINDS) {
            cpuTotal += cpuAfter.getOrDefault(kind, 0.0) - cpuBefore.getOrDefault(kind, 0.0);
        }
        System.out.printf(Locale.ROOT, "%nfull load: %d clients, %d tasks, p50 %.2f s; %d samples, median %.0f in"
                        + " flight, PSS median %.0f MiB; **PSS per running solve: median %.1f MiB** (p10 %.1f, p90 %.1f);"
                        + " CPU per solve %.3f s%n%n", burst, loaded.size(), Median.of(loaded), full.size(), inFlight,
                Median.of(totals), Median.of(perSolve), percentile(perSolve, 10), percentile(perSolve, 90),
                cpuTotal / loaded.size());
        System.out.println("| process kind | processes (median) | PSS MiB at full load (median) | per running solve"
                + " | CPU s per solve |");
        System.out.println("|---|---:|---:|---:|---:|");
        for (String kind : ProcessTree.KINDS) {
            double pss = Median.of(full.stream().map(x -> x.pss.getOrDefault(kind, 0.0)).toList());
            double per = Median.of(full.stream().map(x -> x.pss.getOrDefault(kind, 0.0) / x.inFlight).toList());
            double cpu = cpuAfter.getOrDefault(kind, 0.0) - cpuBefore.getOrDefault(kind, 0.0);
            double count = Median.of(full.stream().map(x -> x.pss.getOrDefault("#" + kind, 0.0)).toList());
            System.out.printf(Locale.ROOT, "| %s | %.0f | %.0f | %.1f | %.3f |%n", kind, count, pss, per,
                    cpu / loaded.size());
        }
        System.out.printf(Locale.ROOT, "(the lab, its own process: CPU s per solve %.3f)%n", labCpu / loaded.size());
        // One line per run, for tables of settings.
        System.out.printf(Locale.ROOT, "RESULT jvm='%s' args='%s' chromium='%s' | per-solve %.1f (p10 %.1f p90 %.1f)"
                        + " | total %.0f | in-flight %.0f | samples %d | cpu/solve %.3f | p50 %.2f s | failed %d | load %s%n",
                System.getProperty("serve.jvm", ""), System.getProperty("serve.args", ""),
                System.getProperty("serve.chromium", ""), Median.of(perSolve), percentile(perSolve, 10),
                percentile(perSolve, 90), Median.of(totals), inFlight, full.size(), cpuTotal / loaded.size(),
                Median.of(loaded), tasks.failures.get(), ChallengeBench.loadAverage());
    }

    /** One look at the tree under load: its PSS by kind (and "#kind": how many processes) and the tasks in flight. */
    private record Sample(double at, int inFlight, java.util.Map<String, Double> pss) {
        double total() {
            return pss.entrySet().stream().filter(e -> !e.getKey().startsWith("#"))
                    .mapToDouble(java.util.Map.Entry::getValue).sum();
        }

        double perSolve() {
            return total() / inFlight;
        }
    }

    /** The nearest-rank percentile; NaN for none. */
    private static double percentile(List<Double> values, int p) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(Math.max(0, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }

    /**
     * {@code bin/turnpike serve} to "listening" and to ready, {@code rounds} times: a first start on a new data
     * directory with no class data archive, a first start on another new directory after the training run
     * {@code bin/turnpike} makes after a build ({@code train_serve_archive}), and restarts on that directory.
     */
    private static void startTimes(int rounds) throws Exception {
        System.out.println("| bin/turnpike serve, process start to … | listening, s (median) | ready, s (median) |"
                + " each ready | JVM CPU s at ready (median) |");
        System.out.println("|---|---:|---:|---|---:|");
        Starts untrained = new Starts();
        Starts afterBuild = new Starts();
        Starts restarts = new Starts();
        for (int i = 0; i < rounds; i++) {
            Files.deleteIfExists(ARCHIVE);
            Path data = Files.createTempDirectory("turnpike-bench-density-");
            try {
                untrained.add(data);
                delete(data);
                Files.deleteIfExists(ARCHIVE);
                trainAsAfterABuild();
                Files.createDirectories(data);
                afterBuild.add(data);
                for (int restart = 0; restart < 2; restart++) {
                    restarts.add(data);
                }
            } finally {
                delete(data);
            }
        }
        untrained.print("first start, new data directory, no class data archive");
        afterBuild.print("first start after a build, new data directory (the archive of bin/turnpike's training run)");
        restarts.print("restart, same data directory");
        System.out.println();
    }

    private static final Path ARCHIVE = Path.of("server/target/turnpike-serve.jsa");

    /** What bin/turnpike does after it builds the jar: a serve that writes the class data archive and stops. */
    private static void trainAsAfterABuild() throws Exception {
        ProcessBuilder builder = new ProcessBuilder("bash", "-c", "source bin/lib/common.sh && pick_jdk"
                + " && mapfile -t footprint < <(footprint_jvm_options \"$JAVA_MAJOR\")"
                + " && train_serve_archive server/target/turnpike.jar \"${footprint[@]}\" $TURNPIKE_JAVA_OPTS")
                .redirectErrorStream(true);
        builder.environment().put("TURNPIKE_JAVA_OPTS", System.getProperty("serve.jvm", ""));
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process train = builder.start();
        train.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
        if (train.waitFor() != 0 || !Files.exists(ARCHIVE)) {
            throw new IllegalStateException("the training run wrote no class data archive");
        }
    }

    /** Start times of one kind. */
    private static final class Starts {
        final List<Double> listening = new ArrayList<>();
        final List<Double> ready = new ArrayList<>();
        final List<Double> cpu = new ArrayList<>();

        void add(Path data) throws Exception {
            try (Served served = Served.start(List.of(), data)) {
                listening.add(served.listeningSeconds);
                ready.add(served.readySeconds);
                cpu.add(served.cpuAtReady);
            }
        }

        void print(String what) {
            System.out.printf(Locale.ROOT, "| %s | %.2f | %.2f | %s | %.2f |%n", what, Median.of(listening),
                    Median.of(ready), each(ready, "%.2f"), Median.of(cpu));
        }
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private static void row(String what, List<Double> values, String format) {
        System.out.printf(Locale.ROOT, "| %s | " + format + " | %s |%n", what, Median.of(values), each(values, format));
    }

    private static String each(List<Double> values, String format) {
        return String.join(", ", values.stream().map(v -> String.format(Locale.ROOT, format, v)).toList());
    }


    /**
     * Options of a run: -Dserve.jvm='-Xmx256m' (as TURNPIKE_JAVA_OPTS), -Dserve.args='--browser-count 1',
     * -Dserve.chromium='--in-process-gpu --js-flags=--lite-mode' (as TURNPIKE_BROWSER_EXTRA_ARGS).
     */
    private static List<String> words(String line) {
        return line.isBlank() ? List.of() : List.of(line.strip().split("\\s+"));
    }

    private static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /**
     * Reads a process's output until a line matches {@code pattern}, then drains the rest on a thread of its own (so
     * the process never blocks on a full pipe); the match's first group.
     */
    private static String awaitLine(Process process, Pattern pattern, String otherwise)
            throws IOException, InterruptedException {
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        ArrayDeque<String> last = new ArrayDeque<>(); // said when the line never comes
        for (String line; (line = out.readLine()) != null; ) {
            last.addLast(line);
            if (last.size() > 20) {
                last.removeFirst();
            }
            Matcher m = pattern.matcher(line);
            if (m.find()) {
                Thread.ofVirtual().start(() -> {
                    try {
                        out.transferTo(java.io.Writer.nullWriter());
                    } catch (IOException e) {
                        // the process ended
                    }
                });
                return m.group(1);
            }
        }
        throw new IllegalStateException(otherwise + ": exit " + process.waitFor() + "; its last lines:\n"
                + String.join("\n", last));
    }

    /** {@code turnpike lab} in a JVM of its own; its admin URL from its banner. */
    private static final class LabProcess implements AutoCloseable {
        private static final Pattern ADMIN = Pattern.compile("admin API on (http://127\\.0\\.0\\.1:\\d+)");
        final Process process;
        final String admin;

        private LabProcess(Process process, String admin) {
            this.process = process;
            this.admin = admin;
        }

        static LabProcess start() throws Exception {
            Process process = new ProcessBuilder(javaBin(), "-jar", JAR.toString(), "lab").redirectErrorStream(true).start();
            return new LabProcess(process, awaitLine(process, ADMIN, "the lab ended before its banner"));
        }

        /** CPU seconds the lab used so far. */
        double cpuSeconds() {
            return ProcessTree.cpuSeconds(process.pid(), false);
        }

        @Override
        public void close() throws Exception {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    /** Turnstile tasks on the lab's demo widget, through createSyncTask. */
    private record Tasks(HttpClient http, URI api, String key, java.util.concurrent.atomic.AtomicInteger inFlight,
                         java.util.concurrent.atomic.AtomicInteger failures) {

        Tasks(HttpClient http, URI api, String key) {
            this(http, api, key, new java.util.concurrent.atomic.AtomicInteger(),
                    new java.util.concurrent.atomic.AtomicInteger());
        }

        /** One task; its time in seconds. */
        double solve() throws Exception {
            long start = System.nanoTime();
            String body = "{\"clientKey\":\"" + key + "\",\"task\":{\"type\":\"TurnstileTaskProxyless\","
                    + "\"websiteURL\":\"https://demo.lab.test/\",\"websiteKey\":\"0x4AAAAAAAlabDemoSitekey\"}}";
            HttpResponse<String> response;
            inFlight.incrementAndGet();
            try {
                response = http.send(HttpRequest.newBuilder(api.resolve("/createSyncTask"))
                        .timeout(Duration.ofSeconds(150)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                        HttpResponse.BodyHandlers.ofString());
            } finally {
                inFlight.decrementAndGet();
            }
            JsonNode answer = JSON.readTree(response.body());
            if (answer.path("errorId").asInt() != 0 || !"ready".equals(answer.path("status").asText())) {
                throw new IllegalStateException("a task failed: " + response.body());
            }
            return (System.nanoTime() - start) / 1e9;
        }

        /** {@code size} tasks at once; the wall time until the last is ready. */
        double burst(int size) throws Exception {
            long start = System.nanoTime();
            steady(size, size);
            return (System.nanoTime() - start) / 1e9;
        }

        /** {@code total} tasks, {@code concurrency} at a time; each one's time. */
        List<Double> steady(int concurrency, int total) throws Exception {
            List<Double> times = Collections.synchronizedList(new ArrayList<>());
            java.util.concurrent.atomic.AtomicInteger left = new java.util.concurrent.atomic.AtomicInteger(total);
            try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
                List<java.util.concurrent.Future<?>> loops = new ArrayList<>();
                for (int i = 0; i < concurrency; i++) {
                    loops.add(clients.submit(() -> {
                        while (left.getAndDecrement() > 0) {
                            try {
                                times.add(solve());
                            } catch (IllegalStateException | IOException e) {
                                // Counted, not fatal: on a machine loaded by others a task may time out, and the
                                // memory a run measures does not depend on every task's success.
                                failures.incrementAndGet();
                                System.err.println("a task failed: " + e.getMessage());
                            }
                        }
                        return null;
                    }));
                }
                for (java.util.concurrent.Future<?> loop : loops) {
                    loop.get(10, TimeUnit.MINUTES);
                }
            }
            return times;
        }
    }

    /** {@code java -jar turnpike.jar serve} on a fresh data directory and a free port, until closed. */
    private static final class Served implements AutoCloseable {
        final Process process;
        final Path data;
        final URI api;
        final double listeningSeconds;
        final double readySeconds;
        /** CPU seconds of the server's JVM (not its browsers) when it was ready: what start costs, whatever the load. */
        final double cpuAtReady;
        private final HttpClient http = HttpClient.newHttpClient();

        private Served(Process process, Path data, URI api, double listening, double ready, double cpuAtReady) {
            this.process = process;
            this.data = data;
            this.api = api;
            this.listeningSeconds = listening;
            this.readySeconds = ready;
            this.cpuAtReady = cpuAtReady;
        }

        static Served start(List<String> args) throws Exception {
            return start(args, null);
        }

        /**
         * {@code bin/turnpike serve}, as a user starts it (its JVM options: class data sharing), on {@code data} (kept at
         * close) or on a fresh data directory (deleted at close).
         */
        static Served start(List<String> args, Path keptData) throws Exception {
            Path data = keptData != null ? keptData : Files.createTempDirectory("turnpike-bench-density-");
            List<String> command = new ArrayList<>(List.of("bin/turnpike", "serve", "--data-dir", data.toString(),
                    "--http-port", "0"));
            command.addAll(args);
            command.addAll(words(System.getProperty("serve.args", "")));
            long start = System.nanoTime();
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            builder.environment().put("TURNPIKE_JAVA_OPTS", System.getProperty("serve.jvm", ""));
            builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
            String chromium = System.getProperty("serve.chromium", "");
            if (!chromium.isBlank()) {
                builder.environment().put("TURNPIKE_BROWSER_EXTRA_ARGS", chromium); // switches hold spaces: not a flag
            }
            Process process = builder.start();
            System.out.println("(serve: pid " + process.pid() + ")"); // for jcmd VM.native_memory beside a run
            URI api;
            try {
                api = URI.create(awaitLine(process, LISTENING, "serve ended before it listened"));
            } catch (IOException | RuntimeException e) {
                process.destroyForcibly().waitFor();
                if (keptData == null) {
                    delete(data); // nothing of a failed start is left behind
                }
                throw e;
            }
            double listening = (System.nanoTime() - start) / 1e9;
            Served served = new Served(process, keptData == null ? data : null, api, listening, 0, 0);
            while (served.readyStatus() != 200) {
                Thread.sleep(10);
            }
            double ready = (System.nanoTime() - start) / 1e9;
            return new Served(process, served.data, api, listening, ready, ProcessTree.cpuSeconds(process.pid(), false));
        }

        private int readyStatus() throws IOException, InterruptedException {
            return http.send(HttpRequest.newBuilder(api.resolve("/health/ready")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        }

        JsonNode readiness() throws IOException, InterruptedException {
            return JSON.readTree(http.send(HttpRequest.newBuilder(api.resolve("/health/ready")).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
        }

        /** Waits until exactly {@code browsers} browsers take tasks and none is starting. */
        void awaitBrowsers(int browsers, Duration atMost) throws Exception {
            long deadline = System.nanoTime() + atMost.toNanos();
            while (true) {
                JsonNode b = readiness().path("browsers");
                if (b.path("available").asInt() == browsers && (browsers > 0 || b.path("idleSlots").asInt() == 0)) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("not " + browsers + " browsers after " + atMost + ": " + b);
                }
                Thread.sleep(100);
            }
        }

        String createKey() throws Exception {
            Process keys = new ProcessBuilder(javaBin(), "-jar", JAR.toString(), "keys", "create", "--points",
                    "1000000000", "--name", "bench", "--data-dir", data.toString()).start();
            String out = new String(keys.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!keys.waitFor(60, TimeUnit.SECONDS) || keys.exitValue() != 0) {
                throw new IllegalStateException("keys create failed: " + out);
            }
            return out.lines().findFirst().orElseThrow().strip();
        }

        /** PSS of the server and every descendant (browsers, their helpers), MiB. */
        double pssMiB() {
            return ProcessTree.pssMiBByKind(process).entrySet().stream().filter(e -> !e.getKey().startsWith("#"))
                    .mapToDouble(java.util.Map.Entry::getValue).sum();
        }

        @Override
        public void close() throws Exception {
            process.destroy(); // SIGTERM: the server stops its browsers
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            if (data != null) {
                delete(data);
            }
        }
    }
}
