package dev.turnpike.client;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.turnpike.protocol.ErrorCode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadFactory;

/**
 * A client of the Turnpike task protocol, for Turnpike or any service that speaks it (YesCaptcha, EZ-Captcha,
 * Anti-Captcha, CapSolver, CapMonster). Thread-safe; build one per service and share it.
 *
 * <pre>{@code
 * try (TurnpikeClient client = TurnpikeClient.builder()
 *         .baseUrl(URI.create("http://127.0.0.1:8080")).clientKey(key).build()) {
 *     String token = client.solveTurnstile(url, sitekey, TurnstileOptions.none()).token();
 * }
 * }</pre>
 *
 * <p><b>Polling</b> follows the rules clients of these services follow: the first {@code /getTaskResult} after
 * {@code firstPollDelay} (3 s), then every {@code pollInterval} (3 s), giving up after {@code maxWait} (130 s,
 * the server's own 120 s limit plus a margin) with {@code ERROR_TASK_TIMEOUT}. A poll that fails in transport or
 * answers {@code ERROR_SERVICE_UNAVALIABLE} is simply followed by the next one. Polling never creates the task
 * again.
 *
 * <p><b>Retries.</b> {@code getBalance} and {@code getTaskResult} are retried with doubling backoff (up to
 * {@code maxRetries} times) on I/O failures, HTTP 429/5xx and {@code ERROR_SERVICE_UNAVALIABLE}. {@code createTask}
 * is retried only when the service surely did not act on it — the connection was refused or not made in time,
 * HTTP 429 or 503, or {@code ERROR_SERVICE_UNAVALIABLE} — and never after a read timeout or a lost answer: that
 * request may have created a task that holds points, and a second one would hold them twice.
 *
 * <p><b>Futures.</b> The {@code ...Async} methods run on a virtual thread. Cancelling the returned future
 * interrupts it, which stops the polling at once; it cannot un-create a task already created (the service
 * releases its points when the task ends unsolved, or charges them if it is solved). Cancel the future this
 * client returned: cancelling one derived from it with {@code thenApply} and the like does not reach it.
 */
public final class TurnpikeClient implements AutoCloseable {

    /** How long one HTTP call may take by default, answer included. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);
    /** The default connect timeout of the HTTP client this client makes. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** The first poll comes this long after the task was created (the clients' rule). */
    public static final Duration DEFAULT_FIRST_POLL_DELAY = Duration.ofSeconds(3);
    /** Then a poll every this long. */
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(3);
    /** Polling gives up after this long: past the server's own 120 s limit. */
    public static final Duration DEFAULT_MAX_WAIT = Duration.ofSeconds(130);
    /** Retries of one call after its first attempt. */
    public static final int DEFAULT_MAX_RETRIES = 3;
    /** The first retry's delay; it doubles per retry. */
    public static final Duration DEFAULT_RETRY_BACKOFF = Duration.ofMillis(500);
    /** Backoff doubles per retry up to this, so a long outage is probed every few seconds, not minutes. */
    private static final Duration MAX_RETRY_BACKOFF = Duration.ofSeconds(8);

    private final URI baseUrl;
    private final String clientKey;
    private final Duration firstPollDelay;
    private final Duration pollInterval;
    private final Duration maxWait;
    private final int maxRetries;
    private final Duration retryBackoff;
    private final Clock clock;
    private final Sleeper sleeper;
    private final HttpClient ownedHttp;
    private final Exchange exchange;
    /** Decimals stay exact: balances and costs of other services are in dollars. */
    private final ObjectMapper json =
            JsonMapper.builder().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();
    private final ThreadFactory workers = Thread.ofVirtual().name("turnpike-client-", 0).factory();

    private TurnpikeClient(Builder b) {
        this.baseUrl = b.baseUrl;
        this.clientKey = b.clientKey;
        this.firstPollDelay = b.firstPollDelay;
        this.pollInterval = b.pollInterval;
        this.maxWait = b.maxWait;
        this.maxRetries = b.maxRetries;
        this.retryBackoff = b.retryBackoff;
        this.clock = b.clock;
        this.sleeper = b.sleeper;
        this.ownedHttp = b.httpClient == null ? HttpClient.newBuilder().connectTimeout(b.connectTimeout).build() : null;
        this.exchange = new Exchange(b.httpClient != null ? b.httpClient : ownedHttp, baseUrl, b.requestTimeout, json);
    }

    /**
     * A builder; {@link Builder#baseUrl} and {@link Builder#clientKey} are required.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The account's balance: points for Turnpike, the service's currency elsewhere (hence a decimal).
     *
     * @return the balance available
     * @throws TurnpikeException when the service answers an error or cannot be reached
     */
    public BigDecimal getBalance() {
        return blocking(() -> AnswerReader.balance(call("getBalance", request(), true, null)));
    }

    /**
     * Creates a task and returns its id at once; see the class comment for when it is sent again.
     *
     * @param task the task
     * @return its id, as the service gave it
     * @throws TurnpikeException when the service refuses it or cannot be reached
     */
    public TaskId createTask(TaskRequest task) {
        Objects.requireNonNull(task, "task");
        return blocking(() -> create(task));
    }

    /**
     * Asks once (with transport retries) how the task is doing; a failed task throws its error.
     *
     * @param taskId the task
     * @return {@link TaskResult.Processing} or {@link TaskResult.Ready}
     * @throws TurnpikeException when the task failed, or the service answers an error or cannot be reached
     */
    public TaskResult getTaskResult(TaskId taskId) {
        Objects.requireNonNull(taskId, "taskId");
        return blocking(() -> AnswerReader.taskResult(call("getTaskResult", resultRequest(taskId), true, taskId),
                taskId));
    }

    /**
     * Polls an existing task until it is ready, by the polling rules, for at most {@code maxWait} from now. Use it
     * to keep waiting for a task whose earlier wait gave up ({@link TurnpikeException#taskId()}).
     *
     * @param taskId the task
     * @return the solved task
     * @throws TurnpikeException when the task fails, or {@code ERROR_TASK_TIMEOUT} after {@code maxWait}
     */
    public TaskResult.Ready awaitResult(TaskId taskId) {
        Objects.requireNonNull(taskId, "taskId");
        return blocking(() -> await(taskId));
    }

    /**
     * Creates the task and waits for its solution.
     *
     * @param task the task
     * @return the solved task
     * @throws TurnpikeException when it cannot be created, fails, or is not solved within {@code maxWait}
     */
    public TaskResult.Ready solve(TaskRequest task) {
        Objects.requireNonNull(task, "task");
        return blocking(() -> await(create(task)));
    }

    /**
     * {@link #solve} on a virtual thread; cancelling the future stops the polling.
     *
     * @param task the task
     * @return the solved task, or a {@link TurnpikeException}, when it comes
     */
    public CompletableFuture<TaskResult.Ready> solveAsync(TaskRequest task) {
        Objects.requireNonNull(task, "task");
        return async(() -> await(create(task)));
    }

    /**
     * Solves the Turnstile widget with {@code sitekey} on {@code url}.
     *
     * @param url     the page that shows the widget
     * @param sitekey the widget's sitekey
     * @param options action, cData, mode, proxy: {@link TurnstileOptions#none()} for none
     * @return the token
     * @throws TurnpikeException when the task cannot be created, fails, or is not solved within {@code maxWait}
     */
    public TurnstileSolution solveTurnstile(String url, String sitekey, TurnstileOptions options) {
        TurnstileTask task = TurnstileTask.of(url, sitekey, options);
        return blocking(() -> await(create(task)).turnstile());
    }

    /**
     * {@link #solveTurnstile} on a virtual thread; cancelling the future stops the polling.
     *
     * @param url     the page that shows the widget
     * @param sitekey the widget's sitekey
     * @param options action, cData, mode, proxy: {@link TurnstileOptions#none()} for none
     * @return the token, or a {@link TurnpikeException}, when it comes
     */
    public CompletableFuture<TurnstileSolution> solveTurnstileAsync(String url, String sitekey,
                                                                    TurnstileOptions options) {
        TurnstileTask task = TurnstileTask.of(url, sitekey, options);
        return async(() -> await(create(task)).turnstile());
    }

    /**
     * Passes the Cloudflare challenge on {@code url} through {@code proxy}.
     *
     * @param url    the page behind the challenge
     * @param proxy  the proxy to solve through, and to replay requests through afterwards
     * @param rqData a POST to send once through the challenge, or null
     * @return the clearance: cookies, user agent, headers
     * @throws TurnpikeException when the task cannot be created, fails, or is not solved within {@code maxWait}
     */
    public ChallengeSolution solveChallenge(String url, String proxy, RqData rqData) {
        ChallengeTask task = ChallengeTask.of(url, proxy).withRqData(rqData);
        return blocking(() -> await(create(task)).challenge());
    }

    /**
     * {@link #solveChallenge} on a virtual thread; cancelling the future stops the polling.
     *
     * @param url    the page behind the challenge
     * @param proxy  the proxy to solve through, and to replay requests through afterwards
     * @param rqData a POST to send once through the challenge, or null
     * @return the clearance, or a {@link TurnpikeException}, when it comes
     */
    public CompletableFuture<ChallengeSolution> solveChallengeAsync(String url, String proxy, RqData rqData) {
        ChallengeTask task = ChallengeTask.of(url, proxy).withRqData(rqData);
        return async(() -> await(create(task)).challenge());
    }

    /**
     * Closes the HTTP client if this client made it (waiting for exchanges in flight); one passed to the builder
     * stays the caller's. Solves still running are not cancelled: cancel their futures first.
     */
    @Override
    public void close() {
        if (ownedHttp != null) {
            ownedHttp.close();
        }
    }

    @Override
    public String toString() {
        return "TurnpikeClient[" + baseUrl + "]"; // never the key
    }

    private TaskId create(TaskRequest task) throws InterruptedException {
        ObjectNode body = request();
        body.set("task", TaskEncoder.encode(task, json));
        return AnswerReader.taskId(call("createTask", body, false, null));
    }

    private TaskResult.Ready await(TaskId taskId) throws InterruptedException {
        Instant deadline = clock.instant().plus(maxWait);
        sleeper.sleep(firstPollDelay);
        while (true) {
            TurnpikeException transientFault = null;
            switch (exchange.post("getTaskResult", resultRequest(taskId))) {
                case Exchange.Answer a when AnswerReader.isUnavailable(a.body()) ->
                        transientFault = AnswerReader.error(a.body(), taskId);
                case Exchange.Answer a -> {
                    JsonNode answer = AnswerReader.requireSuccess(a.body(), taskId);
                    if (AnswerReader.taskResult(answer, taskId) instanceof TaskResult.Ready ready) {
                        return ready;
                    }
                }
                case Exchange.Fault f when f.transientFault() -> transientFault = f.toException();
                case Exchange.Fault f -> throw f.toException().about(taskId);
            }
            Instant now = clock.instant();
            if (!now.isBefore(deadline)) {
                throw new TurnpikeException(ErrorCode.ERROR_TASK_TIMEOUT.wire(), "no result after polling for "
                        + maxWait + "; the task was not created again", taskId, transientFault);
            }
            Duration left = Duration.between(now, deadline);
            sleeper.sleep(left.compareTo(pollInterval) < 0 ? left : pollInterval);
        }
    }

    /**
     * One method call with bounded retries. {@code resendable} says the call may be repeated even when it may have
     * reached the service (true for the reads, false for createTask).
     */
    private JsonNode call(String method, ObjectNode body, boolean resendable, TaskId about)
            throws InterruptedException {
        for (int attempt = 0; ; attempt++) {
            boolean mayRetry = attempt < maxRetries;
            switch (exchange.post(method, body)) {
                case Exchange.Answer a when AnswerReader.isUnavailable(a.body()) && mayRetry -> { }
                case Exchange.Answer a -> {
                    return AnswerReader.requireSuccess(a.body(), about);
                }
                case Exchange.Fault f when f.transientFault() && (resendable || f.notDelivered()) && mayRetry -> { }
                case Exchange.Fault f when f.transientFault() && !resendable && !f.notDelivered() ->
                        throw new TurnpikeException(f.code(), f.description() + "; not sent again, since the task "
                                + "may have been created", about, f.cause());
                case Exchange.Fault f -> throw f.toException().about(about);
            }
            sleeper.sleep(backoff(attempt));
        }
    }

    private Duration backoff(int attempt) {
        Duration delay = retryBackoff.multipliedBy(1L << Math.min(attempt, 16));
        return delay.compareTo(MAX_RETRY_BACKOFF) > 0 ? MAX_RETRY_BACKOFF : delay;
    }

    private ObjectNode request() {
        ObjectNode body = json.createObjectNode();
        body.put("clientKey", clientKey);
        return body;
    }

    private ObjectNode resultRequest(TaskId taskId) {
        ObjectNode body = request();
        if (taskId.numeric()) {
            body.put("taskId", new BigInteger(taskId.value()));
        } else {
            body.put("taskId", taskId.value());
        }
        return body;
    }

    /** Work that waits, and is stopped by an interrupt. */
    private interface Waiting<T> {
        T run() throws InterruptedException;
    }

    private static <T> T blocking(Waiting<T> work) {
        try {
            return work.run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw interrupted(e);
        }
    }

    private <T> CompletableFuture<T> async(Waiting<T> work) {
        CompletableFuture<T> future = new CompletableFuture<>();
        Thread worker = workers.newThread(() -> {
            try {
                future.complete(work.run());
            } catch (InterruptedException e) {
                future.completeExceptionally(interrupted(e));
            } catch (Throwable e) {
                future.completeExceptionally(e);
            }
        });
        future.whenComplete((result, failure) -> {
            if (future.isCancelled()) {
                worker.interrupt(); // wakes the sleep or the HTTP wait: no further poll is sent
            }
        });
        worker.start();
        return future;
    }

    private static TurnpikeException interrupted(InterruptedException e) {
        return new TurnpikeException(TurnpikeException.INTERRUPTED, "interrupted while talking to the service",
                null, e);
    }

    /**
     * Settings of a {@link TurnpikeClient}. {@code baseUrl} and {@code clientKey} are required; everything else
     * has the defaults named on {@link TurnpikeClient}.
     */
    public static final class Builder {

        private URI baseUrl;
        private String clientKey;
        private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration firstPollDelay = DEFAULT_FIRST_POLL_DELAY;
        private Duration pollInterval = DEFAULT_POLL_INTERVAL;
        private Duration maxWait = DEFAULT_MAX_WAIT;
        private int maxRetries = DEFAULT_MAX_RETRIES;
        private Duration retryBackoff = DEFAULT_RETRY_BACKOFF;
        private HttpClient httpClient;
        private Clock clock = new MonotonicClock();
        private Sleeper sleeper = Thread::sleep;

        private Builder() {
        }

        /**
         * The service's root, e.g. {@code http://127.0.0.1:8080} or {@code https://api.yescaptcha.com}.
         *
         * @param value an http or https URL with a host
         * @return this builder
         */
        public Builder baseUrl(URI value) {
            Objects.requireNonNull(value, "baseUrl");
            if (!("http".equalsIgnoreCase(value.getScheme()) || "https".equalsIgnoreCase(value.getScheme()))
                    || value.getHost() == null) {
                throw new IllegalArgumentException("baseUrl must be an http or https URL with a host: " + value);
            }
            this.baseUrl = value;
            return this;
        }

        /**
         * The account's key, sent with every call.
         *
         * @param value the key, not blank
         * @return this builder
         */
        public Builder clientKey(String value) {
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException("clientKey must not be blank");
            }
            this.clientKey = value;
            return this;
        }

        /**
         * How long one HTTP call may take, answer included.
         *
         * @param value a positive duration
         * @return this builder
         */
        public Builder requestTimeout(Duration value) {
            this.requestTimeout = positive(value, "requestTimeout");
            return this;
        }

        /**
         * Connect timeout of the HTTP client this client makes; unused with {@link #httpClient}.
         *
         * @param value a positive duration
         * @return this builder
         */
        public Builder connectTimeout(Duration value) {
            this.connectTimeout = positive(value, "connectTimeout");
            return this;
        }

        /**
         * How long after creating a task the first poll comes.
         *
         * @param value zero or more
         * @return this builder
         */
        public Builder firstPollDelay(Duration value) {
            Objects.requireNonNull(value, "firstPollDelay");
            if (value.isNegative()) {
                throw new IllegalArgumentException("firstPollDelay must not be negative");
            }
            this.firstPollDelay = value;
            return this;
        }

        /**
         * How long between polls.
         *
         * @param value a positive duration
         * @return this builder
         */
        public Builder pollInterval(Duration value) {
            this.pollInterval = positive(value, "pollInterval");
            return this;
        }

        /**
         * How long to poll one task before giving up with {@code ERROR_TASK_TIMEOUT}.
         *
         * @param value a positive duration
         * @return this builder
         */
        public Builder maxWait(Duration value) {
            this.maxWait = positive(value, "maxWait");
            return this;
        }

        /**
         * Retries of one call after its first attempt; 0 turns retrying off.
         *
         * @param value zero or more
         * @return this builder
         */
        public Builder maxRetries(int value) {
            if (value < 0) {
                throw new IllegalArgumentException("maxRetries must not be negative");
            }
            this.maxRetries = value;
            return this;
        }

        /**
         * The first retry's delay; it doubles per retry, up to 8 s.
         *
         * @param value a positive duration
         * @return this builder
         */
        public Builder retryBackoff(Duration value) {
            this.retryBackoff = positive(value, "retryBackoff");
            return this;
        }

        /**
         * An HTTP client to use (its proxy, TLS and executor settings); the caller keeps closing it.
         *
         * @param value the client
         * @return this builder
         */
        public Builder httpClient(HttpClient value) {
            this.httpClient = Objects.requireNonNull(value, "httpClient");
            return this;
        }

        /**
         * The clock polling deadlines are measured on; a monotonic one by default.
         *
         * @param value the clock
         * @return this builder
         */
        public Builder clock(Clock value) {
            this.clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        /**
         * How the client waits between polls and retries; {@link Thread#sleep(Duration)} by default.
         *
         * @param value the sleeper
         * @return this builder
         */
        public Builder sleeper(Sleeper value) {
            this.sleeper = Objects.requireNonNull(value, "sleeper");
            return this;
        }

        /**
         * The client; close it to release the HTTP client it made.
         *
         * @return the client
         * @throws IllegalStateException when {@code baseUrl} or {@code clientKey} was not given
         */
        public TurnpikeClient build() {
            if (baseUrl == null) {
                throw new IllegalStateException("baseUrl is required");
            }
            if (clientKey == null) {
                throw new IllegalStateException("clientKey is required");
            }
            return new TurnpikeClient(this);
        }

        private static Duration positive(Duration value, String name) {
            Objects.requireNonNull(value, name);
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(name + " must be positive");
            }
            return value;
        }
    }
}
