package dev.turnpike.server.browser.pool;

/**
 * What the warm-context choice reads of one browser: its slot counts, nothing of Chromium. {@link PooledBrowser}
 * answers under the pool's lock; tests answer with plain numbers.
 */
interface SlotCounts {

    /** Slots of running tasks, counted from the moment they are reserved. */
    int busy();

    /** Warm contexts ready, of this kind. */
    int warmOf(ContextKind kind);

    /** Warm contexts ready, of every kind. */
    int warmTotal();

    /** Warm contexts being made, of this kind. */
    int warming(ContextKind kind);

    /** Warm contexts being made, of every kind. */
    int warmingTotal();

    /** The kind its next warm contexts are made of: that of the last task given a slot there. */
    ContextKind warmKind();
}
