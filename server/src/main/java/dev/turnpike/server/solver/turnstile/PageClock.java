package dev.turnpike.server.solver.turnstile;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/**
 * Full mode's patience with a page that has not shown a widget of the task's sitekey yet, counted from the page's
 * commit and load: what is due when. Every step is due once (the fallback may be put off once, for a page that
 * loads api.js); once a widget of the sitekey has started, nothing is. So a page without such a widget ends (with
 * the fallback's token or a clear error) within 15 s of its commit.
 */
final class PageClock {

    /** How long after its commit a page may go on loading while it shows no widget of the sitekey. */
    static final Duration LOAD_PATIENCE = Duration.ofSeconds(10);
    /** After the load: time for the page's own script to start its widgets before we start those waiting to execute. */
    static final Duration EXECUTE_AFTER = Duration.ofSeconds(1);
    /** After the load: how long the page has to show its own widget of the sitekey before we render one. */
    static final Duration FALLBACK_AFTER = Duration.ofSeconds(4);
    /**
     * After the load: how long a page that loads Cloudflare's api.js (a sign it renders a widget, however late) has
     * to show its widget of the sitekey before we render one or fail.
     */
    static final Duration LATE_RENDER_PATIENCE = Duration.ofSeconds(10);
    /** ...but never past this long after the commit: a page without the widget still ends well within 15 s. */
    static final Duration LATE_RENDER_BOUND = Duration.ofSeconds(10);
    /** How long the widget we rendered has to start. */
    static final Duration FALLBACK_PATIENCE = Duration.ofSeconds(6);

    /** What is due now. */
    enum Due {
        NOTHING,
        /** Start the page's widgets that wait for {@code turnstile.execute}. */
        EXECUTE,
        /** Render our own widget, or fail if the page shows widgets of other sitekeys only. */
        FALLBACK,
        /** The page still loads after {@link #LOAD_PATIENCE}. */
        UNLOADED,
        /** Our own widget did not start within {@link #FALLBACK_PATIENCE}. */
        FALLBACK_SILENT
    }

    private final Instant committedAt;
    private final CompletableFuture<?> loaded;
    private Instant loadedAt;
    private Instant fallbackAt;
    private Instant fallbackDue;
    private boolean postponed;
    private boolean unloadedSaid;
    private boolean executeSaid;
    private boolean fallbackSaid;
    private boolean started;

    PageClock(Instant committedAt, CompletableFuture<?> loaded) {
        this.committedAt = committedAt;
        this.loaded = loaded;
    }

    Due due(Instant now) {
        if (started) {
            return Due.NOTHING;
        }
        if (loadedAt == null) {
            if (loaded.isDone()) {
                loadedAt = now;
            } else if (!unloadedSaid && !now.isBefore(committedAt.plus(LOAD_PATIENCE))) {
                unloadedSaid = true;
                return Due.UNLOADED;
            } else {
                return Due.NOTHING;
            }
        }
        if (!executeSaid && !now.isBefore(loadedAt.plus(EXECUTE_AFTER))) {
            executeSaid = true;
            return Due.EXECUTE;
        }
        if (fallbackDue == null) {
            fallbackDue = loadedAt.plus(FALLBACK_AFTER);
        }
        if (!fallbackSaid && !now.isBefore(fallbackDue)) {
            fallbackSaid = true;
            return Due.FALLBACK;
        }
        if (fallbackAt != null && !now.isBefore(fallbackAt.plus(FALLBACK_PATIENCE))) {
            fallbackAt = null;
            return Due.FALLBACK_SILENT;
        }
        return Due.NOTHING;
    }

    /**
     * The fallback is due but the page shows signs of rendering its own widget still: the fallback is due again
     * {@link #LATE_RENDER_PATIENCE} after the load, at the latest {@link #LATE_RENDER_BOUND} after the commit. Once.
     *
     * @return whether it was put off (false: it is due now)
     */
    boolean postponeFallback(Instant now) {
        if (postponed || loadedAt == null) {
            return false;
        }
        postponed = true;
        Instant later = loadedAt.plus(LATE_RENDER_PATIENCE);
        Instant bound = committedAt.plus(LATE_RENDER_BOUND);
        later = later.isBefore(bound) ? later : bound;
        if (!later.isAfter(now)) {
            return false;
        }
        fallbackDue = later;
        fallbackSaid = false;
        return true;
    }

    /** We rendered our own widget at {@code now}: it has {@link #FALLBACK_PATIENCE} to start. */
    void fallbackRendered(Instant now) {
        fallbackAt = now;
    }

    /** Whether a widget of the task's sitekey started: nothing is due any more. */
    boolean settled() {
        return started;
    }

    /** A widget of the task's sitekey started (or is known to be there): nothing more is due. */
    void widgetStarted() {
        started = true;
    }
}
