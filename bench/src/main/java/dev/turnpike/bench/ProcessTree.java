package dev.turnpike.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import dev.turnpike.server.browser.chromium.ProcessGroup;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A server's process tree by kind of process, from /proc: the JVM, and Chromium's browser, renderer, GPU, network,
 * storage and zygote processes (by their {@code --type} and {@code --utility-sub-type} switches).
 */
final class ProcessTree {

    /** The kinds, in the order tables print them. */
    static final List<String> KINDS = List.of("jvm", "browser", "renderer", "gpu", "network", "storage",
            "other utility", "zygote", "shell");

    private static final long CLOCK_TICKS = 100; // USER_HZ on Linux
    /** CPU ticks of each JIT compiler thread (by thread id) when last read. */
    private static final Map<String, Long> COMPILER_TICKS = new ConcurrentHashMap<>();

    private ProcessTree() {
    }

    /**
     * PSS in MiB of the process and its descendants, summed by kind; beside each kind, under "#kind", how many
     * processes of that kind there were (callers summing PSS skip the keys starting with '#').
     */
    static Map<String, Double> pssMiBByKind(Process root) {
        return pssMiBByKind(root.toHandle());
    }

    /** The same for any process, this JVM's own included ({@link ProcessHandle#current()}). */
    static Map<String, Double> pssMiBByKind(ProcessHandle root) {
        Map<String, Double> byKind = new TreeMap<>();
        byKind.merge("jvm", mib(ProcessGroup.pssOf(root.pid())), Double::sum);
        byKind.merge("#jvm", 1.0, Double::sum);
        for (ProcessHandle child : root.descendants().toList()) {
            String kind = kind(child.pid());
            byKind.merge(kind, mib(ProcessGroup.pssOf(child.pid())), Double::sum);
            byKind.merge("#" + kind, 1.0, Double::sum);
        }
        return byKind;
    }

    /**
     * CPU seconds by kind, each process with the children it reaped: a zygote's are renderers that ended (counted as
     * renderer), the JVM's are browsers that retired with their whole tree (counted as browser).
     */
    static Map<String, Double> cpuSecondsByKind(Process root) {
        return cpuSecondsByKind(root.toHandle());
    }

    /** The same for any process, this JVM's own included ({@link ProcessHandle#current()}). */
    static Map<String, Double> cpuSecondsByKind(ProcessHandle root) {
        Map<String, Double> byKind = new TreeMap<>();
        byKind.merge("jvm", cpuSeconds(root.pid(), false), Double::sum);
        byKind.merge("browser", reapedSeconds(root.pid()), Double::sum);
        for (ProcessHandle child : root.descendants().toList()) {
            String kind = kind(child.pid());
            byKind.merge(kind, cpuSeconds(child.pid(), false), Double::sum);
            byKind.merge(kind.equals("zygote") ? "renderer" : kind, reapedSeconds(child.pid()), Double::sum);
        }
        return byKind;
    }

    /** CPU seconds of a process: its own ({@code reaped} false), or those of the children it reaped (true). */
    static double cpuSeconds(long pid, boolean reaped) {
        return Math.max(0, ticks(Path.of("/proc", Long.toString(pid)), reaped)) / (double) CLOCK_TICKS;
    }

    /**
     * CPU seconds of this JVM's JIT compiler threads ({@code C1/C2 CompilerThread}), the ones seen alive so far: a
     * compiler thread the JVM retires keeps the figure it had when last read.
     */
    static double jitSeconds() {
        try (var tasks = Files.list(Path.of("/proc/self/task"))) {
            tasks.forEach(task -> {
                try {
                    if (!Files.readString(task.resolve("comm")).matches("C\\d CompilerThre.*\\s*")) {
                        return;
                    }
                } catch (IOException e) {
                    return; // ended meanwhile
                }
                long ticks = ticks(task, false);
                if (ticks >= 0) {
                    COMPILER_TICKS.merge(task.getFileName().toString(), ticks, Math::max);
                }
            });
        } catch (IOException e) {
            return 0;
        }
        return COMPILER_TICKS.values().stream().mapToLong(Long::longValue).sum() / (double) CLOCK_TICKS;
    }

    private static double reapedSeconds(long pid) {
        return cpuSeconds(pid, true);
    }

    /** CPU ticks of a process or thread ({@code /proc/<pid>} or a task of it); -1 when it has ended. */
    private static long ticks(Path procDir, boolean reaped) {
        String[] f = ProcessGroup.statFields(procDir);
        if (f == null) {
            return -1; // ended
        }
        // After the command: state is field 3, so utime (14), stime (15), cutime (16), cstime (17) are 11..14.
        int first = reaped ? 13 : 11;
        return Long.parseLong(f[first]) + Long.parseLong(f[first + 1]);
    }

    private static String kind(long pid) {
        String cmdline;
        try {
            cmdline = new String(Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline")), StandardCharsets.UTF_8)
                    .replace('\0', ' ');
        } catch (IOException e) {
            return "other utility";
        }
        if (!cmdline.contains("chromium")) {
            return "shell";
        }
        if (cmdline.contains("--type=renderer")) {
            return "renderer";
        }
        if (cmdline.contains("--type=gpu-process")) {
            return "gpu";
        }
        if (cmdline.contains("--type=zygote")) {
            return "zygote";
        }
        if (cmdline.contains("--type=utility")) {
            return cmdline.contains("network.mojom") ? "network" : cmdline.contains("storage.mojom") ? "storage"
                    : "other utility";
        }
        return cmdline.contains("--type=") ? "other utility" : "browser";
    }

    private static double mib(long bytes) {
        return bytes / (1024.0 * 1024.0);
    }
}
