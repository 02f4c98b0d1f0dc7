package dev.turnpike.server.solver;

import dev.turnpike.server.browser.identity.RegionalIdentity;
import dev.turnpike.server.task.Solution;
import java.util.Locale;

/** What a context presented, as the solution reports it ({@code solution.identity}, PROTOCOL.md §4). */
public final class PresentedIdentity {

    private PresentedIdentity() {
    }

    public static Solution.Identity of(RegionalIdentity region) {
        return new Solution.Identity(region.ip(), region.country(), region.timeZone(), region.languages(),
                region.source().name().toLowerCase(Locale.ROOT),
                region.fallback() == null ? null : region.fallback().code());
    }

    /** The solution with what its context presented. */
    public static Solution attach(Solution solution, RegionalIdentity region) {
        return switch (solution) {
            case Solution.Turnstile t -> t.withIdentity(of(region));
            case Solution.Challenge c -> c.withIdentity(of(region));
            case Solution.Page p -> p; // FlareSolverr's answer has no field for it (PROTOCOL.md §10.3)
        };
    }
}
