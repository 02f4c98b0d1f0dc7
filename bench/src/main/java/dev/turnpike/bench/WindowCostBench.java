package dev.turnpike.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.turnpike.lab.Lab;
import dev.turnpike.lab.LabOptions;
import dev.turnpike.server.browser.BrowserSettings;
import dev.turnpike.server.browser.cdp.CdpSession;
import dev.turnpike.server.browser.chromium.ProcessGroup;
import dev.turnpike.server.browser.pool.BrowserPool;
import dev.turnpike.server.browser.pool.ContextLease;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * {@code bench/run windows [contexts]}: what a pool context costs in memory before its page does anything, and
 * where. One browser of the pool, its contexts at {@code about:blank}, in three states: one context; {@code n}
 * contexts (the pool at full load: a browser context each, so a window each); one context with {@code n} tabs (as
 * many pages, one window). For each, the PSS of Chromium's processes by kind and the browser process's own
 * allocators, as Chromium counts them (a {@code memory-infra} dump over DevTools: malloc, the compositor's tiles,
 * shared images, shared memory). The differences divided by {@code n - 1} are the cost of a context and of a tab.
 */
final class WindowCostBench {

    private static final Duration SETTLE = Duration.ofSeconds(3);
    private static final List<String> ALLOCATORS = List.of("malloc", "cc", "gpu", "shared_memory");

    private WindowCostBench() {
    }

    static void run(int contexts) throws Exception {
        Path profiles = Files.createTempDirectory("turnpike-bench-");
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        try (Lab lab = Lab.start(LabOptions.defaults().withSeed(1))) {
            BrowserSettings settings = BrowserSettings.defaults().withSize(1, contexts, 0).withProfileRoot(profiles)
                    .withExtraArgs(TurnstileBench.labFlags(lab));
            try (BrowserPool pool = BenchPools.start(lab, settings, scheduler, 1)) {
                System.out.printf(Locale.ROOT, "Chromium %s, %d contexts, %d cores%n", pool.installation().version(),
                        contexts, Runtime.getRuntime().availableProcessors());
                List<ContextLease> leases = new ArrayList<>();
                leases.add(pool.acquireDirect());
                ContextLease first = leases.getFirst();
                Map<String, String> rows = new LinkedHashMap<>();
                State one = measure(pool, first);
                rows.put("one context", one.row());
                while (leases.size() < contexts) {
                    leases.add(pool.acquireDirect());
                }
                State many = measure(pool, first);
                rows.put(contexts + " contexts (a window each)", many.row());
                leases.subList(1, leases.size()).forEach(ContextLease::close);
                CdpSession root = first.page().connection().browser();
                for (int i = 1; i < contexts; i++) {
                    root.call("Target.createTarget", root.params().put("url", "about:blank")
                            .put("browserContextId", first.browserContextId()));
                }
                State tabs = measure(pool, first);
                rows.put("one context, " + contexts + " tabs (one window)", tabs.row());
                first.close();

                System.out.println("| state | browser MiB | renderer MiB (processes) | network + storage + zygote MiB "
                        + "| all Chromium MiB | browser's malloc / cc / gpu / shared_memory MiB |");
                System.out.println("|---|---:|---:|---:|---:|---|");
                rows.forEach((name, row) -> System.out.println("| " + name + " | " + row + " |"));
                System.out.printf(Locale.ROOT, "a context beyond the first: %s%n", many.minus(one, contexts - 1));
                System.out.printf(Locale.ROOT, "a tab beyond the first:     %s%n", tabs.minus(one, contexts - 1));
            }
        } finally {
            scheduler.shutdownNow();
            BenchPools.reportLeftoverProfiles(profiles);
        }
    }

    /** PSS by kind of process, and the browser process's allocators. */
    private record State(Map<String, Double> pss, Map<String, Double> allocators) {
        double get(String kind) {
            return pss.getOrDefault(kind, 0.0);
        }

        double chromium() {
            return pss.entrySet().stream().filter(e -> !e.getKey().startsWith("#") && !e.getKey().equals("jvm"))
                    .mapToDouble(Map.Entry::getValue).sum();
        }

        String row() {
            return String.format(Locale.ROOT, "%.1f | %.1f (%d) | %.1f | %.1f | %s", get("browser"), get("renderer"),
                    Math.round(get("#renderer")), get("network") + get("storage") + get("zygote"), chromium(),
                    allocatorSizes());
        }

        String allocatorSizes() {
            List<String> out = new ArrayList<>();
            ALLOCATORS.forEach(a -> out.add(String.format(Locale.ROOT, "%.1f", allocators.getOrDefault(a, 0.0))));
            return String.join(" / ", out);
        }

        String minus(State base, int n) {
            StringBuilder out = new StringBuilder(String.format(Locale.ROOT,
                    "browser %+.1f, renderers %+.1f, all Chromium %+.1f MiB; browser's",
                    (get("browser") - base.get("browser")) / n, (get("renderer") - base.get("renderer")) / n,
                    (chromium() - base.chromium()) / n));
            ALLOCATORS.forEach(a -> out.append(String.format(Locale.ROOT, " %s %+.1f", a,
                    (allocators.getOrDefault(a, 0.0) - base.allocators.getOrDefault(a, 0.0)) / n)));
            return out.append(" MiB").toString();
        }
    }

    private static State measure(BrowserPool pool, ContextLease lease) throws Exception {
        Thread.sleep(SETTLE); // the spare renderer and the new windows' first frames
        Map<String, Double> pss = ProcessTree.pssMiBByKind(ProcessHandle.current());
        long browserPid = ProcessGroup.browserPid(pool.processGroups().getFirst());
        return new State(pss, browserAllocators(lease.page().connection().browser(), browserPid));
    }

    /** The browser process's top-level allocators in MiB, from one detailed memory-infra dump. */
    private static Map<String, Double> browserAllocators(CdpSession root, long browserPid) throws Exception {
        ObjectNode start = root.params().put("transferMode", "ReturnAsStream");
        ObjectNode config = start.putObject("traceConfig");
        config.putArray("includedCategories").add("disabled-by-default-memory-infra");
        config.putArray("excludedCategories").add("*");
        config.putObject("memoryDumpConfig").putArray("triggers"); // one dump, when asked
        root.call("Tracing.start", start);
        root.call("Tracing.requestMemoryDump", root.params().put("deterministic", true).put("levelOfDetail", "detailed"));
        var complete = root.next("Tracing.tracingComplete", p -> true);
        root.call("Tracing.end", null);
        String stream = CdpSession.await(complete, "the trace", Duration.ofSeconds(30)).path("stream").asText();
        StringBuilder trace = new StringBuilder();
        while (true) {
            JsonNode chunk = root.call("IO.read", root.params().put("handle", stream).put("size", 1 << 20));
            String data = chunk.path("data").asText();
            trace.append(chunk.path("base64Encoded").asBoolean()
                    ? new String(Base64.getDecoder().decode(data), StandardCharsets.UTF_8) : data);
            if (chunk.path("eof").asBoolean()) {
                break;
            }
        }
        root.call("IO.close", root.params().put("handle", stream));
        JsonNode events = root.connection().json().readTree(trace.toString());
        events = events.has("traceEvents") ? events.get("traceEvents") : events;
        Map<String, Double> out = new LinkedHashMap<>();
        for (JsonNode event : events) {
            if (!"v".equals(event.path("ph").asText()) || event.path("pid").asLong() != browserPid) {
                continue;
            }
            JsonNode allocators = event.path("args").path("dumps").path("allocators");
            for (String name : ALLOCATORS) {
                String size = allocators.path(name).path("attrs").path("size").path("value").asText("");
                if (!size.isEmpty()) {
                    out.merge(name, Long.parseLong(size, 16) / (1024.0 * 1024.0), Double::sum);
                }
            }
        }
        return out;
    }
}
