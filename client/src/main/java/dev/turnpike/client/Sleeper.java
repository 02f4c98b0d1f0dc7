package dev.turnpike.client;

import java.time.Duration;

/**
 * Waits between polls and between retries. The client is given one so that tests can count and skip the waits
 * instead of sleeping; the default is {@link Thread#sleep(Duration)}. An implementation must throw
 * {@link InterruptedException} when its thread is interrupted: that is how a cancelled future stops polling.
 */
@FunctionalInterface
public interface Sleeper {

    /**
     * Blocks for {@code duration}, or until the thread is interrupted.
     *
     * @param duration how long to wait
     * @throws InterruptedException when the thread is interrupted while waiting
     */
    void sleep(Duration duration) throws InterruptedException;
}
