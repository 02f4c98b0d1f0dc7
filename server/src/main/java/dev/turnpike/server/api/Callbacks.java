package dev.turnpike.server.api;

import dev.turnpike.server.net.AddressPolicy;
import dev.turnpike.server.task.Task;
import dev.turnpike.server.task.Tasks;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a task's {@code getTaskResult} body to its {@code callbackUrl} when it ends (PROTOCOL.md §3.1): once,
 * fire-and-forget, with a short timeout, no retries. The address policy is checked again just before sending,
 * because the name may resolve elsewhere now than at createTask.
 */
public final class Callbacks implements Tasks.EndListener, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Callbacks.class);

    private final AddressPolicy policy;
    private final Duration timeout;
    private final HttpClient client;

    public Callbacks(AddressPolicy policy, Duration timeout) {
        this.policy = policy;
        this.timeout = timeout;
        this.client = HttpClient.newBuilder()
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(Executors.newVirtualThreadPerTaskExecutor())
                .build();
    }

    @Override
    public void taskEnded(Task task) {
        URI url = task.callbackUrl();
        if (url == null) {
            return;
        }
        AddressPolicy.Decision decision = policy.check(url.getHost());
        if (!decision.allowed()) {
            log.warn("task {}: callback not sent: {}", task.id(), decision.explanation());
            return;
        }
        byte[] body;
        try {
            body = Json.MAPPER.writeValueAsBytes(TaskResults.answer(task));
        } catch (IOException e) {
            log.warn("task {}: callback not sent: {}", task.id(), e.toString());
            return;
        }
        HttpRequest request = HttpRequest.newBuilder(url)
                .timeout(timeout)
                .header("Content-Type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        client.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, error) -> {
            if (error != null) {
                log.info("task {}: callback to {} failed: {}", task.id(), url.getHost(), error.toString());
            } else {
                log.debug("task {}: callback answered {}", task.id(), response.statusCode());
            }
        });
    }

    @Override
    public void close() {
        client.close();
    }
}
