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

    public static XvfbServer start(Duration timeout) throws ChromiumUnavailableException {
        Process process;
        try {
            process = new ProcessBuilder("setsid", "Xvfb", "-displayfd", "1", "-screen", "0", "1920x1080x24",
                    "-nolisten", "tcp", "-nolisten", "local")
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            throw new ChromiumUnavailableException("Headful mode needs Xvfb (`apt-get install -y xvfb`): "
                    + e.getMessage());
        }
        CompletableFuture<String> number = CompletableFuture.supplyAsync(() -> {
            try (BufferedReader r = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII))) {
                return r.readLine();
            } catch (IOException e) {
                return null;
            }
        }, r -> Thread.ofVirtual().start(r));
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
            throw new ChromiumUnavailableException("Xvfb did not start: " + e.getMessage());
        }
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
