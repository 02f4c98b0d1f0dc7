package dev.turnpike.server.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The product as a user starts it: {@code turnpike serve …} in a JVM of its own (the real command line, settings
 * and shutdown hook), with the JVM options a test chooses. Its output is read until it says where it listens,
 * then drained and kept.
 */
public final class ServeProcess implements AutoCloseable {

    private static final Pattern LISTENING = Pattern.compile("Turnpike is listening on (\\S+)");
    private static final Pattern LAB_HTTP = Pattern.compile("plain HTTP on 127\\.0\\.0\\.1:(\\d+)");
    private static final Pattern LAB_ADMIN = Pattern.compile("admin API on (http://127\\.0\\.0\\.1:\\d+)");

    private final Process process;
    private final List<String> output = new ArrayList<>();
    private final URI api;

    private ServeProcess(Process process) throws Exception {
        this.process = process;
        this.api = readUntilListening();
    }

    /** Starts {@code turnpike serve} with {@code jvmOptions} and {@code args}, and waits until it listens. */
    public static ServeProcess start(List<String> jvmOptions, String... args) throws Exception {
        List<String> serve = new ArrayList<>(List.of("serve"));
        serve.addAll(List.of(args));
        return new ServeProcess(turnpike(jvmOptions, serve).redirectErrorStream(true).start());
    }

    /** A turnpike command line in a JVM of its own, on this test's class path. */
    public static ProcessBuilder turnpike(List<String> jvmOptions, List<String> args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.turnpike.server.Main"));
        command.addAll(args);
        return new ProcessBuilder(command);
    }

    /** {@code turnpike keys create} beside a running serve (the embedded store lets a second process in). */
    public static String createKey(Path dataDir, long points) throws Exception {
        Process keys = turnpike(List.of(), List.of("keys", "create", "--points", Long.toString(points), "--name", "test",
                "--data-dir", dataDir.toString())).start();
        String out = new String(keys.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!keys.waitFor(60, TimeUnit.SECONDS) || keys.exitValue() != 0) {
            throw new AssertionError("keys create failed: " + out);
        }
        return out.lines().filter(l -> !l.isBlank() && !l.startsWith("Created") && !l.contains(" "))
                .findFirst().orElseThrow(() -> new AssertionError("no key in: " + out));
    }

    public URI api() {
        return api;
    }

    /** The port of the embedded lab's plain HTTP listener, from its banner. */
    public int labHttpPort() {
        synchronized (output) {
            return output.stream().map(LAB_HTTP::matcher).filter(Matcher::find)
                    .mapToInt(m -> Integer.parseInt(m.group(1))).findFirst()
                    .orElseThrow(() -> new AssertionError("no lab port in " + output));
        }
    }

    /** The embedded lab's admin API, from its banner. */
    public URI labAdmin() {
        synchronized (output) {
            return output.stream().map(LAB_ADMIN::matcher).filter(Matcher::find).map(m -> URI.create(m.group(1)))
                    .findFirst().orElseThrow(() -> new AssertionError("no lab admin address in " + output));
        }
    }

    /** SIGKILL to the server's JVM alone, as an out-of-memory killer or a power cut would end it; waits for it. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    public long pid() {
        return process.pid();
    }

    /** Everything the process printed so far. */
    public String output() {
        synchronized (output) {
            return String.join("\n", output);
        }
    }

    /**
     * Sends SIGTERM (what Ctrl-C's hook also runs) and waits up to {@code limit} for the process to end.
     *
     * @return how long it took, or null when it was still running at the limit (it is then killed)
     */
    public Duration stop(Duration limit) throws InterruptedException {
        long start = System.nanoTime();
        process.destroy();
        if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            close();
            return null;
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }

    /** Kills what is left (SIGKILL), descendants first. */
    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    private URI readUntilListening() throws Exception {
        CompletableFuture<URI> address = new CompletableFuture<>();
        Thread.ofPlatform().daemon().name("serve-output-" + process.pid()).start(() -> {
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            try {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    synchronized (output) {
                        output.add(line);
                    }
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) {
                        address.complete(URI.create(m.group(1)));
                    }
                }
            } catch (IOException e) {
                // the process ended
            }
            address.completeExceptionally(new IllegalStateException("serve ended before listening"));
        });
        try {
            return address.get(120, TimeUnit.SECONDS);
        } catch (Exception e) {
            close();
            throw new AssertionError("serve did not start: " + output(), e);
        }
    }
}
