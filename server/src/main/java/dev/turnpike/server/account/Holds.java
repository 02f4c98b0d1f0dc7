package dev.turnpike.server.account;

/**
 * The points a task holds while it runs (PROTOCOL.md §8): held at creation, captured when ready, released when it
 * fails. Each is one ledger entry written in the same transaction as the balance change; each happens at most
 * once per task, so calling capture or release again does nothing.
 */
public interface Holds {

    /** Holds {@code points} for a task if the account has that many available. @return whether it did */
    boolean hold(long accountId, long taskId, long points);

    /** Charges the held points. @return whether there was a hold to capture */
    default boolean capture(long taskId) {
        return capture(taskId, Long.MAX_VALUE);
    }

    /**
     * Charges {@code points} of the hold (at most what is held) and gives the rest back, in one ledger entry.
     * @return whether there was a hold to capture
     */
    boolean capture(long taskId, long points);

    /** Gives the held points back. @return whether there was a hold to release */
    boolean release(long taskId, String note);

    /**
     * Releases the holds of tasks left by a node that stopped without ending them (tasks do not survive a
     * restart in embedded mode, so their points would stay held forever). @return the tasks whose holds were released
     */
    java.util.List<AbandonedTask> releaseAbandoned(int nodeId);
}
