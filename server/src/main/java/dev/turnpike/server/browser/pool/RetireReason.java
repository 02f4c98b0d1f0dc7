package dev.turnpike.server.browser.pool;

/** Why a browser left the pool. Every retired browser has exactly one. */
public enum RetireReason {
    /** It served its number of tasks. */
    TASKS,
    /** It reached its age limit (plus jitter). */
    AGE,
    /** Its process tree's memory passed the cap. */
    MEMORY,
    /** Its process exited or its DevTools connection dropped without us asking. */
    CRASHED,
    /** It had no task for the idle time, and the pool had more browsers than its minimum (an elastic pool). */
    IDLE,
    /** It stopped answering DevTools commands the pool needs (e.g. disposing a context). */
    UNHEALTHY,
    /** The pool closed. */
    SHUTDOWN
}
