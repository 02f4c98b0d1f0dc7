package dev.turnpike.server.api.flaresolverr;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.turnpike.server.account.Account;
import dev.turnpike.server.account.Accounts;
import dev.turnpike.server.api.ApiException;
import dev.turnpike.server.api.Json;
import dev.turnpike.server.api.RequestBody;
import dev.turnpike.server.api.TargetCheck;
import dev.turnpike.server.browser.session.BrowserSessions;
import dev.turnpike.server.net.AddressPolicy;
import dev.turnpike.server.net.ProxySpec;
import dev.turnpike.server.task.FailReason;
import dev.turnpike.server.task.Solution;
import dev.turnpike.server.task.TaskSpec;
import dev.turnpike.server.task.TaskState;
import dev.turnpike.server.task.Tasks;
import java.io.IOException;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * FlareSolverr's API (PROTOCOL.md §10): {@code POST /v1}, {@code GET /} and {@code GET /health}, also under
 * {@code /<clientKey>/} when keys in the path are allowed. A {@code request.get} or {@code request.post} is a task
 * of {@code Tasks} like any other ({@link dev.turnpike.server.task.TaskType#PAGE_REQUEST}): address-checked, the
 * challenge price held, queued, solved by the challenge engine, awaited for {@code maxTimeout} (then failed, its
 * hold released), charged by what it did. Answers FlareSolverr's shapes and messages; any other path is left to the
 * handlers behind it (or, on its own port, answered 404 as FlareSolverr does).
 */
public final class FlareSolverrApi extends Handler.Abstract {

    private static final Logger log = LoggerFactory.getLogger(FlareSolverrApi.class);
    /** The FlareSolverr release whose API this is; clients read it from {@code /} and every answer. */
    public static final String VERSION = "3.5.0";

    /**
     * @param boundKey        the key every bare {@code /v1} request is charged to, or null (then only keys in the path)
     * @param keyInPath       whether {@code /<clientKey>/v1} is accepted
     * @param challengePrice  what a request holds while it runs (and costs when it passed a challenge)
     * @param fetchPrice      what a request that met no challenge costs
     * @param sessions        the pool's sessions, or empty (no browser here: session commands are refused)
     * @param userAgent       the browsers' user agent for {@code GET /}, or "" without browsers
     * @param alone           on a port of its own: every other path is answered 404 here
     */
    public record Options(String boundKey, boolean keyInPath, long challengePrice, long fetchPrice,
                          Optional<BrowserSessions> sessions, String userAgent, boolean alone) {
    }

    private final Options options;
    private final Accounts accounts;
    private final Tasks tasks;
    private final TargetCheck targets;
    private final AddressPolicy policy;
    private final Clock clock;
    private final int maxBodyBytes;

    public FlareSolverrApi(Options options, Accounts accounts, Tasks tasks, AddressPolicy policy, Clock clock,
                           int maxBodyBytes) {
        super(InvocationType.BLOCKING);
        this.options = options;
        this.accounts = accounts;
        this.tasks = tasks;
        this.policy = policy;
        this.targets = new TargetCheck(policy, "url");
        this.clock = clock;
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String path = Request.getPathInContext(request);
        String pathKey = null;
        String rest = path;
        if (options.keyInPath()) {
            int slash = path.indexOf('/', 1);
            if (slash > 1) {
                String segment = path.substring(1, slash);
                String tail = path.substring(slash);
                if (isOurs(tail) && !isOurs(path)) {
                    pathKey = segment;
                    rest = tail;
                }
            }
        }
        boolean get = HttpMethod.GET.is(request.getMethod());
        boolean post = HttpMethod.POST.is(request.getMethod());
        if ((rest.equals("/") || rest.isEmpty()) && get) {
            Json.respond(response, callback, 200, index());
        } else if (rest.equals("/health") && get) {
            Json.respond(response, callback, 200, Map.of("status", "ok"));
        } else if ((rest.equals("/v1") || rest.equals("/v1/")) && post) {
            long start = clock.millis();
            Reply reply = fromABrowser(request) ? refusedToABrowser(request, response) : v1(request, response, pathKey);
            Json.respond(response, callback, reply.httpStatus(), reply.finish(start, clock.millis()));
        } else if (options.alone()) {
            RequestBody.discard(request, response);
            Json.respond(response, callback, 404,
                    Map.of("error", "Not found: '" + (pathKey == null ? path : rest) + "'", "status_code", 404));
        } else {
            return false;
        }
        return true;
    }

    /**
     * Whether a web browser sent this: it marks a POST with {@code Origin}, and every request of a current browser with
     * {@code Sec-Fetch-Site}; FlareSolverr's clients are programs that send neither. ({@code Sec-Fetch-Mode} alone is
     * no sign: Node's {@code fetch} sends it.) Answering a browser would let any web page the operator opens spend the
     * bound key's points and use the pool (a form or a no-cors fetch to {@code 127.0.0.1:8191}, or a name rebound to
     * it).
     */
    private static boolean fromABrowser(Request request) {
        var headers = request.getHeaders();
        return headers.get(HttpHeader.ORIGIN) != null || headers.get("Sec-Fetch-Site") != null;
    }

    private Reply refusedToABrowser(Request request, Response response) {
        RequestBody.discard(request, response);
        return Reply.error(new V1Exception("/v1 answers programs, not web pages: this request came from a browser"
                + " (it carries an Origin or a Sec-Fetch-Site header).", 403));
    }

    private static boolean isOurs(String path) {
        return path.equals("/") || path.equals("/health") || path.equals("/v1") || path.equals("/v1/");
    }

    private Map<String, Object> index() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("msg", "FlareSolverr is ready!");
        out.put("version", VERSION);
        out.put("userAgent", options.userAgent());
        return out;
    }

    /** An answer of /v1 before its timestamps and version. */
    private record Reply(int httpStatus, Map<String, Object> body) {
        static Reply ok(String message) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("status", "ok");
            body.put("message", message);
            return new Reply(200, body);
        }

        static Reply error(V1Exception e) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("status", "error");
            body.put("message", "Error: " + e.getMessage());
            return new Reply(e.httpStatus(), body);
        }

        Reply with(String field, Object value) {
            body.put(field, value);
            return this;
        }

        Map<String, Object> finish(long start, long end) {
            body.put("startTimestamp", start);
            body.put("endTimestamp", end);
            body.put("version", VERSION);
            return body;
        }
    }

    private Reply v1(Request http, Response response, String pathKey) {
        try {
            V1Request request = V1Request.read(body(http, response));
            Account account = account(pathKey);
            return switch (request.cmd()) {
                case "request.get" -> page(request, account, false);
                case "request.post" -> page(request, account, true);
                case "sessions.create" -> createSession(request, account);
                case "sessions.list" -> Reply.ok("").with("sessions", sessions().list(account.id()));
                case "sessions.destroy" -> destroySession(request, account);
                default -> throw new V1Exception("Request parameter 'cmd' = '" + request.cmd() + "' is invalid.");
            };
        } catch (V1Exception e) {
            return Reply.error(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Reply.error(new V1Exception("The server is shutting down."));
        } catch (RuntimeException e) {
            log.error("internal error of /v1", e);
            return Reply.error(new V1Exception("Internal error of Turnpike."));
        }
    }

    private ObjectNode body(Request http, Response response) throws V1Exception {
        byte[] bytes;
        try {
            bytes = RequestBody.read(http, response, maxBodyBytes);
        } catch (IOException e) {
            throw new V1Exception("The body could not be read.", 400);
        }
        if (bytes == null) {
            throw new V1Exception("The body is larger than " + maxBodyBytes + " bytes.", 413);
        }
        JsonNode tree;
        try {
            tree = bytes.length == 0 ? null : Json.MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw new V1Exception("The body is not valid JSON.", 400);
        }
        if (!(tree instanceof ObjectNode object)) {
            throw new V1Exception("The body must be a JSON object.", 400);
        }
        return object;
    }

    /** The account a request is charged to: the key in its path, else the bound key. */
    private Account account(String pathKey) throws V1Exception {
        String key = pathKey != null ? pathKey : options.boundKey();
        if (key == null || key.isEmpty()) {
            throw new V1Exception("This server takes /v1 only under a client key: post to /<clientKey>/v1.", 401);
        }
        return accounts.authenticate(key).orElseThrow(() -> new V1Exception(pathKey != null
                ? "The client key in the path is not known." : "The client key bound to /v1 is not known.", 401));
    }

    private Reply page(V1Request request, Account account, boolean post) throws V1Exception, InterruptedException {
        String cmd = post ? "request.post" : "request.get";
        if (request.url() == null) {
            throw new V1Exception("Request parameter 'url' is mandatory in '" + cmd + "' command.");
        }
        if (post && request.postData() == null) {
            throw new V1Exception("Request parameter 'postData' is mandatory in 'request.post' command.");
        }
        if (!post && request.postData() != null) {
            throw new V1Exception("Cannot use 'postBody' when sending a GET request.");
        }
        if (request.session() != null && options.sessions().isEmpty()) {
            throw noSessions();
        }
        // FlareSolverr takes tabs_till_verify on GET only.
        TaskSpec.PageRequest spec = new TaskSpec.PageRequest(request.url(), request.proxy(),
                post ? request.form() : null, request.cookies(), request.session(), request.sessionTtlMinutes(),
                account.id(), new TaskSpec.PageOptions(request.returnOnlyCookies(), request.returnScreenshot(),
                request.disableMedia(), request.tabsTillVerify() && !post), request.waitInSeconds() * 1000L,
                options.fetchPrice());
        try {
            targets.check(spec, null);
        } catch (ApiException e) {
            throw new V1Exception(e.getMessage());
        }
        long hold = Math.max(options.challengePrice(), options.fetchPrice());
        dev.turnpike.server.task.Task task = switch (tasks.submit(account, spec, hold, null)) {
            case Tasks.Submission.Accepted a -> a.task();
            case Tasks.Submission.ZeroBalance z -> throw new V1Exception("The account has not enough points for a"
                    + " request (" + hold + " are held while it runs).");
            case Tasks.Submission.QueueFull q -> throw new V1Exception("The queue is full; try again a bit later.");
            case Tasks.Submission.ShuttingDown s -> throw new V1Exception("The server is shutting down.");
        };
        Duration maxWait = Duration.ofMillis(request.maxTimeoutMillis());
        task = tasks.awaitEnd(task, maxWait);
        if (!task.state().ended()) {
            tasks.fail(task, FailReason.DEADLINE, "maxTimeout of " + request.maxTimeoutMillis() + " ms passed");
            task = tasks.awaitEnd(task, Duration.ofSeconds(5));
        }
        // The task's own deadline ends a longer maxTimeout first: the timeout said is the one that struck.
        long timeoutMillis = Math.min(request.maxTimeoutMillis(),
                Duration.between(task.createdAt(), task.deadline()).toMillis());
        return switch (task.state()) {
            case TaskState.Ready r when r.solution() instanceof Solution.Page p -> Reply.ok(p.challenged()
                    ? "Challenge solved!" : "Challenge not detected!").with("solution", solution(p));
            case TaskState.Failed f -> throw new V1Exception(failure(f, timeoutMillis));
            default -> throw new V1Exception("Error solving the challenge. Timeout after "
                    + seconds(timeoutMillis) + " seconds.");
        };
    }

    /** FlareSolverr's texts: its timeout and block messages word for word, Turnpike's reason otherwise. */
    private static String failure(TaskState.Failed failed, long maxTimeoutMillis) {
        return switch (failed.reason()) {
            case DEADLINE -> "Error solving the challenge. Timeout after " + seconds(maxTimeoutMillis) + " seconds.";
            case BLOCKED -> "Error solving the challenge. Cloudflare has blocked this request. Probably your IP is"
                    + " banned for this site, check in your web browser.";
            case SESSIONS_FULL -> failed.description();
            default -> "Error solving the challenge. " + failed.description() + " (" + failed.reason() + ")";
        };
    }

    /** Seconds as FlareSolverr's Python prints them: {@code 60.0}, {@code 1.5}. */
    private static String seconds(long millis) {
        return Double.toString(millis / 1000.0);
    }

    private static Map<String, Object> solution(Solution.Page page) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("url", page.url());
        out.put("status", page.status());
        out.put("cookies", page.cookies());
        out.put("userAgent", page.userAgent());
        out.put("turnstile_token", page.turnstileToken());
        if (page.body() != null) {
            out.put("headers", page.headers());
            out.put("response", page.body());
        }
        if (page.screenshot() != null) {
            out.put("screenshot", page.screenshot());
        }
        return out;
    }

    private BrowserSessions sessions() throws V1Exception {
        return options.sessions().orElseThrow(FlareSolverrApi::noSessions);
    }

    private static V1Exception noSessions() {
        return new V1Exception("Sessions are not available on this server: they need its own browser pool, and a"
                + " node of a cluster has none.");
    }

    private Reply createSession(V1Request request, Account account) throws V1Exception, InterruptedException {
        BrowserSessions sessions = sessions();
        ProxySpec proxy = request.proxy();
        if (proxy != null) {
            AddressPolicy.Decision decision = policy.check(proxy.host(), proxy.port());
            if (!decision.allowed()) {
                throw new V1Exception("proxy is not allowed: its " + decision.explanation());
            }
        }
        BrowserSessions.Created created;
        try {
            created = sessions.create(account.id(), request.session(), proxy);
        } catch (UnknownHostException e) {
            throw new V1Exception("The proxy's host name does not resolve.");
        } catch (IllegalStateException e) {
            throw new V1Exception("The server is shutting down.");
        }
        return switch (created) {
            case BrowserSessions.Created.Fresh f -> Reply.ok("Session created successfully.").with("session", f.id());
            case BrowserSessions.Created.Existing x -> Reply.ok("Session already exists.").with("session", x.id());
            case BrowserSessions.Created.Full full -> throw new V1Exception("No more than " + full.max()
                    + " sessions may exist at once; destroy one first.");
        };
    }

    private Reply destroySession(V1Request request, Account account) throws V1Exception {
        if (request.session() == null || !sessions().destroy(account.id(), request.session())) {
            throw new V1Exception("The session doesn't exist.");
        }
        return Reply.ok("The session has been removed.");
    }
}
