package dev.turnpike.server.cli;

import dev.turnpike.server.config.Config;
import dev.turnpike.server.config.Settings;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What Ctrl-C and SIGTERM do to a running node: close it in a shutdown hook, in at most a bounded time. Closing
 * waits for drains, browsers and connections; if any of that hangs, a watchdog halts the JVM at the bound rather
 * than leave a process an operator must SIGKILL. Nothing is left behind even then: each browser's guard shell
 * takes its process group down and removes its profile once the JVM is gone, and the store recovers held points
 * on the next start.
 */
final class StopOnSignal {

    private static final Logger log = LoggerFactory.getLogger(StopOnSignal.class);
    /** Exit status after a halt: 128 + SIGTERM, what a shell reports for a process ended by the signal. */
    static final int HALTED_STATUS = 143;

    private StopOnSignal() {
    }

    /** {@code drain.grace} (a cluster node's wait for the tasks it holds) and four seconds for the rest. */
    static Duration boundFor(Config config) {
        return config.get(Settings.DRAIN_GRACE).plusSeconds(4);
    }

    /**
     * Installs the hook.
     *
     * @param bound how long closing may take before the JVM halts
     * @return counted down once {@code close} has returned, for the main thread to wait on
     */
    static CountDownLatch install(Duration bound, Runnable close) {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            Thread watchdog = Thread.ofPlatform().daemon().name("stop-watchdog").start(() -> {
                try {
                    if (!stopped.await(bound.toMillis(), TimeUnit.MILLISECONDS)) {
                        log.warn("stopping took longer than {} s: halting", bound.toSeconds());
                        Runtime.getRuntime().halt(HALTED_STATUS);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            try {
                close.run();
            } finally {
                stopped.countDown();
                watchdog.interrupt();
            }
        }, "shutdown"));
        return stopped;
    }
}
