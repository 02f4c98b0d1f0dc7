package dev.turnpike.bench;

import dev.turnpike.lab.Lab;
import dev.turnpike.lab.LabOptions;
import dev.turnpike.lab.core.Sitekey;
import dev.turnpike.server.browser.BrowserSettings;
import dev.turnpike.server.browser.cdp.CdpConnection;
import dev.turnpike.server.browser.cdp.CdpSession;
import dev.turnpike.server.browser.pool.BrowserPool;
import dev.turnpike.server.browser.pool.ContextLease;
import dev.turnpike.server.browser.proxy.DirectRoute;
import dev.turnpike.server.browser.proxy.ProxyRelay;
import dev.turnpike.server.browser.proxy.ProxyRelays;
import dev.turnpike.server.net.AddressPolicy;
import dev.turnpike.server.net.HostResolver;
import dev.turnpike.server.role.LabLink;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code bench/run contexts}: what each part of a pool context costs a page. Pairs of the same lab page solved by a
 * bare driver (navigation start → token in the page) in two contexts of the same browser, alternating which goes
 * first: a plain one, and one with the parts named by {@code -Dparts=} (default {@code pool}):
 * <ul>
 *   <li>{@code relay} — the context's proxy is a relay bound direct, loopback not bypassed, as the pool's are;</li>
 *   <li>{@code attach} — the page's children auto-attached paused, each resumed from this process (an iframe after
 *       its own auto-attach is sent), as the pool's are;</li>
 *   <li>{@code pool} — a context of the pool itself (all of the above, and the user agent override).</li>
 * </ul>
 * Both contexts are made ahead of the page that uses them. The gap between the two series is that part's cost.
 * {@code -Dcpu.pages=N} also measures the CPU a page costs in each kind of context (this JVM and every Chromium
 * process), N pages one at a time, before the concurrent pairs.
 */
final class ContextCostBench {

    enum Part { RELAY, ATTACH, POOL }

    private ContextCostBench() {
    }

    static void run(int pairs, int[] levels) throws Exception {
        Set<Part> parts = parts(System.getProperty("parts", "pool"));
        Path profiles = Files.createTempDirectory("turnpike-bench-");
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        try (Lab lab = Lab.start(LabOptions.defaults().withSeed(1))) {
            Sitekey key = TurnstileBench.referenceWidget(lab, "bench", Integer.getInteger("pow", Sitekey.DEFAULT_POW_BITS));
            BrowserSettings settings = BrowserSettings.defaults().withSize(2, 8, 2).withProfileRoot(profiles)
                    .withExtraArgs(TurnstileBench.labFlags(lab));
            AddressPolicy policy = new AddressPolicy(HostResolver.system(), LabLink.of(lab).allowHosts(), List.of());
            try (BrowserPool pool = BenchPools.start(lab, settings, scheduler, 1);
                 ProxyRelays relays = new ProxyRelays(ProxyRelays.Settings.DEFAULTS,
                         DirectRoute.forBrowsers(policy, settings.extraArgs()))) {
                System.out.printf(Locale.ROOT, "Chromium %s, PoW %d bits, parts %s, %d cores%n",
                        pool.installation().version(), key.powBits(), parts, Runtime.getRuntime().availableProcessors());
                Contexts plain = new Contexts(EnumSet.noneOf(Part.class), relays);
                Contexts candidate = new Contexts(parts, relays);
                plain.solve(pool);
                candidate.solve(pool);
                System.out.println("| concurrency | pairs | plain p50 | plain p95 | with parts p50 | with parts p95 "
                        + "| gap p50 [90%] | gap p95 [90%] |");
                System.out.println("|---:|---:|---:|---:|---:|---:|---:|---:|");
                int cpuPages = Integer.getInteger("cpu.pages", 0);
                if (cpuPages > 0) {
                    System.out.printf(Locale.ROOT, "CPU per page, %d pages one at a time: plain %s; with parts %s%n",
                            cpuPages, cpuPerPage(pool, plain, cpuPages), cpuPerPage(pool, candidate, cpuPages));
                }
                for (int concurrency : levels) {
                    List<Long> plainTimes = new CopyOnWriteArrayList<>();
                    List<Long> candidateTimes = new CopyOnWriteArrayList<>();
                    AtomicInteger started = new AtomicInteger();
                    TurnstileBench.run(pairs, concurrency, () -> {
                        boolean plainFirst = started.getAndIncrement() % 2 == 0;
                        if (plainFirst) {
                            plainTimes.add(plain.solve(pool));
                        }
                        candidateTimes.add(candidate.solve(pool));
                        if (!plainFirst) {
                            plainTimes.add(plain.solve(pool));
                        }
                        return 0L;
                    });
                    System.out.printf(Locale.ROOT, "| %d | %d | %d ms | %d ms | %d ms | %d ms | %s | %s |%n", concurrency,
                            pairs, TurnstileBench.pct(plainTimes, 50), TurnstileBench.pct(plainTimes, 95),
                            TurnstileBench.pct(candidateTimes, 50), TurnstileBench.pct(candidateTimes, 95),
                            PercentileGap.of(candidateTimes, plainTimes, 50, 0.9, concurrency),
                            PercentileGap.of(candidateTimes, plainTimes, 95, 0.9, concurrency));
                    if (Boolean.getBoolean("timeline")) {
                        System.out.println("plain p50 marks: " + plain.marks());
                        System.out.println("parts p50 marks: " + candidate.marks());
                        plain.marks.clear();
                        candidate.marks.clear();
                    }
                }
            }
        } finally {
            scheduler.shutdownNow();
            BenchPools.reportLeftoverProfiles(profiles);
        }
    }

    /** Mean CPU per page (this JVM, every Chromium process, the reaped ones included), one page at a time. */
    private static String cpuPerPage(BrowserPool pool, Contexts contexts, int pages) throws Exception {
        long jvm0 = jvmCpuNanos(), chromium0 = chromiumCpuTicks(pool);
        for (int i = 0; i < pages; i++) {
            contexts.solve(pool);
        }
        long jvm = (jvmCpuNanos() - jvm0) / 1_000_000 / pages;
        long chromium = (chromiumCpuTicks(pool) - chromium0) * 10 / pages; // USER_HZ 100
        return "JVM " + jvm + " ms + Chromium " + chromium + " ms";
    }

    private static long jvmCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** utime + stime of every live Chromium process, plus what the browser processes reaped (cutime + cstime). */
    private static long chromiumCpuTicks(BrowserPool pool) throws java.io.IOException {
        long ticks = 0;
        for (long group : pool.processGroups()) {
            long browser = dev.turnpike.server.browser.chromium.ProcessGroup.browserPid(group);
            for (long pid : dev.turnpike.server.browser.chromium.ProcessGroup.members(group)) {
                String stat;
                try {
                    stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
                } catch (java.io.IOException e) {
                    continue;
                }
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);
                if (pid == browser) {
                    ticks += Long.parseLong(f[13]) + Long.parseLong(f[14]);
                }
            }
        }
        return ticks;
    }

    private static Set<Part> parts(String text) {
        Set<Part> parts = EnumSet.noneOf(Part.class);
        for (String name : text.split(",")) {
            parts.add(Part.valueOf(name.strip().toUpperCase(Locale.ROOT)));
        }
        return parts;
    }

    /** Contexts with the given parts, each made ahead of the page that uses it, in the browser of the slot held. */
    private static final class Contexts {
        private final Set<Part> parts;
        private final ProxyRelays relays;
        private final java.util.Map<CdpConnection, java.util.Deque<Made>> ready = new java.util.concurrent.ConcurrentHashMap<>();

        private record Made(CdpConnection connection, String id, CdpSession page, String frame, ProxyRelay relay) {
        }

        final java.util.Map<String, List<Long>> marks = new java.util.concurrent.ConcurrentHashMap<>();

        /** Where the page's time went, from its own Performance entries (ms since navigation start). */
        private void timeline(CdpSession page, String frame) throws InterruptedException {
            if (!Boolean.getBoolean("timeline")) {
                return;
            }
            String json = ContextLease.evaluateIsolated(page, frame, """
                    JSON.stringify((() => {
                      const n = performance.getEntriesByType('navigation')[0];
                      const r = performance.getEntriesByType('resource');
                      const out = {docStart: n.requestStart, docEnd: n.responseEnd, domReady: n.domContentLoadedEventEnd,
                        load: n.loadEventStart, now: performance.now()};
                      const api = r.find(e => e.name.includes('api.js'));
                      if (api) { out.apiStart = api.startTime; out.apiEnd = api.responseEnd; }
                      const f = r.find(e => e.initiatorType === 'iframe');
                      if (f) { out.frameStart = f.startTime; out.frameEnd = f.responseEnd; }
                      return out;
                    })())""", Duration.ofSeconds(10)).asText();
            try {
                var node = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json);
                node.fieldNames().forEachRemaining(name -> marks.computeIfAbsent(name, n -> new CopyOnWriteArrayList<>())
                        .add(Math.round(node.path(name).asDouble())));
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }

        String marks() {
            StringBuilder out = new StringBuilder();
            for (String name : List.of("docStart", "docEnd", "apiStart", "apiEnd", "frameStart", "frameEnd", "domReady",
                    "load", "now")) {
                List<Long> values = marks.get(name);
                if (values != null) {
                    out.append(name).append(' ').append(TurnstileBench.pct(values, 50)).append(" / ");
                }
            }
            return out.toString();
        }

        Contexts(Set<Part> parts, ProxyRelays relays) {
            this.parts = parts;
            this.relays = relays;
        }

        /** Holds a pool slot (as a task does) and solves the page in a context of this kind; returns ms. */
        long solve(BrowserPool pool) throws Exception {
            try (ContextLease lease = pool.acquireDirect()) {
                if (parts.contains(Part.POOL)) {
                    long took = TurnstileBench.referenceIn(lease.page(), lease.mainFrameId());
                    timeline(lease.page(), lease.mainFrameId());
                    return took;
                }
                CdpConnection connection = lease.page().connection();
                Made made = ready.computeIfAbsent(connection, c -> new java.util.concurrent.ConcurrentLinkedDeque<>())
                        .pollLast();
                if (made == null) {
                    made = open(connection);
                }
                try {
                    long took = TurnstileBench.referenceIn(made.page(), made.frame());
                    timeline(made.page(), made.frame());
                    return took;
                } finally {
                    CdpSession root = connection.browser();
                    root.call("Target.disposeBrowserContext", root.params().put("browserContextId", made.id()));
                    if (made.relay() != null) {
                        made.relay().close();
                    }
                    if (connection.isOpen()) {
                        ready.get(connection).add(open(connection));
                    }
                }
            }
        }

        private Made open(CdpConnection connection) throws InterruptedException {
            ProxyRelay relay = null;
            if (parts.contains(Part.RELAY)) {
                relay = relays.openUnbound();
                relay.bindDirect();
            }
            PlainContexts.Plain plain = PlainContexts.open(connection, relay == null ? null : relay.proxyServer());
            if (parts.contains(Part.ATTACH)) {
                attachPaused(plain.page());
            }
            return new Made(connection, plain.id(), plain.page(), plain.frame(), relay);
        }

        /**
         * The pool's way: the page's children attached paused and resumed from this process (an iframe after its own
         * auto-attach is sent); an iframe's children attached unpaused, its workers not at all.
         */
        private static void attachPaused(CdpSession session) throws InterruptedException {
            session.on("Target.attachedToTarget", event -> {
                CdpSession child = session.connection().session(event.path("sessionId").asText());
                if ("iframe".equals(event.path("targetInfo").path("type").asText())) {
                    var nested = child.params().put("autoAttach", true).put("waitForDebuggerOnStart", false)
                            .put("flatten", true);
                    var filter = nested.putArray("filter");
                    filter.addObject().put("type", "worker").put("exclude", true);
                    filter.addObject();
                    child.send("Target.setAutoAttach", nested);
                }
                if (event.path("waitingForDebugger").asBoolean()) {
                    child.send("Runtime.runIfWaitingForDebugger", null);
                }
            });
            session.call("Target.setAutoAttach", session.params().put("autoAttach", true)
                    .put("waitForDebuggerOnStart", true).put("flatten", true));
        }
    }
}
