package dev.turnpike.server.browser.chromium;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Chromium we launched and own: its own session and process group (started through {@code setsid}
 * under a guard shell that takes the group down with it),
 * its own fresh profile directory, its DevTools URL read from its stderr. {@link #kill()} ends the whole
 * group and deletes the profile; it is idempotent and is what shutdown, recycle and crash all call.
 */
public final class ChromiumProcess implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ChromiumProcess.class);
    /** Prefix of every profile directory we make, so leftovers are recognisable (and countable in tests). */
    public static final String PROFILE_PREFIX = "turnpike-chromium-";
    private static final Pattern DEVTOOLS_URL = Pattern.compile("DevTools listening on (ws://\\S+)");
    private static final int STDERR_TAIL_LINES = 20;

    /**
     * Chromium runs under a small shell that leads its process group and kills the whole group when
     * Chromium exits or when our JVM is gone — even killed with SIGKILL, when no Java code can run — so a
     * browser never outlives Turnpike. {@code $$} is the guard's pid, which is the group id. When the JVM is
     * gone nobody else will delete the profile, so the guard leaves a detached remover behind for it.
     *
     * <p>The guard also sets the group's autogroup to the browser's niceness ({@link #belowUs}): {@code setsid} gave
     * the group an autogroup of its own, and where autogroups are on the scheduler weighs them against each other
     * before the processes in them, so a nice process alone would not yield to us. A refusal (a read-only /proc) is
     * not worth failing a launch for. The kernel takes at most ten autogroup changes a second from a user without
     * CAP_SYS_ADMIN, hence the retries.
     */
    static final String GUARD = """
            jvm=$1; profile=$2; nice=$3; shift 3
            ( "$@"; kill -9 -$$ ) &
            n=0
            while [ "$nice" != 0 ] && [ $n -lt 20 ] && ! { echo "$nice" > /proc/$$/autogroup; } 2>/dev/null; do
              sleep 0.05; n=$((n + 1))
            done
            while kill -0 "$jvm" 2>/dev/null; do sleep 1; done
            setsid sh -c 'sleep 1; rm -rf -- "$1"' turnpike-profile-remover "$profile" </dev/null >/dev/null 2>&1 &
            r=$!; n=0
            while [ $n -lt 40 ] && read -r _ _ _ _ pg _ < /proc/$r/stat 2>/dev/null && [ "$pg" = "$$" ]; do
              sleep 0.05; n=$((n + 1))
            done
            kill -9 -$$
            """;
    static final String GUARD_NAME = "turnpike-chromium-guard";
    /** coreutils' nice, by its path where it has the usual one ({@link #belowUs}). */
    private static final String NICE = Files.isExecutable(Path.of("/usr/bin/nice")) ? "/usr/bin/nice" : "nice";
    /** How long a killed browser's processes may take to go before we give up on them (the guard takes over). */
    private static final Duration KILL_WAIT = Duration.ofSeconds(5);

    private final Process process;
    private final long pgid;
    private final Path profile;
    private final URI devToolsUrl;
    private final Deque<String> stderrTail;
    private final AtomicBoolean killed = new AtomicBoolean();

    private ChromiumProcess(Process process, Path profile, URI devToolsUrl, Deque<String> stderrTail) {
        this.process = process;
        // setsid execs the guard in place (we are not a group leader), so its pid is the new group's id.
        this.pgid = process.pid();
        this.profile = profile;
        this.devToolsUrl = devToolsUrl;
        this.stderrTail = stderrTail;
    }

    /**
     * Launches Chromium and waits until it prints its DevTools URL.
     *
     * @param environment extra environment (e.g. {@code DISPLAY} for Xvfb), may be empty
     * @param nice        how far below ours the browser's CPU priority is (0..19, as nice(1) counts)
     */
    public static ChromiumProcess launch(ChromiumInstallation installation, Path profileRoot, String userAgent,
                                         boolean headless, List<String> extraArgs, Map<String, String> environment,
                                         int nice, Duration startTimeout) throws IOException {
        return launch(installation, profileRoot, userAgent, headless, extraArgs, environment, nice, startTimeout,
                ProcessHandle.current().pid());
    }

    /** As above; the browser dies with process {@code ownerPid} (our JVM, or a stand-in in tests). */
    static ChromiumProcess launch(ChromiumInstallation installation, Path profileRoot, String userAgent,
                                  boolean headless, List<String> extraArgs, Map<String, String> environment,
                                  int nice, Duration startTimeout, long ownerPid) throws IOException {
        Files.createDirectories(profileRoot);
        Path profile = Files.createTempDirectory(profileRoot, PROFILE_PREFIX);
        List<String> command = new ArrayList<>();
        command.add("setsid");
        command.add("sh");
        command.add("-c");
        command.add(GUARD);
        command.add(GUARD_NAME);
        command.add(Long.toString(ownerPid));
        command.add(profile.toString());
        command.add(Integer.toString(nice));
        command.addAll(belowUs(nice));
        command.add(installation.binary().toString());
        command.addAll(ChromiumFlags.build(profile, userAgent, headless, isRoot(), extraArgs));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        builder.environment().putAll(environment);
        // Chromium's scratch (its singleton socket directory org.chromium.Chromium.XXXXXX among it) goes under TMPDIR:
        // inside the profile, it goes with the profile however the browser dies. Relative to the working directory
        // (the profile), because a socket's path is limited to 107 bytes and a profile's absolute path can be long.
        Files.createDirectory(profile.resolve("tmp"));
        builder.environment().put("TMPDIR", "tmp");
        builder.directory(profile.toFile());
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            deleteTree(profile);
            throw new IOException("cannot start " + installation.binary() + ": " + e.getMessage(), e);
        }
        Deque<String> tail = new ArrayDeque<>();
        CompletableFuture<URI> url = new CompletableFuture<>();
        // A platform thread: the read blocks in native code for as long as Chromium is silent (hours when idle),
        // and a virtual thread doing that holds one of the scheduler's few carriers the whole time (one per core).
        Thread.ofPlatform().daemon().name("chromium-stderr-" + process.pid())
                .start(() -> readStderr(process, url, tail));
        try {
            URI devTools = url.get(startTimeout.toMillis(), TimeUnit.MILLISECONDS);
            return new ChromiumProcess(process, profile, devTools, tail);
        } catch (Exception e) {
            ChromiumProcess failed = new ChromiumProcess(process, profile, null, tail);
            failed.kill();
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IOException("Chromium did not open its DevTools endpoint within " + startTimeout.toMillis()
                    + " ms (exit " + (process.isAlive() ? "none" : process.exitValue()) + "): "
                    + failed.stderrTail(), e);
        }
    }

    private static void readStderr(Process process, CompletableFuture<URI> url, Deque<String> tail) {
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (!url.isDone()) {
                    Matcher m = DEVTOOLS_URL.matcher(line);
                    if (m.find()) {
                        url.complete(URI.create(m.group(1)));
                        continue;
                    }
                }
                synchronized (tail) {
                    tail.addLast(line);
                    if (tail.size() > STDERR_TAIL_LINES) {
                        tail.removeFirst();
                    }
                }
            }
        } catch (IOException e) {
            // The pipe closes when the process dies.
        }
        url.completeExceptionally(new IOException("Chromium's stderr closed before the DevTools URL"));
    }

    /**
     * The words that start the browser {@code nice} steps below our CPU priority, so that on full cores the API, the
     * queue and the DevTools hand-offs run before the pages (BENCHMARKS.md, "Browsers below the JVM"). As root,
     * Chromium sets its threads' priorities itself (its main threads and a few others at nice -8, the rest at 0), and
     * we let it: a browser started without CAP_SYS_NICE, every thread kept at our niceness, made Turnpike's pages
     * slower beside the reference's in the same browsers (paired ratio at 8: 1.8–2.1 against 1.0–1.6). As root the
     * autogroup the guard sets is what puts the browser below us.
     */
    static List<String> belowUs(int nice) {
        return nice == 0 ? List.of() : List.of(NICE, "-n", Integer.toString(nice));
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    public URI devToolsUrl() {
        return devToolsUrl;
    }

    public long pid() {
        return process.pid();
    }

    /** The process group id (equal to the pid of the main process). */
    public long pgid() {
        return pgid;
    }

    public Path profile() {
        return profile;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Completes when the main process exits, for any reason. */
    public CompletableFuture<Process> onExit() {
        return process.onExit();
    }

    /** The last lines Chromium wrote to stderr, for error messages. */
    public String stderrTail() {
        synchronized (stderrTail) {
            return String.join(" | ", stderrTail);
        }
    }

    /** PSS of the whole process group. */
    public long pssBytes() {
        return ProcessGroup.pssBytes(pgid);
    }

    /** Number of live processes in the group. */
    public int processCount() {
        return ProcessGroup.members(pgid).size();
    }

    /**
     * Kills the whole group (SIGKILL to the group, then to every descendant still known, in case one left
     * the group), waits for them to go, and deletes the profile. Safe to call more than once.
     */
    public void kill() {
        if (!killed.compareAndSet(false, true)) {
            return;
        }
        List<ProcessHandle> descendants = process.descendants().toList();
        ProcessGroup.kill(pgid);
        process.destroyForcibly();
        descendants.forEach(ProcessHandle::destroyForcibly);
        try {
            // Our own child is reaped at once (onExit parks: no carrier held when called from a virtual thread).
            process.onExit().get(KILL_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            log.warn("Chromium {} did not exit after SIGKILL", pgid);
        }
        awaitGone(descendants);
        deleteTree(profile);
    }

    /**
     * Waits for the group and any descendant that left it to be gone, killing the group again meanwhile. Looked
     * for in /proc rather than through {@link ProcessHandle#onExit()}: for a process that is not our child the JDK
     * polls from 300 ms on, one descendant after another, which made every retirement (and Ctrl-C) take seconds.
     */
    private void awaitGone(List<ProcessHandle> descendants) {
        long deadline = System.nanoTime() + KILL_WAIT.toNanos();
        while (true) {
            List<Long> members = ProcessGroup.members(pgid);
            // A handle knows its process's start time: a pid used again meanwhile is neither waited for nor killed.
            List<ProcessHandle> escaped = descendants.stream()
                    .filter(d -> d.isAlive() && ProcessGroup.isRunning(d.pid())).toList();
            if (members.isEmpty() && escaped.isEmpty()) {
                return;
            }
            if (System.nanoTime() > deadline || Thread.currentThread().isInterrupted()) {
                log.warn("Chromium {}: {} processes did not exit after SIGKILL", pgid, members.size() + escaped.size());
                return;
            }
            // One forked while the group was killed is a member now: killed by pid, no `kill` process each turn.
            members.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
            escaped.forEach(ProcessHandle::destroyForcibly);
            sleepQuietly(10);
        }
    }

    @Override
    public void close() {
        kill();
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void deleteTree(Path root) {
        // Chromium may still be flushing a file as it dies; a second pass catches what the first missed.
        for (int attempt = 0; attempt < 3 && Files.exists(root); attempt++) {
            try {
                Files.walkFileTree(root, new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                        Files.deleteIfExists(file);
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFileFailed(Path file, IOException e) {
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                        Files.deleteIfExists(dir);
                        return FileVisitResult.CONTINUE;
                    }
                });
            } catch (NoSuchFileException e) {
                return;
            } catch (IOException e) {
                sleepQuietly(50);
            }
        }
        if (Files.exists(root)) {
            log.warn("could not delete profile directory {}", root);
        }
    }
}
