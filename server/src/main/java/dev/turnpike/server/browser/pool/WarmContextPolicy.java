package dev.turnpike.server.browser.pool;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Which slot a task takes, and whether a browser's warm queue wants another context: the pool's choices, made on
 * slot counts alone (no Chromium), under the pool's lock.
 *
 * <ul>
 *   <li>A warm context of the task's kind, on the least busy browser, when one is ready.</li>
 *   <li>Else, while a context of its kind is being made that no other waiting task counts on, wait for it: it is
 *       ready sooner than one this task would start now.</li>
 *   <li>Else a free slot on the least busy browser.</li>
 *   <li>Else the slot of a warm context of the other kind (the oldest, disposed), on the least busy browser: without
 *       it, warm contexts of one kind would keep the other kind's tasks waiting for good.</li>
 *   <li>Else wait.</li>
 * </ul>
 *
 * A browser's warm queue follows the kind of its last task: another context is made while fewer than
 * {@code warmContexts} of that kind are ready or being made, in a free slot, or in the place of a warm context of
 * the other kind when there is none.
 */
final class WarmContextPolicy {

    /** Where a task goes. */
    sealed interface Choice<B> {
        /** Take a ready warm context of the task's kind on this browser. */
        record TakeWarm<B>(B browser) implements Choice<B> {
        }

        /** Take a free slot on this browser and make a context there. */
        record TakeFree<B>(B browser) implements Choice<B> {
        }

        /** Dispose of this browser's oldest warm context of the other kind and take its slot. */
        record Evict<B>(B browser) implements Choice<B> {
        }

        /** Wait for a warm context of the task's kind being made; count on it. */
        record AwaitWarm<B>() implements Choice<B> {
        }

        /** Nothing to take: wait until a slot frees. */
        record AwaitSlot<B>() implements Choice<B> {
        }
    }

    /** What a browser's warm queue wants next. */
    enum Replenish {
        /** Enough contexts of its kind ready or being made, or no room. */
        NOTHING,
        /** Make one in a free slot. */
        MAKE,
        /** Dispose of the oldest warm context of another kind, then make one in its place. */
        REPLACE_OTHER_KIND
    }

    private final int contextsPerBrowser;
    private final int warmContexts;

    WarmContextPolicy(int contextsPerBrowser, int warmContexts) {
        this.contextsPerBrowser = contextsPerBrowser;
        this.warmContexts = warmContexts;
    }

    /**
     * @param ready    the browsers that take tasks now
     * @param kind     the task's kind
     * @param awaiting tasks already waiting for a warm context of that kind being made
     */
    <B extends SlotCounts> Choice<B> choose(List<B> ready, ContextKind kind, int awaiting) {
        Optional<B> warm = leastBusy(ready, b -> b.warmOf(kind) > 0);
        if (warm.isPresent()) {
            return new Choice.TakeWarm<>(warm.get());
        }
        if (ready.stream().mapToInt(b -> b.warming(kind)).sum() > awaiting) {
            return new Choice.AwaitWarm<>();
        }
        Optional<B> free = leastBusy(ready, b -> free(b) > 0);
        if (free.isPresent()) {
            return new Choice.TakeFree<>(free.get());
        }
        Optional<B> otherKind = leastBusy(ready, b -> b.warmOf(kind) < b.warmTotal());
        if (otherKind.isPresent()) {
            return new Choice.Evict<>(otherKind.get());
        }
        return new Choice.AwaitSlot<>();
    }

    /** What the warm queue of a browser that takes tasks wants next. */
    Replenish replenish(SlotCounts browser) {
        ContextKind kind = browser.warmKind();
        if (browser.warmOf(kind) + browser.warming(kind) >= warmContexts) {
            return Replenish.NOTHING;
        }
        if (free(browser) <= 0 || browser.warmTotal() + browser.warmingTotal() >= warmContexts) {
            // A warm context of the kind tasks no longer take gives its place, else it would hold it for good.
            return browser.warmTotal() > browser.warmOf(kind) ? Replenish.REPLACE_OTHER_KIND : Replenish.NOTHING;
        }
        return Replenish.MAKE;
    }

    /** Slots neither running a task nor holding or making a warm context. */
    int free(SlotCounts browser) {
        return contextsPerBrowser - browser.busy() - browser.warmingTotal() - browser.warmTotal();
    }

    private static <B extends SlotCounts> Optional<B> leastBusy(List<B> browsers,
                                                                java.util.function.Predicate<B> eligible) {
        return browsers.stream().filter(eligible).min(Comparator.comparingInt(SlotCounts::busy));
    }
}
