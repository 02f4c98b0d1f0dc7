package dev.turnpike.protocol;

import java.util.List;

/** The method paths of the protocol (PROTOCOL.md §3), case-sensitive, each {@code POST /<method>}. */
public final class Methods {
    /** Creates a task and answers its id at once. */
    public static final String CREATE_TASK = "createTask";
    /** Creates a task and answers when it ends, as {@code getTaskResult} would then. */
    public static final String CREATE_SYNC_TASK = "createSyncTask";
    /** A task's state: processing, ready with its solution, or its error. */
    public static final String GET_TASK_RESULT = "getTaskResult";
    /** The account's available points. */
    public static final String GET_BALANCE = "getBalance";
    /** How busy the service is. */
    public static final String GET_QUEUE_STATS = "getQueueStats";
    /** Reports: recorded as a quality signal, never refunded automatically. */
    public static final List<String> REPORTS = List.of("reportCorrect", "reportIncorrect", "reportIncorrectRecaptcha",
            "reportIncorrectHcaptcha", "reportCorrectRecaptcha", "reportIncorrectTokenCaptcha");

    private Methods() {
    }
}
