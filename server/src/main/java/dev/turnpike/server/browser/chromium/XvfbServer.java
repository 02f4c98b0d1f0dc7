package dev.turnpike.server.browser.chromium;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A private X server for headful Chromium, in its own process group like the browsers, killed with the
 * pool. The display number is chosen by Xvfb itself ({@code -displayfd}), so pools never collide.
 */
public final class XvfbServer implements AutoCloseable {

    private final Process process;
    private final String display;

    private XvfbServer(Process process, String display) {
        this.process = process;
        this.display = display;
    }

    private static final String INSTALL_XVFB = "Install it with `apt-get install -y xvfb`, or run headless"
            + " (browser.display=headless).";

    public static XvfbServer start(Duration timeout) throws ChromiumUnavailableException {
        if (!onPath("Xvfb")) {
            throw ChromiumUnavailableException.missing("Headful mode needs Xvfb, and there is none on the PATH.",
                    INSTALL_XVFB);
        }
        Process process;
        try {
            process = new ProcessBuilder("setsid", "Xvfb", "-displayfd", "1", "-screen", "0", "1920x1080x24",
                    "-nolisten", "tcp", "-nolisten", "local")
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            throw ChromiumUnavailableException.missing("Xvfb could not be started: " + e.getMessage(), INSTALL_XVFB);
        }
        CompletableFuture<String> number = CompletableFuture.supplyAsync(() -> {
            try (BufferedReader r = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII))) {
                return r.readLine();
            } catch (IOException e) {
                return null;
            }
        }, r -> Thread.ofPlatform().daemon().name("xvfb-display").start(r)); // a native read: never on a carrier
        try {
            String line = number.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (line == null || !line.trim().matches("\\d+")) {
                throw new IOException("Xvfb printed no display number");
            }
            return new XvfbServer(process, ":" + line.trim());
        } catch (Exception e) {
            ProcessGroup.kill(process.pid());
            process.destroyForcibly();
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw ChromiumUnavailableException.missing("Xvfb did not start: " + e.getMessage(), INSTALL_XVFB);
        }
    }

    private static boolean onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty() && java.nio.file.Files.isExecutable(java.nio.file.Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }

    /** The value for {@code DISPLAY}. */
    public String display() {
        return display;
    }

    @Override
    public void close() {
        ProcessGroup.kill(process.pid());
        process.destroyForcibly();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
