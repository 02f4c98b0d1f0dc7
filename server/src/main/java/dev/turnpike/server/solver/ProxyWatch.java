package dev.turnpike.server.solver;

import dev.turnpike.server.browser.proxy.ProxyRelay;
import dev.turnpike.server.net.ProxySpec;
import dev.turnpike.server.task.FailReason;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Races a solve against its proxy: the first proxy-level failure of the task's relay interrupts the solving
 * thread, whatever it is waiting for (a navigation, an event, a script), so the task fails at once with the
 * proxy's own reason instead of waiting for the page to time out.
 */
public final class ProxyWatch implements AutoCloseable {

    private final CompletableFuture<FailReason> failure;
    private final Thread solver;
    private boolean closed;
    private boolean interrupted;

    private ProxyWatch(ProxyRelay relay, Thread solver) {
        this.failure = relay.firstFailure();
        this.solver = solver;
        failure.thenAccept(reason -> interrupt());
    }

    /** Watches {@code relay} on behalf of the calling thread. */
    public static ProxyWatch onCurrentThread(ProxyRelay relay) {
        return new ProxyWatch(relay, Thread.currentThread());
    }

    private synchronized void interrupt() {
        if (!closed) {
            interrupted = true;
            solver.interrupt();
        }
    }

    /** The proxy's failure, if one happened. */
    public FailReason failure() {
        return failure.getNow(null);
    }

    /**
     * The proxy's failure, waiting a little for it: a navigation error may reach us before the relay has
     * classified the failure that caused it.
     */
    public FailReason failureWithin(Duration wait) throws InterruptedException {
        try {
            return failure.get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return null;
        } catch (ExecutionException e) {
            return null;
        } catch (InterruptedException e) {
            if (failure.isDone()) {
                Thread.interrupted(); // our own interrupt, for the very failure asked about
                return failure.getNow(null);
            }
            throw e;
        }
    }

    /** The task's failure for a proxy-level {@code reason}, saying what the proxy did (its password never shown). */
    public static SolveException failure(FailReason reason, ProxySpec proxy) {
        String what = switch (reason) {
            case PROXY_REFUSED -> "refused the connection";
            case PROXY_CONNECT_TIMEOUT -> "did not accept the connection in time";
            case PROXY_READ_TIMEOUT -> "accepted the connection but stopped answering";
            case PROXY_NOT_AUTHORISED -> "rejected the credentials";
            default -> "failed (" + reason + ")";
        };
        return new SolveException(reason, "the proxy " + proxy.address() + " " + what);
    }

    /** Stops watching; clears an interrupt this watch caused, so it does not leak into the worker. */
    @Override
    public synchronized void close() {
        closed = true;
        if (interrupted && Thread.currentThread() == solver) {
            Thread.interrupted();
        }
    }
}
