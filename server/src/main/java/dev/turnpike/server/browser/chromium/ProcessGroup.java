package dev.turnpike.server.browser.chromium;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The processes of one Unix process group, read from {@code /proc}. A child started through
 * {@code setsid} leads a new session and group whose id is its pid, and every process it forks
 * (zygotes, renderers, GPU, crashpad) stays in that group even when reparented — so the group, not the
 * parent-child tree, is what we count and kill.
 */
public final class ProcessGroup {

    private static final Path PROC = Path.of("/proc");

    private ProcessGroup() {
    }

    /**
     * The live (not zombie) pids whose process group is {@code pgid}. Zombies are left out: they hold no
     * memory, and reaping orphans is the init process's job.
     */
    public static List<Long> members(long pgid) {
        List<Long> pids = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(PROC, p -> isNumber(p.getFileName().toString()))) {
            for (Path dir : dirs) {
                String[] fields = statFields(dir);
                if (fields != null && Long.parseLong(fields[2]) == pgid && !"Z".equals(fields[0])) {
                    pids.add(Long.parseLong(dir.getFileName().toString()));
                }
            }
        } catch (IOException e) {
            // /proc is always there on Linux; an error here leaves the list as read so far.
        }
        return pids;
    }

    /** Whether {@code pid} exists and is not a zombie (a zombie holds nothing and is its new parent's to reap). */
    public static boolean isRunning(long pid) {
        String[] fields = statFields(PROC.resolve(Long.toString(pid)));
        return fields != null && !"Z".equals(fields[0]);
    }

    /** The browser (main) process of a Chromium group: the one without {@code --type=}, or -1. */
    public static long browserPid(long pgid) {
        for (long pid : members(pgid)) {
            try {
                String cmd = new String(Files.readAllBytes(PROC.resolve(Long.toString(pid)).resolve("cmdline")),
                        StandardCharsets.UTF_8);
                String exe = cmd.contains("\0") ? cmd.substring(0, cmd.indexOf('\0')) : cmd;
                if (exe.endsWith("chromium") || exe.endsWith("chrome") || exe.endsWith("chromium-browser")) {
                    if (!cmd.contains("--type=")) {
                        return pid;
                    }
                }
            } catch (IOException e) {
                // gone meanwhile
            }
        }
        return -1;
    }

    /** Sends SIGKILL to the whole group ({@code kill -9 -PGID}); harmless when it is already gone. */
    public static void kill(long pgid) {
        if (pgid <= 1) {
            throw new IllegalArgumentException("refusing to kill process group " + pgid);
        }
        try {
            Process kill = new ProcessBuilder("kill", "-9", "--", "-" + pgid)
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            kill.onExit().get(5, TimeUnit.SECONDS); // parks; waitFor would wait in a monitor
        } catch (IOException | ExecutionException | TimeoutException e) {
            // Fall back on the per-process kill our caller also does.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Proportional set size of the group in bytes (shared pages split between sharers), 0 if unreadable. */
    public static long pssBytes(long pgid) {
        long total = 0;
        for (long pid : members(pgid)) {
            total += pssOf(pid);
        }
        return total;
    }

    /** Proportional set size of one process in bytes, 0 if it ended or cannot be read. */
    public static long pssOf(long pid) {
        try {
            for (String line : Files.readAllLines(PROC.resolve(Long.toString(pid)).resolve("smaps_rollup"),
                    StandardCharsets.US_ASCII)) {
                if (line.startsWith("Pss:")) {
                    String[] parts = line.trim().split("\\s+");
                    return Long.parseLong(parts[1]) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // The process ended while we read it.
        }
        return 0;
    }

    /** Fields after "pid (comm) ": state, ppid, pgrp, ...; null when the process (or thread) is gone. */
    public static String[] statFields(Path procDir) {
        try {
            String stat = Files.readString(procDir.resolve("stat"), StandardCharsets.US_ASCII);
            // comm may hold spaces and parentheses: split after the last ')'.
            return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static boolean isNumber(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (!Character.isDigit(s.charAt(i))) {
                return false;
            }
        }
        return !s.isEmpty();
    }
}
