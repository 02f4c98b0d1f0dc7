package dev.turnpike.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.turnpike.server.task.TaskId;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code bench/run api}: the API's throughput and latency under 64 concurrent connections, for a trivial endpoint
 * (GET /health/live: the physical limit of this server on this machine), getTaskResult and createTask. The server
 * runs in this JVM ({@link BenchServer}: embedded H2 store, an {@link InstantSolver}), so createTask
 * goes through key check, validation, address policy, hold, queue, solve and capture.
 */
public final class Main {

    private Main() {
    }

    /** The concurrency levels: the third argument ("1,8"), else the default. */
    static int[] levels(String[] args, String otherwise) {
        return java.util.Arrays.stream((args.length > 2 ? args[2] : otherwise).split(",")).map(String::strip)
                .mapToInt(Integer::parseInt).toArray();
    }

    public static void main(String[] args) throws Exception {
        String what = args.length > 0 ? args[0] : "api";
        if (what.equals("flaresolverr")) {
            FlareSolverrBench.run(args);
            return;
        }
        if (what.equals("queue")) {
            QueueBench.run(args.length > 1 ? Integer.parseInt(args[1]) : 10);
            return;
        }
        if (what.equals("cluster")) {
            ClusterBench.run(args.length > 1 ? Integer.parseInt(args[1]) : 12, levels(args, "1,4"));
            return;
        }
        if (what.equals("challenge")) {
            ChallengeBench.run(args.length > 1 ? Integer.parseInt(args[1]) : 10, levels(args, "1,4,8"));
            return;
        }
        if (what.equals("identity")) {
            IdentityBench.run(args.length > 1 ? Integer.parseInt(args[1]) : 16, levels(args, "1,8"));
            return;
        }
        if (what.equals("burst")) {
            BurstBench.run(args.length > 1 ? Integer.parseInt(args[1]) : 2, levels(args, "8,32"));
            return;
        }
        if (what.equals("density")) {
            DensityBench.run(args.length > 1 ? Integer.parseInt(args[1]) : 5);
            return;
        }
        if (what.equals("shapes")) {
            ShapesBench.run(args.length > 1 ? Integer.parseInt(args[1]) : 10);
            return;
        }
        if (what.equals("turnstile")) {
            TurnstileBench.main(new String[] {args.length > 1 ? args[1] : "24", "0", args.length > 2 ? args[2] : "1,4,8,16"});
            return;
        }
        if (what.equals("contexts")) {
            ContextCostBench.run(args.length > 1 ? Integer.parseInt(args[1]) : 40, levels(args, "1,8"));
            return;
        }
        if (what.equals("windows")) {
            WindowCostBench.run(args.length > 1 ? Integer.parseInt(args[1]) : 8);
            return;
        }
        if (what.equals("soak")) {
            TurnstileBench.main(new String[] {"0", args.length > 1 ? args[1] : "1000"});
            return;
        }
        if (what.equals("slowclients")) {
            SlowClientsBench.run(args.length > 1 ? Integer.parseInt(args[1]) : 1000,
                    args.length > 2 ? Integer.parseInt(args[2]) : 10);
            return;
        }
        if (!what.equals("api")) {
            System.err.println("usage: bench/run api [seconds] | bench/run turnstile [pairs per level] [levels, e.g. 1,8]"
                    + " | bench/run soak [tasks] | bench/run contexts [pairs per level] [levels]"
                    + " | bench/run challenge [pairs per level] [levels] | bench/run burst [rounds] [sizes]"
                    + " | bench/run queue [seconds]"
                    + " | bench/run cluster [rounds per level] [levels] | bench/run slowclients [tricklers] [seconds]"
                    + " | bench/run shapes [solves per shape] | bench/run density [rounds] | bench/run windows [contexts]"
                    + " | bench/run identity [tasks per level] [levels]"
                    + " | bench/run flaresolverr V1_URL SERVER_PID PAGE_URL PROXY_URL [n] [concurrency]");
            System.exit(2);
        }
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int connections = 64;
        try (BenchServer server = BenchServer.start(Map.of("queue.capacity", "100000", "workers", "8"),
                Clock.systemUTC(), new InstantSolver())) {
            String key = server.createKey(1_000_000_000_000L);
            String task = "{\"type\":\"TurnstileTaskProxyless\",\"websiteURL\":\"https://site.example/\",\"websiteKey\":\"0x4AAAAAAAB\"}";
            String createBody = "{\"clientKey\":\"" + key + "\",\"task\":" + task + "}";
            List<byte[]> resultRequests = new ArrayList<>();
            try (Progress setup = Progress.start("solving 1000 tasks for getTaskResult", 1000, null,
                    LoadDriver.PROGRESS_EVERY)) {
                for (int i = 0; i < 1000; i++) {
                    JsonNode r = server.api().call("createTask", Map.of("clientKey", key, "task", Map.of("type", "TurnstileTaskProxyless",
                            "websiteURL", "https://site.example/", "websiteKey", "0x4AAAAAAAB")));
                    String id = r.get("taskId").textValue();
                    server.standalone().tasks().find(new TaskId(Long.parseLong(id))).ended().get(30, TimeUnit.SECONDS);
                    resultRequests.add(LoadDriver.post("/getTaskResult", "{\"clientKey\":\"" + key + "\",\"taskId\":\"" + id + "\"}"));
                    setup.add(1);
                }
            }
            InetSocketAddress target = new InetSocketAddress("127.0.0.1", server.baseUrl().getPort());
            LoadDriver driver = new LoadDriver(target, connections, Duration.ofSeconds(3), Duration.ofSeconds(seconds));
            byte[] live = LoadDriver.get("/health/live");
            byte[] create = LoadDriver.post("/createTask", createBody);
            List<LoadDriver.Result> results = new ArrayList<>();
            results.add(driver.run("GET /health/live (trivial)", n -> live, false));
            results.add(driver.run("POST /getTaskResult (ready task)", n -> resultRequests.get(Math.floorMod(n, resultRequests.size())), true));
            results.add(driver.run("POST /createTask (hold, queue, solve, capture)", n -> create, true));
            print(results, connections, seconds);
        }
    }

    private static void print(List<LoadDriver.Result> results, int connections, int seconds) {
        double base = results.getFirst().throughput();
        System.out.printf(Locale.ROOT, "%n%d connections, %d s measured after 3 s warm-up, %d cores, Java %s%n%n",
                connections, seconds, Runtime.getRuntime().availableProcessors(), Runtime.version());
        System.out.println("| endpoint | requests/s | ratio to trivial | p50 ms | p99 ms | max ms | errors |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|");
        for (LoadDriver.Result r : results) {
            System.out.printf(Locale.ROOT, "| %s | %.0f | %.2f | %.2f | %.2f | %.1f | %d |%n", r.name(), r.throughput(),
                    r.throughput() / base, r.p50Micros() / 1000.0, r.p99Micros() / 1000.0, r.maxMicros() / 1000.0, r.errors());
        }
    }
}
