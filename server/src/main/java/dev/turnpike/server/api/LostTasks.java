package dev.turnpike.server.api;

import dev.turnpike.server.account.AbandonedTask;
import dev.turnpike.server.task.TaskId;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The tasks an embedded server was running when it was killed (their holds were found and released at this start):
 * they did not survive it, and {@code getTaskResult} says so to their owners instead of "unknown task". Held for the
 * life of the process; there are at most as many as the queue held.
 */
public final class LostTasks {

    /** Where tasks survive a restart (a cluster's shared queue). */
    public static final LostTasks NONE = new LostTasks(Map.of());

    private final Map<Long, Long> ownerByTask;

    private LostTasks(Map<Long, Long> ownerByTask) {
        this.ownerByTask = ownerByTask;
    }

    public static LostTasks of(List<AbandonedTask> abandoned) {
        return new LostTasks(abandoned.stream()
                .collect(Collectors.toUnmodifiableMap(AbandonedTask::taskId, AbandonedTask::accountId, (a, b) -> a)));
    }

    /** Whether {@code task} of {@code accountId} was lost when the previous run stopped. */
    public boolean lost(TaskId task, long accountId) {
        Long owner = ownerByTask.get(task.value());
        return owner != null && owner == accountId;
    }
}
