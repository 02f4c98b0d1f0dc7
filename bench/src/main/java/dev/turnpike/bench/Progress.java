package dev.turnpike.bench;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * Progress of a long command-line run (benchmark, soak), printed every few seconds on its own thread so a stall
 * shows too: done/total (or done alone), the rate, the time elapsed, and the time left when known.
 *
 * <pre>{@code
 * try (Progress p = Progress.start("createTask", 0, Duration.ofSeconds(10))) { ... p.add(1); ... }
 * }</pre>
 */
public final class Progress implements AutoCloseable {

    private final String label;
    private final long total;
    private final Duration planned;
    private final LongSupplier nanoTicker;
    private final PrintStream out;
    private final LongAdder done = new LongAdder();
    private volatile long startNanos;
    private ScheduledExecutorService printer;

    /**
     * @param total   units of work to do, or 0 when the run is bounded by time instead
     * @param planned how long the run is meant to last, or null when bounded by {@code total}
     */
    Progress(String label, long total, Duration planned, LongSupplier nanoTicker, PrintStream out) {
        this.label = label;
        this.total = total;
        this.planned = planned;
        this.nanoTicker = nanoTicker;
        this.out = out;
        this.startNanos = nanoTicker.getAsLong();
    }

    /** A progress printed on stderr every {@code every} from now until closed (the last line on close). */
    public static Progress start(String label, long total, Duration planned, Duration every) {
        Progress progress = new Progress(label, total, planned, System::nanoTime, System.err);
        progress.printEvery(every);
        return progress;
    }

    /** Starts the clock now and prints every {@code every} until closed. */
    public synchronized void printEvery(Duration every) {
        if (printer != null) {
            throw new IllegalStateException("already printing");
        }
        startNanos = nanoTicker.getAsLong();
        printer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("progress").daemon(true).factory());
        printer.scheduleAtFixedRate(() -> out.println(line()), every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    public void add(long n) {
        done.add(n);
    }

    public long done() {
        return done.sum();
    }

    /** The progress line as of now. */
    String line() {
        long n = done.sum();
        double elapsed = (nanoTicker.getAsLong() - startNanos) / 1e9;
        double rate = elapsed > 0 ? n / elapsed : 0;
        StringBuilder sb = new StringBuilder(label).append(": ");
        if (total > 0) {
            sb.append(n).append('/').append(total)
                    .append(String.format(Locale.ROOT, " (%.0f%%)", 100.0 * n / total));
        } else {
            sb.append(n);
        }
        sb.append(String.format(Locale.ROOT, ", %.0f/s, %.0f s elapsed", rate, elapsed));
        if (planned != null) {
            sb.append(String.format(Locale.ROOT, " of %d s", planned.toSeconds()));
        } else if (total > 0 && rate > 0 && n < total) {
            sb.append(String.format(Locale.ROOT, ", about %.0f s left", (total - n) / rate));
        }
        return sb.toString();
    }

    @Override
    public synchronized void close() {
        if (printer != null) {
            printer.shutdownNow();
            out.println(line() + " — done");
        }
    }
}
