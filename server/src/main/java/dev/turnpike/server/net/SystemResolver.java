package dev.turnpike.server.net;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * DNS and /etc/hosts through the JDK. A lookup blocks in native code ({@code getaddrinfo}) for as long as the name
 * server takes; on a virtual thread that would hold one of the scheduler's carriers (one per core) the whole time,
 * so a virtual caller hands the lookup to a small pool of platform threads and parks until it is done.
 */
final class SystemResolver implements HostResolver {

    static final SystemResolver INSTANCE = new SystemResolver();

    private static final int LOOKUP_THREADS = 8;

    private final ExecutorService lookups;

    private SystemResolver() {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(LOOKUP_THREADS, LOOKUP_THREADS, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), Thread.ofPlatform().daemon().name("dns-lookup-", 0).factory());
        pool.allowCoreThreadTimeOut(true); // idle: no thread at all
        this.lookups = pool;
    }

    @Override
    public List<InetAddress> resolve(String host) throws UnknownHostException {
        if (!Thread.currentThread().isVirtual()) {
            return List.of(InetAddress.getAllByName(host));
        }
        Future<List<InetAddress>> lookup = lookups.submit(() -> List.of(InetAddress.getAllByName(host)));
        try {
            return lookup.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownHostException unknown) {
                throw unknown;
            }
            throw new UnknownHostException(host + ": " + e.getCause());
        } catch (InterruptedException e) {
            lookup.cancel(true);
            Thread.currentThread().interrupt();
            throw new UnknownHostException(host + ": interrupted while resolving");
        }
    }
}
