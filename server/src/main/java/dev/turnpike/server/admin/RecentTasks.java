package dev.turnpike.server.admin;

import dev.turnpike.server.task.Task;
import dev.turnpike.server.task.Tasks;
import dev.turnpike.server.task.TaskState;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The last tasks that ended, and apart from them the last failures with their reasons, for the status page.
 * Nothing secret: the key's prefix (what the logs show), never the key; no solution; descriptions with any
 * {@code user:password@} removed from URLs.
 */
public final class RecentTasks implements Tasks.EndListener {

    /**
     * One ended task as the status page shows it.
     *
     * @param dialect   the API method it was created with ({@code createTask}, {@code in.php})
     * @param reason    the failure reason, "" when ready
     * @param errorCode what the client was told, "" when ready
     */
    public record Ended(String taskId, String type, String dialect, String outcome, String reason, String errorCode,
                        String description, String keyPrefix, long endedAtMs, long durationMs) {
    }

    private static final Pattern USER_INFO = Pattern.compile("(?i)\\b([a-z][a-z0-9+.-]*://)[^/@\\s]*@");
    private final int latestKept;
    private final int failuresKept;
    private final Deque<Ended> latest = new ArrayDeque<>();
    private final Deque<Ended> failures = new ArrayDeque<>();

    public RecentTasks(int latestKept, int failuresKept) {
        this.latestKept = latestKept;
        this.failuresKept = failuresKept;
    }

    @Override
    public void taskEnded(Task task) {
        TaskState state = task.state();
        long took = Duration.between(task.createdAt(), state.endedAt()).toMillis();
        Ended ended;
        if (state instanceof TaskState.Failed failed) {
            ended = new Ended(task.id().toString(), task.type().wireName(), task.dialect().label(), "failed", failed.reason().name(),
                    failed.reason().errorCode().name(), redact(failed.description()), task.keyPrefix(),
                    failed.endedAt().toEpochMilli(), took);
        } else {
            ended = new Ended(task.id().toString(), task.type().wireName(), task.dialect().label(), "ready", "", "", "", task.keyPrefix(),
                    state.endedAt().toEpochMilli(), took);
        }
        synchronized (this) {
            push(latest, ended, latestKept);
            if (state instanceof TaskState.Failed) {
                push(failures, ended, failuresKept);
            }
        }
    }

    private static void push(Deque<Ended> ring, Ended ended, int kept) {
        ring.addFirst(ended);
        if (ring.size() > kept) {
            ring.removeLast();
        }
    }

    /** The latest ended tasks, newest first. */
    public synchronized List<Ended> latest() {
        return new ArrayList<>(latest);
    }

    /** The latest failures, newest first. */
    public synchronized List<Ended> failures() {
        return new ArrayList<>(failures);
    }

    /** Removes credentials from URLs in a text ({@code http://user:pw@host} → {@code http://***@host}). */
    static String redact(String text) {
        return text == null ? "" : USER_INFO.matcher(text).replaceAll("$1***@");
    }
}
