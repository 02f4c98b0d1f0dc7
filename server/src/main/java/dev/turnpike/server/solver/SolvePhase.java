package dev.turnpike.server.solver;

import java.util.Locale;

/** The steps a browser solve goes through, timed one after the other so an operator sees where the time goes. */
public enum SolvePhase {
    /**
     * Waiting for an identical challenge task's solve in flight (same site, proxy and user agent), before taking a
     * context; only tasks that waited report it.
     */
    CLEARANCE_WAIT,
    /** Taking a slot and a browser context (a warm one when ready; for a proxy, one on a relay bound to it). */
    CONTEXT,
    /**
     * Learning the exit country of the task's proxy ({@code /cdn-cgi/trace} through it, once per proxy while known) and
     * presenting its time zone and languages; nothing to wait for when the exit is known. Only tasks with a proxy
     * report it.
     */
    IDENTITY,
    /**
     * Listeners and interception sent to the context before it navigates (their answers are awaited behind the
     * navigation, so this is the time to send them).
     */
    PREPARE,
    /** Navigation to {@code websiteURL}, up to its commit (the load is not waited for); the preparation's answers too. */
    NAVIGATE,
    /** From the end of the navigation to the widget's token. */
    WIDGET,
    /** From navigation start to a cleared page (the challenge, its refreshes and the redirect). */
    CHALLENGE,
    /** Reading the cookies, headers and body the solution reports. */
    SOLUTION,
    /** The {@code rqData} POST from the cleared context. */
    RQDATA;

    /** The metric label. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
