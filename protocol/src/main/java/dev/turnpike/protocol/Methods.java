package dev.turnpike.protocol;

import java.util.List;

/** The method paths of the protocol (PROTOCOL.md §3), case-sensitive, each {@code POST /<method>}. */
public final class Methods {
    public static final String CREATE_TASK = "createTask";
    public static final String CREATE_SYNC_TASK = "createSyncTask";
    public static final String GET_TASK_RESULT = "getTaskResult";
    public static final String GET_BALANCE = "getBalance";
    public static final String GET_QUEUE_STATS = "getQueueStats";
    /** Reports: recorded as a quality signal, never refunded automatically. */
    public static final List<String> REPORTS = List.of("reportCorrect", "reportIncorrect", "reportIncorrectRecaptcha",
            "reportIncorrectHcaptcha", "reportCorrectRecaptcha", "reportIncorrectTokenCaptcha");

    private Methods() {
    }
}
