package dev.turnpike.lab.origin;

/**
 * The strict mode's say on a challenge page (LAB.md L5): whether a host's pages collect signals, and whether a
 * solve's signals pass. A solve that does not pass is refused like any other, so the page loops.
 */
public interface SolveScreen {

    /** No host is strict. */
    SolveScreen NONE = new SolveScreen() {
        @Override
        public boolean screens(String host) {
            return false;
        }

        @Override
        public boolean passes(OriginHost host, OriginRequest request, String signals) {
            return true;
        }
    };

    /** Whether the challenge pages of {@code host} collect signals. */
    boolean screens(String host);

    /** Whether the signals a solve carried ({@code strict} form field; null when absent) pass. */
    boolean passes(OriginHost host, OriginRequest request, String signals);
}
