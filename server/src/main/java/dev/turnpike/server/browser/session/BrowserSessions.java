package dev.turnpike.server.browser.session;

import dev.turnpike.server.browser.pool.BrowserPool;
import dev.turnpike.server.browser.pool.ContextLease;
import dev.turnpike.server.net.ProxySpec;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Long-lived browser contexts of the pool, named by their callers (FlareSolverr's sessions, PROTOCOL.md §10.4):
 * cookies and storage kept from one request to the next, the proxy fixed when the session is made. Each holds one
 * slot of the pool for as long as it lives, so at most {@code max} exist at once (all callers together), and
 * {@code max} is kept below the pool's slots: tasks always find one. A session is destroyed when its owner says so,
 * when it has not been used for {@code idleTtl} ({@link #expire}, with the injected clock), and at {@link #close}.
 * A session whose browser died or whose proxy failed is made again on its next use (its cookies are gone).
 */
public final class BrowserSessions implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(BrowserSessions.class);

    /** What {@link #create} did. */
    public sealed interface Created {
        String id();

        /** A new session. */
        record Fresh(String id) implements Created {
        }

        /** The caller had a session of that name already: it is kept as it is (its proxy too). */
        record Existing(String id) implements Created {
        }

        /** As many sessions as allowed exist already. */
        record Full(String id, int max) implements Created {
        }
    }

    private record Key(long owner, String id) {
    }

    private final class Session {
        final Key key;
        final ProxySpec proxy;
        final Instant createdAt;
        final ReentrantLock inUse = new ReentrantLock();
        ContextLease lease;
        Instant lastUsed;
        boolean destroyed;

        Session(Key key, ProxySpec proxy, Instant createdAt) {
            this.key = key;
            this.proxy = proxy;
            this.createdAt = createdAt;
            this.lastUsed = createdAt;
        }

        boolean broken() {
            return lease == null || lease.browserCrashed() || lease.browserGone().isDone()
                    || lease.relay().firstFailure().isDone();
        }
    }

    private final BrowserPool pool;
    private final Clock clock;
    private final int max;
    private final Duration idleTtl;
    /** Guarded by itself; a session being made is in it already (its lease not yet). */
    private final Map<Key, Session> sessions = new LinkedHashMap<>();
    private boolean closed;

    /**
     * @param max     sessions at once; cut to the pool's slots less one
     * @param idleTtl a session unused this long is destroyed by {@link #expire}
     */
    public BrowserSessions(BrowserPool pool, Clock clock, int max, Duration idleTtl) {
        this.pool = Objects.requireNonNull(pool, "pool");
        this.clock = Objects.requireNonNull(clock, "clock");
        int slots = pool.settings().browsers() * pool.settings().contextsPerBrowser();
        this.max = Math.max(0, Math.min(max, slots - 1));
        this.idleTtl = Objects.requireNonNull(idleTtl, "idleTtl");
    }

    /** The user agent the pool's browsers present. */
    public String userAgent() {
        return pool.identity().userAgent();
    }

    /** The most sessions that may exist at once. */
    public int max() {
        return max;
    }

    /**
     * Makes a session for {@code owner} named {@code id} (a random UUID when null) whose pages go through
     * {@code proxy} (directly, address-checked, when null); waits for a free slot of the pool.
     *
     * @throws UnknownHostException  the proxy's host name does not resolve
     * @throws IllegalStateException the pool or the sessions are closed
     */
    public Created create(long owner, String id, ProxySpec proxy) throws InterruptedException, UnknownHostException {
        String name = id == null || id.isBlank() ? UUID.randomUUID().toString() : id;
        Key key = new Key(owner, name);
        Session session;
        synchronized (sessions) {
            if (closed) {
                throw new IllegalStateException("the sessions are closed");
            }
            if (sessions.containsKey(key)) {
                return new Created.Existing(name);
            }
            if (sessions.size() >= max) {
                return new Created.Full(name, max);
            }
            session = new Session(key, proxy, clock.instant());
            session.inUse.lock(); // nobody uses it before its context exists
            sessions.put(key, session);
        }
        try {
            session.lease = open(proxy);
        } catch (InterruptedException | UnknownHostException | RuntimeException e) {
            synchronized (sessions) {
                sessions.remove(key, session);
            }
            session.inUse.unlock();
            throw e;
        }
        release(session);
        log.info("session created for account {} ({} of at most {})", owner, count(), max);
        return new Created.Fresh(name);
    }

    private ContextLease open(ProxySpec proxy) throws InterruptedException, UnknownHostException {
        return proxy == null ? pool.acquireDirect() : pool.acquireThrough(proxy);
    }

    /** The names of {@code owner}'s sessions, oldest first. */
    public List<String> list(long owner) {
        synchronized (sessions) {
            return sessions.keySet().stream().filter(k -> k.owner() == owner).map(Key::id).toList();
        }
    }

    /** Sessions alive now by owner (the account of the key that made them), owners in id order. */
    public java.util.SortedMap<Long, Integer> countByOwner() {
        java.util.SortedMap<Long, Integer> out = new java.util.TreeMap<>();
        synchronized (sessions) {
            sessions.keySet().forEach(k -> out.merge(k.owner(), 1, Integer::sum));
        }
        return out;
    }

    /** Sessions alive now, all owners together. */
    public int count() {
        synchronized (sessions) {
            return sessions.size();
        }
    }

    /**
     * Destroys {@code owner}'s session {@code id}: its context is disposed now, or when the request using it ends.
     * @return false when there was none
     */
    public boolean destroy(long owner, String id) {
        Session session;
        synchronized (sessions) {
            session = sessions.remove(new Key(owner, id));
        }
        if (session == null) {
            return false;
        }
        dispose(session);
        return true;
    }

    private void dispose(Session session) {
        ContextLease lease = null;
        if (session.inUse.tryLock()) {
            try {
                lease = session.lease;
                session.lease = null;
                session.destroyed = true;
            } finally {
                session.inUse.unlock();
            }
        } else {
            synchronized (session) {
                session.destroyed = true; // its user closes it when done
            }
        }
        if (lease != null) {
            lease.close();
        }
    }

    /** A session held by one request at a time: its context, until {@link #close()}. */
    public final class Use implements AutoCloseable {
        private final Session session;

        private Use(Session session) {
            this.session = session;
        }

        public ContextLease lease() {
            return session.lease;
        }

        /** The proxy the session was made with (null: direct). */
        public ProxySpec proxy() {
            return session.proxy;
        }

        @Override
        public void close() {
            release(session);
        }
    }

    /**
     * Takes {@code owner}'s session {@code id} for one request, making it first (through {@code proxy}) when there is
     * none, as FlareSolverr does; made again when it is older than {@code ttl} (when given), or broken. Waits while
     * another request uses it.
     *
     * @throws SessionsFullException as many sessions as allowed exist already
     */
    public Use use(long owner, String id, ProxySpec proxy, Duration ttl)
            throws InterruptedException, UnknownHostException, SessionsFullException {
        Key key = new Key(owner, id);
        while (true) {
            Session session;
            synchronized (sessions) {
                session = sessions.get(key);
            }
            if (session == null) {
                if (create(owner, id, proxy) instanceof Created.Full full) {
                    throw new SessionsFullException(full.max());
                }
                continue;
            }
            session.inUse.lockInterruptibly();
            boolean expired = ttl != null && !clock.instant().isBefore(session.createdAt.plus(ttl));
            if (session.destroyed || session.lease == null) {
                session.inUse.unlock();
                continue; // destroyed meanwhile: look again (and make it anew)
            }
            if (expired || session.broken()) {
                log.info("session of account {} made again: {}", owner, expired ? "older than its ttl" : "broken");
                session.inUse.unlock();
                synchronized (sessions) {
                    sessions.remove(key, session);
                }
                dispose(session);
                proxy = session.proxy; // fixed at creation
                continue;
            }
            return new Use(session);
        }
    }

    /** Thrown by {@link #use} when a session would have to be made and no more may be. */
    public static final class SessionsFullException extends Exception {
        public SessionsFullException(int max) {
            super("no more than " + max + " sessions may exist at once; destroy one first");
        }
    }

    private void release(Session session) {
        ContextLease toClose = null;
        synchronized (session) {
            session.lastUsed = clock.instant();
            if (session.destroyed && session.lease != null) {
                toClose = session.lease;
                session.lease = null;
            }
        }
        session.inUse.unlock();
        if (toClose != null) {
            toClose.close();
        }
    }

    /** Destroys the sessions not used for {@code idleTtl} (those in use are left alone). @return how many */
    public int expire() {
        Instant now = clock.instant();
        List<Session> idle = new ArrayList<>();
        synchronized (sessions) {
            for (Session s : List.copyOf(sessions.values())) {
                boolean stale;
                synchronized (s) {
                    stale = !now.isBefore(s.lastUsed.plus(idleTtl));
                }
                if (stale && !s.inUse.isLocked()) {
                    sessions.remove(s.key);
                    idle.add(s);
                }
            }
        }
        idle.forEach(this::dispose);
        if (!idle.isEmpty()) {
            log.info("{} session(s) destroyed after {} unused", idle.size(), idleTtl);
        }
        return idle.size();
    }

    /** Destroys every session. */
    @Override
    public void close() {
        List<Session> all;
        synchronized (sessions) {
            closed = true;
            all = List.copyOf(sessions.values());
            sessions.clear();
        }
        all.forEach(this::dispose);
    }
}
