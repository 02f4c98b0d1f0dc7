package dev.turnpike.server.config;

import dev.turnpike.server.net.Cidr;
import dev.turnpike.server.net.Endpoint;
import dev.turnpike.server.task.TaskType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every setting of Turnpike, declared once with its default, file key, flag, environment variable and help.
 *
 * <p>To add a setting: declare a constant here with {@link #declare}; it then appears in {@code --help}, is read
 * from {@code --flag}, {@code TURNPIKE_…} and the config file, is validated at start, and is read with
 * {@code config.get(Settings.MY_SETTING)}.
 */
public final class Settings {

    private static final Map<String, Setting<?>> ALL = new LinkedHashMap<>();

    // --- HTTP API ---------------------------------------------------------------------------------------------
    /** Loopback by default: a fresh install is not open to the network until the operator says so. */
    public static final Setting<String> HTTP_HOST = declare("http.host", "127.0.0.1", Parsers.string(),
            "address the API listens on (0.0.0.0 for every interface)");
    public static final Setting<Integer> HTTP_PORT = declare("http.port", "8080", Parsers.intIn(0, 65535),
            "TCP port of the API (0 picks a free one)");
    public static final Setting<Integer> HTTP_MAX_BODY_BYTES = declare("http.maxBodyBytes", "65536",
            Parsers.intIn(1024, 16 * 1024 * 1024), "largest request body; larger ones get HTTP 413");
    /** A client that trickles its request never goes idle: these bound it (api/SlowClientGuard). */
    public static final Setting<Duration> HTTP_HEAD_TIMEOUT = declare("http.headTimeout", "10s",
            Parsers.durationAtLeast(Duration.ofMillis(100)),
            "longest a client may take to send a request head (from connecting or its previous answer); then closed");
    public static final Setting<Duration> HTTP_BODY_TIMEOUT = declare("http.bodyTimeout", "10s",
            Parsers.durationAtLeast(Duration.ofMillis(100)),
            "longest a client may take to send a request body once its head is in; then the connection is closed");
    public static final Setting<String> TASKID_INVALID_CODE = declare("api.taskIdInvalidCode", "ERROR_TASKID_INVALID",
            Parsers.oneOf("ERROR_TASKID_INVALID", "ERROR_NO_SUCH_CAPCHA_ID"),
            "code for an unknown, expired or foreign task id (ERROR_NO_SUCH_CAPCHA_ID for Anti-Captcha-era clients)");
    public static final Setting<Duration> SYNC_TASK_MAX_WAIT = declare("api.syncTaskMaxWait", "125s",
            Parsers.durationAtLeast(Duration.ofSeconds(1)), "longest /createSyncTask blocks");
    public static final Setting<Duration> CALLBACK_TIMEOUT = declare("api.callbackTimeout", "2s",
            Parsers.durationAtLeast(Duration.ofMillis(100)), "timeout of a callbackUrl POST (sent once, never retried)");
    public static final Setting<Duration> KEY_CACHE_TTL = declare("api.keyCacheTtl", "5s",
            Parsers.durationAtLeast(Duration.ZERO), "how long getTaskResult trusts a checked key (a revocation takes at most this long)");

    // --- Store -------------------------------------------------------------------------------------------------
    public static final Setting<Path> DATA_DIR = declare("data.dir", "~/.turnpike", Parsers.path(),
            "directory of the embedded database");
    public static final Setting<String> STORE_URL = declare("store.url", "", storeUrl(),
            "the store: empty for the embedded H2 database in data.dir; postgresql://user@host:5432/db or a JDBC URL "
                    + "for PostgreSQL, which every node of a cluster shares (alias --store)");
    public static final Setting<String> STORE_USER = declare("store.user", "turnpike", Parsers.string(),
            "database user");
    public static final Setting<String> STORE_PASSWORD = declareSecret("store.password", "", Parsers.string(),
            "database password");
    public static final Setting<Integer> STORE_POOL_SIZE = declare("store.poolSize", "8", Parsers.intIn(1, 200),
            "database connections");
    public static final Setting<Boolean> STORE_AUTO_SERVER = declare("store.autoServer", "true", Parsers.bool(),
            "let 'turnpike keys' open the embedded database while 'turnpike serve' runs (H2 AUTO_SERVER on loopback)");

    // --- Tasks -------------------------------------------------------------------------------------------------
    public static final Setting<Integer> QUEUE_CAPACITY = declare("queue.capacity", "1000", Parsers.intIn(1, 1_000_000),
            "tasks waiting for a solver; above it createTask answers ERROR_NO_SLOT_AVAILABLE");
    public static final Setting<Integer> WORKERS = declare("workers", "0", Parsers.intIn(0, 10_000),
            "tasks solved at the same time; 0: one per browser slot (browser.count x browser.contextsPerBrowser)");
    public static final Setting<Duration> TASK_DEADLINE = declare("task.deadline", "120s",
            Parsers.durationAtLeast(Duration.ofSeconds(1)), "a task not solved this long after creation fails with ERROR_TASK_TIMEOUT");
    public static final Setting<Duration> TASK_RETENTION = declare("task.retention", "5m",
            Parsers.durationAtLeast(Duration.ofMinutes(5)), "a task is kept at least this long after creation");
    public static final Setting<Duration> TASK_RETENTION_AFTER_END = declare("task.retentionAfterEnd", "60s",
            Parsers.durationAtLeast(Duration.ofSeconds(60)), "and at least this long after it ended");
    public static final Setting<Integer> NODE_ID = declare("node.id", "0", Parsers.intIn(0, 31),
            "this node's number in task ids (unique per node of a deployment)");
    public static final Map<TaskType, Setting<Long>> PRICES = prices();

    // --- Cluster (PostgreSQL store) --------------------------------------------------------------------------------
    public static final Setting<String> NODE_NAME = declare("node.name", "", Parsers.string(),
            "this node's name in the cluster's node list and task claims; empty: host name and process id");
    public static final Setting<Duration> CLUSTER_LEASE = declare("cluster.lease", "20s",
            Parsers.durationAtLeast(Duration.ofSeconds(2)),
            "a solver node's claim on a task lasts this long unless renewed (renewed every third of it); a node that "
                    + "stops renewing loses its tasks to the others");
    public static final Setting<Duration> CLUSTER_POLL = declare("cluster.poll", "2s",
            Parsers.durationAtLeast(Duration.ofMillis(100)),
            "idle solver nodes look for tasks this often even without a notification (a safety net: LISTEN/NOTIFY wakes them at once)");
    public static final Setting<Duration> CLUSTER_SWEEP = declare("cluster.sweep", "1s",
            Parsers.durationAtLeast(Duration.ofMillis(100)),
            "how often a node tries to run the cluster-wide clean-up (deadlines, lost leases, retention; one node at a time)");

    /**
     * Long enough for a typical solve (2–10 s, a slow one 30 s), short enough to finish before the default stop
     * timeouts of the usual supervisors (Kubernetes 30 s, systemd 90 s) would kill the process mid-drain.
     */
    public static final Setting<Duration> DRAIN_GRACE = declare("drain.grace", "25s",
            Parsers.durationAtLeast(Duration.ZERO),
            "on stop (SIGTERM), a node on PostgreSQL claims nothing new and waits this long at most for the tasks it "
                    + "holds to finish; those still running then fail (reason SHUTDOWN) and their points are released");
    /** Loopback: the metrics are the operator's; a fixed port so a scraper or probe can be pointed at it. */
    public static final Setting<String> SOLVER_HTTP_HOST = declare("solver.httpHost", "127.0.0.1", Parsers.string(),
            "address a solver node serves /metrics, /health/live and /health/ready on (0.0.0.0 for every interface)");
    public static final Setting<Integer> SOLVER_HTTP_PORT = declare("solver.httpPort", "8081", Parsers.intIn(0, 65535),
            "TCP port of a solver node's /metrics and health probes (0 picks a free one: set it when several solver "
                    + "nodes share a host)");

    // --- Target addresses (PROTOCOL.md §6) ---------------------------------------------------------------------
    public static final Setting<List<String>> ALLOW_HOSTS = declare("net.allowHosts", "", Parsers.list(),
            "host names allowed as targets without resolving: exact, or *.suffix (e.g. *.lab.test)");
    public static final Setting<List<String>> ALLOW_NETWORKS = declare("net.allowNetworks", "", cidrList(),
            "networks allowed as targets although private or loopback (CIDR, e.g. 127.0.0.0/8)");
    public static final Setting<List<String>> ALLOW_ENDPOINTS = declare("net.allowEndpoints", "", endpointList(),
            "address:port pairs allowed as targets although private or loopback, on that port only (--lab sets the "
                    + "lab's own ports, e.g. 127.0.0.1:8443)");

    // --- The operator's view: admin API, status page, metrics, logs ---------------------------------------------
    public static final Setting<String> ADMIN_TOKEN = declareSecret("admin.token", "", Parsers.string(),
            "bearer token of the admin API, the status page and /metrics (at least 16 characters); empty: one is "
                    + "generated at first start into data.dir/admin-token (mode 600)");
    public static final Setting<Boolean> ADMIN_METRICS_OPEN = declare("admin.metricsOpen", "false", Parsers.bool(),
            "serve /metrics without the admin token (only where the port is reachable by the scraper alone)");
    public static final Setting<String> LOG_FORMAT = declare("log.format", "text", Parsers.oneOf("text", "json"),
            "log lines as text, or as one JSON object per line (logback's JsonEncoder)");

    // --- Browsers (read by the browser engine) ------------------------------------------------------------------
    /**
     * Two browsers of four contexts: eight slots keep two cores busy without starving the proof-of-work workers. One
     * browser of eight saved memory only with site isolation off, which the solvers need (BENCHMARKS.md, "Density").
     */
    public static final Setting<Integer> BROWSERS = declare("browser.count", "2", Parsers.intIn(0, 64),
            "the most Chromium processes at once (0: no browser solvers; createTask answers ERROR_TASK_NOT_SUPPORTED)");
    /** Idle, the server holds no browser (docs/BROWSER.md §Elastic pool): a burst after idle pays one launch. */
    public static final Setting<Integer> MIN_BROWSERS = declare("browser.min", "0", Parsers.intIn(0, 64),
            "Chromium processes kept even when idle (at most browser.count); more start when tasks find every slot"
                    + " taken");
    public static final Setting<Duration> BROWSER_IDLE_AFTER = declare("browser.idleAfter", "60s",
            Parsers.durationAtLeast(Duration.ofSeconds(1)), "a browser beyond browser.min with no task for this long"
                    + " is retired");
    public static final Setting<Integer> CONTEXTS_PER_BROWSER = declare("browser.contextsPerBrowser", "4",
            Parsers.intIn(1, 64), "tasks one Chromium serves at the same time");
    public static final Setting<Integer> WARM_CONTEXTS = declare("browser.warmContexts", "2", Parsers.intIn(0, 64),
            "ready contexts kept per browser, each on an unbound local relay, for a task of any kind (at most"
                    + " browser.contextsPerBrowser)");
    public static final Setting<Integer> CLEARANCE_CACHE_ENTRIES = declare("challenge.clearanceCache", "10000",
            Parsers.intIn(0, 10_000_000), "cf_clearance cookies kept per solving node, so a CloudFlare5STask for a site"
                    + " already cleared through the same proxy (and wanted user agent) starts cleared (0: off)");
    public static final Setting<Duration> CLEARANCE_MAX_AGE = declare("challenge.clearanceMaxAge", "30m",
            Parsers.durationAtLeast(Duration.ZERO), "the longest a kept clearance is reused (less if its cookie expires"
                    + " sooner)");
    public static final Setting<Boolean> SHARE_CHALLENGE_SOLVES = declare("challenge.shareSolves", "true",
            Parsers.bool(), "CloudFlare5STasks for the same site, proxy and user agent at once wait for one challenge"
                    + " solve and start with its clearance, instead of each solving (per solving node)");
    public static final Setting<Integer> MAX_TASKS_PER_BROWSER = declare("browser.maxTasks", "200",
            Parsers.intIn(1, 1_000_000), "a browser is recycled after this many tasks");
    public static final Setting<Duration> MAX_BROWSER_AGE = declare("browser.maxAge", "30m",
            Parsers.durationAtLeast(Duration.ofMinutes(1)), "... or after this long (plus up to browser.ageJitter)");
    public static final Setting<Duration> BROWSER_AGE_JITTER = declare("browser.ageJitter", "5m",
            Parsers.durationAtLeast(Duration.ZERO), "random part added to browser.maxAge so browsers don't recycle together");
    public static final Setting<Long> BROWSER_MEMORY_CAP_MB = declare("browser.memoryCapMb", "1536",
            Parsers.longIn(0, 1_048_576), "... or when its processes' PSS passes this many MiB (0: no cap)");
    public static final Setting<String> BROWSER_DISPLAY = declare("browser.display", "headless",
            Parsers.oneOf("headless", "xvfb"), "headless, or headful under a private Xvfb server (apt-get install xvfb)");
    public static final Setting<String> CHROMIUM_PATH = declare("browser.chromiumPath", "", Parsers.string(),
            "the Chromium binary (not a wrapper script); empty: /usr/lib/chromium/chromium and the usual places");
    public static final Setting<String> PROFILE_DIR = declare("browser.profileDir", "", Parsers.string(),
            "where browser profiles are made and deleted; empty: the system temp directory");
    public static final Setting<String> HOST_RESOLVER_RULES = declare("browser.hostResolverRules", "", Parsers.string(),
            "Chromium --host-resolver-rules (e.g. the lab's MAP rules); empty: normal DNS");
    public static final Setting<String> CERTIFICATE_PINS = declare("browser.certificatePins", "", Parsers.string(),
            "Chromium --ignore-certificate-errors-spki-list: SPKI pins trusted whatever the chain (the lab's)");
    public static final Setting<List<String>> CHROMIUM_EXTRA_ARGS = declare("browser.extraArgs", "",
            Parsers.words(), "more Chromium switches, separated by spaces");
    public static final Setting<Integer> BROWSER_NICE = declare("browser.nice", "10", Parsers.intIn(0, 19),
            "how far below Turnpike's the browsers' CPU priority is, as nice(1) counts: on full cores the API and"
                    + " the solvers' hand-offs run before the pages (0: the same priority)");

    // --- The lab -------------------------------------------------------------------------------------------------
    public static final Setting<String> LAB = declare("lab", "", Parsers.string(),
            "solve against a lab instead of the internet: 'embedded' starts one in this process, "
                    + "http://127.0.0.1:PORT attaches to a running 'turnpike lab' by its admin address");

    // --- FlareSolverr's /v1 API (PROTOCOL.md §10) ------------------------------------------------------------------
    public static final Setting<Boolean> FLARESOLVERR_ENABLED = declare("flaresolverr.enabled", "false", Parsers.bool(),
            "serve FlareSolverr's API (POST /v1, GET /, GET /health); it has no authentication of its own, so it is"
                    + " off until turned on and bound to a client key (flaresolverr.clientKey or flaresolverr.keyInPath)");
    public static final Setting<String> FLARESOLVERR_CLIENT_KEY = declareSecret("flaresolverr.clientKey", "",
            Parsers.string(), "the client key every /v1 request is charged to (empty: only keys in the path)");
    public static final Setting<Boolean> FLARESOLVERR_KEY_IN_PATH = declare("flaresolverr.keyInPath", "false",
            Parsers.bool(), "also accept /<clientKey>/v1 (a client configured with http://host:8191/<clientKey>/),"
                    + " charged to that key");
    public static final Setting<Integer> FLARESOLVERR_PORT = declare("flaresolverr.port", "-1",
            Parsers.intIn(-1, 65535), "a port of its own for FlareSolverr's API, on http.host (8191 is"
                    + " FlareSolverr's; -1: only on http.port; 0 picks a free one)");
    public static final Setting<Integer> FLARESOLVERR_SESSIONS = declare("flaresolverr.sessions.max", "2",
            Parsers.intIn(0, 1000), "browser contexts kept as FlareSolverr sessions at once, all callers together;"
                    + " never more than the browser slots less one, so tasks always have a slot");
    public static final Setting<Duration> FLARESOLVERR_SESSION_IDLE = declare("flaresolverr.sessions.idleTtl", "30m",
            Parsers.durationAtLeast(Duration.ofSeconds(1)), "a session unused this long is destroyed");

    private Settings() {
    }

    /** Every declared setting, in declaration order. */
    public static List<Setting<?>> all() {
        return List.copyOf(ALL.values());
    }

    /** The setting with this file key, or null. */
    public static Setting<?> byKey(String key) {
        return ALL.get(key);
    }

    public static <T> Setting<T> declare(String key, String defaultText, java.util.function.Function<String, T> parser,
                                         String help) {
        return register(new Setting<>(key, defaultText, parser, help, false));
    }

    private static <T> Setting<T> declareSecret(String key, String defaultText,
                                                java.util.function.Function<String, T> parser, String help) {
        return register(new Setting<>(key, defaultText, parser, help, true));
    }

    private static synchronized <T> Setting<T> register(Setting<T> setting) {
        if (ALL.putIfAbsent(setting.key(), setting) != null) {
            throw new IllegalStateException("setting declared twice: " + setting.key());
        }
        return setting;
    }

    private static Map<TaskType, Setting<Long>> prices() {
        Map<TaskType, Setting<Long>> map = new EnumMap<>(TaskType.class);
        map.put(TaskType.TURNSTILE_PROXYLESS, price("price.turnstile", TaskType.TURNSTILE_PROXYLESS, 15));
        map.put(TaskType.TURNSTILE_PROXYLESS_M1, price("price.turnstileM1", TaskType.TURNSTILE_PROXYLESS_M1, 30));
        map.put(TaskType.CLOUDFLARE_CHALLENGE, price("price.challenge", TaskType.CLOUDFLARE_CHALLENGE, 20));
        map.put(TaskType.PAGE_REQUEST, declare("price.fetch", "5", Parsers.longIn(0, 1_000_000_000L),
                "points a FlareSolverr /v1 request that met no challenge costs (one that passed a challenge costs"
                        + " price.challenge, which is what it holds while it runs)"));
        return Collections.unmodifiableMap(map);
    }

    private static Setting<Long> price(String key, TaskType type, long points) {
        return declare(key, Long.toString(points), Parsers.longIn(0, 1_000_000_000L),
                "points a solved " + type.wireName() + " costs");
    }

    private static java.util.function.Function<String, String> storeUrl() {
        return text -> {
            if (!text.isEmpty()) {
                dev.turnpike.server.store.StoreUrl.parse(text);
            }
            return text;
        };
    }

    private static java.util.function.Function<String, List<String>> endpointList() {
        return checkedList(Endpoint::parse);
    }

    private static java.util.function.Function<String, List<String>> cidrList() {
        return checkedList(Cidr::parse);
    }

    /** A list whose every item {@code parse} accepts (it throws for the first it does not). */
    private static java.util.function.Function<String, List<String>> checkedList(
            java.util.function.Consumer<String> parse) {
        var list = Parsers.list();
        return text -> {
            List<String> items = new ArrayList<>(list.apply(text));
            items.forEach(parse);
            return List.copyOf(items);
        };
    }
}
