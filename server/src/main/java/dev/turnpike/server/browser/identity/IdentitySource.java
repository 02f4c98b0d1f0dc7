package dev.turnpike.server.browser.identity;

/** Whose time zone and languages a context presents. */
public enum IdentitySource {
    /** The country of the task's proxy exit, learnt from {@code /cdn-cgi/trace} through that proxy. */
    PROXY,
    /** This machine's own: a task without a proxy, or a proxy whose country could not be learnt. */
    MACHINE
}
