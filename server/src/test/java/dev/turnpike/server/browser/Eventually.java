package dev.turnpike.server.browser;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Polls a condition that the pool reaches asynchronously (a context disposed, a browser replaced). */
public final class Eventually {

    private Eventually() {
    }

    public static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not reached within " + timeout.toSeconds() + " s: " + what);
            }
            Thread.sleep(20);
        }
    }
}
