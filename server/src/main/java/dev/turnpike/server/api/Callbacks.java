package dev.turnpike.server.api;

import dev.turnpike.server.net.AddressPolicy;
import dev.turnpike.server.net.CheckedDialer;
import dev.turnpike.server.net.RefusedAddressException;
import dev.turnpike.server.task.Dialect;
import dev.turnpike.server.task.Task;
import dev.turnpike.server.task.Tasks;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a task's {@code getTaskResult} body to its {@code callbackUrl} when it ends (PROTOCOL.md §3.1), or the
 * {@link CallbackForm} of the dialect it was created in (2Captcha's {@code pingback}, §9): once,
 * fire-and-forget, with a short timeout, no retries. The connection is opened by the {@link CheckedDialer}: the name
 * is resolved again when the task ends (it may point elsewhere now than at createTask), judged, and the result goes
 * to the address judged, never to a later lookup of the name.
 */
public final class Callbacks implements Tasks.EndListener, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Callbacks.class);

    private final CallbackPost post;
    private final Executor sending;
    private final ExecutorService owned;
    private final Map<Dialect, CallbackForm> forms = new EnumMap<>(Dialect.class);

    /** Sends on virtual threads of its own, the JSON task protocol's callbacks only. */
    public Callbacks(AddressPolicy policy, Duration timeout) {
        this(policy, timeout, Map.of());
    }

    /** Sends on virtual threads of its own; {@code otherForms}: the callbacks of the other dialects. */
    public Callbacks(AddressPolicy policy, Duration timeout, Map<Dialect, CallbackForm> otherForms) {
        this(new CheckedDialer(policy), timeout, Executors.newVirtualThreadPerTaskExecutor());
        forms.putAll(otherForms);
    }

    /** @param sending where a callback is sent (not the thread that ended the task) */
    public Callbacks(CheckedDialer dialer, Duration timeout, Executor sending) {
        this.forms.put(Dialect.CREATE_TASK, CallbackForm.TASK_RESULT);
        this.post = new CallbackPost(dialer, timeout);
        this.sending = sending;
        this.owned = sending instanceof ExecutorService service ? service : null;
    }

    @Override
    public void taskEnded(Task task) {
        URI url = task.callbackUrl();
        CallbackForm form = forms.get(task.dialect());
        if (url == null || form == null) {
            return;
        }
        byte[] body;
        try {
            body = form.body(task);
        } catch (IOException e) {
            log.warn("task {}: callback not sent: {}", task.id(), e.toString());
            return;
        }
        sending.execute(() -> send(task, url, form.contentType(), body));
    }

    private void send(Task task, URI url, String contentType, byte[] body) {
        try {
            log.debug("task {}: callback answered {}", task.id(), post.send(url, contentType, body));
        } catch (RefusedAddressException e) {
            log.warn("task {}: callback not sent: {}", task.id(), e.decision().explanation());
        } catch (IOException | RuntimeException e) {
            log.info("task {}: callback to {} failed: {}", task.id(), url.getHost(), e.toString());
        }
    }

    @Override
    public void close() {
        if (owned != null) {
            owned.shutdownNow();
        }
    }
}
