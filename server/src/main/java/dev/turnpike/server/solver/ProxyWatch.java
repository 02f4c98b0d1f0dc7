package dev.turnpike.server.solver;

import dev.turnpike.server.browser.proxy.ProxyRelay;
import dev.turnpike.server.net.ProxySpec;
import dev.turnpike.server.task.FailReason;
import java.time.Duration;
import java.util.Optional;
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

    /** How long a navigation error waits for the relay to say whether the proxy caused it. */
    private static final Duration NAVIGATION_FAILURE_WAIT = Duration.ofSeconds(2);

    private final ProxyRelay relay;
    private final CompletableFuture<FailReason> failure;
    private final Thread solver;
    private boolean closed;
    private boolean interrupted;

    private ProxyWatch(ProxyRelay relay, Thread solver) {
        this.relay = relay;
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

    /** The task's failure for the proxy's failure, if one happened. */
    public Optional<SolveException> proxyFailure() {
        return Optional.ofNullable(failure.getNow(null)).map(this::failure);
    }

    /**
     * The task's failure when the proxy's failure interrupted the solve (the interrupt, ours, is cleared); otherwise
     * {@code interrupted} stands and is thrown.
     */
    public SolveException proxyFailureBehind(InterruptedException interrupted) throws InterruptedException {
        FailReason reason = failure.getNow(null);
        if (reason == null) {
            throw interrupted;
        }
        Thread.interrupted();
        return failure(reason);
    }

    /**
     * The task's failure for the proxy's failure behind a navigation error, waiting a little for it: the error may
     * reach us before the relay has classified the failure that caused it. Empty at once on a direct relay.
     */
    public Optional<SolveException> proxyFailureBehindNavigation() throws InterruptedException {
        if (relay.upstream() == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(failure(failure.get(NAVIGATION_FAILURE_WAIT.toMillis(), TimeUnit.MILLISECONDS)));
        } catch (TimeoutException | ExecutionException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            if (failure.isDone()) {
                Thread.interrupted(); // our own interrupt, for the very failure asked about
                return proxyFailure();
            }
            throw e;
        }
    }

    private SolveException failure(FailReason reason) {
        return failure(reason, relay.upstream());
    }

    /** The task's failure for a proxy-level {@code reason}, saying what the proxy did (its password never shown). */
    static SolveException failure(FailReason reason, ProxySpec proxy) {
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
