package dev.turnpike.server.browser.pool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.server.browser.pool.WarmContextPolicy.Choice;
import dev.turnpike.server.browser.pool.WarmContextPolicy.Replenish;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The pool's choice of a slot and of the next warm context, on slot counts alone: no browser runs here. */
class WarmContextPolicyTest {

    private static final ContextKind DIRECT = ContextKind.DIRECT;
    private static final ContextKind PROXIED = ContextKind.PROXIED;

    /** Four slots per browser, two warm contexts wanted. */
    private final WarmContextPolicy policy = new WarmContextPolicy(4, 2);

    /** One browser's counts, as plain numbers. */
    private record Browser(String name, int busy, Map<ContextKind, Integer> warm, Map<ContextKind, Integer> warming,
                           ContextKind warmKind) implements SlotCounts {
        @Override
        public int warmOf(ContextKind kind) {
            return warm.getOrDefault(kind, 0);
        }

        @Override
        public int warmTotal() {
            return warm.values().stream().mapToInt(Integer::intValue).sum();
        }

        @Override
        public int warming(ContextKind kind) {
            return warming.getOrDefault(kind, 0);
        }

        @Override
        public int warmingTotal() {
            return warming.values().stream().mapToInt(Integer::intValue).sum();
        }
    }

    private static Browser browser(String name, int busy, Map<ContextKind, Integer> warm) {
        return new Browser(name, busy, warm, Map.of(), DIRECT);
    }

    @Test
    void aTaskTakesAWarmContextOfItsKindOnTheLeastBusyBrowser() {
        Browser busy = browser("busy", 2, Map.of(DIRECT, 1));
        Browser quiet = browser("quiet", 0, Map.of(DIRECT, 1));
        Browser otherKind = browser("other", 0, Map.of(PROXIED, 2));

        assertThat(policy.choose(List.of(busy, quiet, otherKind), DIRECT, 0))
                .isEqualTo(new Choice.TakeWarm<>(quiet));
    }

    @Test
    void aTaskWaitsForAWarmContextBeingMadeUnlessAnotherWaitingTaskCountsOnIt() {
        Browser making = new Browser("making", 1, Map.of(), Map.of(DIRECT, 1), DIRECT);

        assertThat(policy.choose(List.of(making), DIRECT, 0)).isEqualTo(new Choice.AwaitWarm<>());
        assertThat(policy.choose(List.of(making), DIRECT, 1)).isEqualTo(new Choice.TakeFree<>(making));
    }

    @Test
    void withoutAWarmContextATaskTakesAFreeSlotOnTheLeastBusyBrowser() {
        Browser full = browser("full", 4, Map.of());
        Browser half = browser("half", 2, Map.of());
        Browser one = browser("one", 1, Map.of());

        assertThat(policy.choose(List.of(full, half, one), PROXIED, 0)).isEqualTo(new Choice.TakeFree<>(one));
    }

    @Test
    void withNoFreeSlotATaskTakesTheSlotOfAWarmContextOfTheOtherKind() {
        Browser warmDirect = browser("warm-direct", 2, Map.of(DIRECT, 2));

        assertThat(policy.choose(List.of(warmDirect), PROXIED, 0)).isEqualTo(new Choice.Evict<>(warmDirect));
        assertThat(policy.choose(List.of(browser("full", 4, Map.of())), PROXIED, 0))
                .isEqualTo(new Choice.AwaitSlot<>());
        assertThat(policy.choose(List.of(), DIRECT, 0)).isEqualTo(new Choice.AwaitSlot<>());
    }

    @Test
    void theWarmQueueFillsWithTheKindOfTheLastTaskUpToTheWantedCount() {
        assertThat(policy.replenish(new Browser("empty", 0, Map.of(), Map.of(), PROXIED))).isEqualTo(Replenish.MAKE);
        assertThat(policy.replenish(new Browser("one-making", 0, Map.of(PROXIED, 1), Map.of(PROXIED, 1), PROXIED)))
                .isEqualTo(Replenish.NOTHING);
    }

    @Test
    void aWarmContextOfTheKindTasksNoLongerTakeGivesItsPlace() {
        Browser stale = new Browser("stale", 2, Map.of(DIRECT, 2), Map.of(), PROXIED);
        Browser fullOfWork = new Browser("busy", 4, Map.of(), Map.of(), PROXIED);

        assertThat(policy.replenish(stale)).isEqualTo(Replenish.REPLACE_OTHER_KIND);
        assertThat(policy.replenish(fullOfWork)).isEqualTo(Replenish.NOTHING);
    }
}
