package dev.turnpike.lab.turnstile;

import com.fasterxml.jackson.databind.JsonNode;
import dev.turnpike.lab.core.LabEvents;
import dev.turnpike.lab.core.Resources;
import dev.turnpike.lab.core.LabRandom;
import dev.turnpike.lab.core.Sealer;
import dev.turnpike.lab.core.Sitekey;
import dev.turnpike.lab.core.SitekeyHostile;
import dev.turnpike.lab.core.SitekeyMode;
import dev.turnpike.lab.core.Sitekeys;
import dev.turnpike.lab.core.SiteverifyFault;
import dev.turnpike.lab.core.Http;
import dev.turnpike.lab.strict.StrictMode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The lab's Turnstile service on {@code challenges.cloudflare.com} (LAB.md L1, L2): {@code api.js}, the widget page
 * and its scripts, the widget's two steps ({@code /lab/chl}, {@code /lab/solve}) and siteverify.
 */
public final class TurnstileHandler {

    /** The {@code <v>} of the iframe path {@code .../av0/rch<v>/...}. */
    public static final String RCH_VERSION = "v1";
    /** How long api.js waits for a widget to finish before calling it hung, unless the widget says otherwise. */
    public static final long DEFAULT_WATCHDOG_MS = 300_000;
    /** A non-interactive challenge must be solved within this. */
    public static final long NON_INTERACTIVE_TIMEOUT_MS = 300_000;
    public static final long DEFAULT_TOKEN_TTL_MS = 300_000;
    private static final int MAX_OPEN_CHALLENGES = 100_000;

    private static final String PREFIX = "/cdn-cgi/challenge-platform/h/b/";
    private static final Pattern API_JS = Pattern.compile("^/turnstile/v0(/.*)?/api\\.js$");
    private static final Pattern WIDGET = Pattern.compile(
            "^/cdn-cgi/challenge-platform/h/b/turnstile/f/av0/rch[0-9a-z]+/([a-z0-9]{5})/([^/]+)/([a-z]+)/fbE/new/([a-z]+)$");
    private static final Pattern LEGACY_WIDGET = Pattern.compile(
            "^/cdn-cgi/challenge-platform/h/g/turnstile/if/ov2/av0/rcv/([a-z0-9]{5})/([^/]+)/([a-z]+)/fbE/new/([a-z]+)$");
    static final Pattern ACTION = Pattern.compile("^[a-z0-9_-]{0,32}$", Pattern.CASE_INSENSITIVE);
    static final Pattern CDATA = Pattern.compile("^[a-z0-9_\\-=]{0,255}$", Pattern.CASE_INSENSITIVE);

    private final Clock clock;
    private final LabRandom random;
    private final LabEvents events;
    private final Sitekeys sitekeys;
    private final Tokens tokens;
    private final Siteverify siteverify;
    private final ScheduledExecutorService scheduler;
    private final StrictMode strict;
    private final ConcurrentHashMap<String, WidgetChallenge> open = new ConcurrentHashMap<>();
    private final String apiJs = resource("api.js");
    private final String widgetHtml = resource("widget.html");
    private final String widgetJs = resource("widget.js");
    private final String powJs = resource("pow-worker.js");

    public TurnstileHandler(Clock clock, LabRandom random, LabEvents events, Sitekeys sitekeys, Tokens tokens,
                            Siteverify siteverify, ScheduledExecutorService scheduler, StrictMode strict) {
        this.clock = clock;
        this.random = random;
        this.events = events;
        this.sitekeys = sitekeys;
        this.tokens = tokens;
        this.siteverify = siteverify;
        this.scheduler = scheduler;
        this.strict = strict;
    }

    /** Forgets open challenges (the lab's reset). */
    public void clear() {
        open.clear();
    }

    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String path = request.getHttpURI().getPath();
        String method = request.getMethod();
        response.getHeaders().put(HttpHeader.SERVER, "cloudflare");
        if (path.equals("/turnstile/v0/siteverify")) {
            if (!method.equals("POST")) {
                Http.json(response, callback, 405, Map.of("success", false, "error-codes", List.of("method-not-allowed")));
                return true;
            }
            siteverify(request, response, callback);
            return true;
        }
        if (method.equals("GET") || method.equals("HEAD")) {
            if (API_JS.matcher(path).matches()) {
                response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
                response.getHeaders().put("Access-Control-Allow-Origin", "*");
                Http.send(response, callback, 200, "application/javascript; charset=UTF-8", apiJs());
                return true;
            }
            if (path.equals(PREFIX + "lab/widget.js")) {
                Http.send(response, callback, 200, "application/javascript; charset=UTF-8", widgetJs);
                return true;
            }
            if (path.equals(StrictMode.SCRIPT_PATH)) {
                Http.send(response, callback, 200, "application/javascript; charset=UTF-8", StrictMode.script());
                return true;
            }
            if (path.equals(PREFIX + "lab/pow-worker.js")) {
                Http.send(response, callback, 200, "application/javascript; charset=UTF-8", powJs);
                return true;
            }
            Matcher widget = WIDGET.matcher(path);
            Matcher legacy = LEGACY_WIDGET.matcher(path);
            if (widget.matches() || legacy.matches()) {
                Matcher m = widget.matches() ? widget : legacy;
                widgetPage(m.group(1), m.group(2), request.getHttpURI().getQuery(), response, callback);
                return true;
            }
        }
        if (method.equals("POST") && path.equals(PREFIX + "lab/chl")) {
            challenge(request, response, callback);
            return true;
        }
        if (method.equals("POST") && path.equals(PREFIX + "lab/solve")) {
            solve(request, response, callback);
            return true;
        }
        return false;
    }

    // ---- api.js and the widget page ----

    private String apiJs() {
        Map<String, Object> dom = new LinkedHashMap<>();
        for (Sitekey key : sitekeys.all()) {
            if (key.hostile().changesDom()) {
                dom.put(key.sitekey(), Map.of("shadowMode", key.hostile().shadowMode(),
                        "legacyIframePath", key.hostile().legacyIframePath()));
            }
        }
        // The page's side of strict mode rides along: it only answers a strict widget's probe (LAB.md L5).
        return apiJs.replace("/*LAB_DOM*/{}", toJson(dom)).replace("/*LAB_RCH*/'v1'", "'" + RCH_VERSION + "'")
                + "\n" + StrictMode.script();
    }

    private void widgetPage(String wid, String sitekey, String query, Response response, Callback callback) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("wid", wid);
        config.put("sitekey", sitekey);
        Optional<Sitekey> key = sitekeys.find(sitekey);
        config.put("shadowMode", widgetShadowMode(query, key));
        boolean valid = TestKeys.isTestSitekey(sitekey) || key.isPresent() && !key.get().hostile().invalidSitekey();
        config.put("failCode", valid ? null : WidgetError.INVALID_SITEKEY.code());
        boolean invisible = TestKeys.invisible(sitekey) || key.map(k -> k.mode() == SitekeyMode.INVISIBLE).orElse(false);
        config.put("mode", invisible ? "invisible" : "visible");
        config.put("watchdogMs", key.filter(k -> k.hostile().hang()).map(k -> k.hostile().effectiveHangMs())
                .orElse(DEFAULT_WATCHDOG_MS));
        if (!valid) {
            events.append("widget.failed", "reason", WidgetError.INVALID_SITEKEY.name(), "code",
                    WidgetError.INVALID_SITEKEY.code(), "sitekey", sitekey, "detail", "widget page of an invalid sitekey");
        }
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        String html = widgetHtml.replace("/*LAB_CONFIG*/{}", toJson(config))
                .replace("<!--LAB_BODY-->", valid ? "" : "<h2>invalid_sitekey</h2>");
        Http.send(response, callback, 200, "text/html; charset=UTF-8", html);
    }

    /**
     * Where the widget page draws its content: in the mode api.js rendered the widget with (it says so in the
     * query when that is not the default), else the sitekey's {@code shadowMode}; closed, as Cloudflare does.
     */
    private static String widgetShadowMode(String query, Optional<Sitekey> key) {
        String asked;
        try {
            asked = Http.form(query).get("shadowMode");
        } catch (IllegalArgumentException e) {
            asked = null; // a malformed query names no mode
        }
        if (asked != null && List.of("closed", "open", "none").contains(asked)) {
            return asked;
        }
        return key.map(k -> k.hostile().shadowMode()).orElse("closed");
    }

    // ---- the widget's two steps ----

    private void challenge(Request request, Response response, Callback callback) throws IOException {
        JsonNode body = readJson(request);
        if (body == null) {
            Http.json(response, callback, 400, Map.of("error", "bad request"));
            return;
        }
        String sitekey = body.path("sitekey").asText("");
        String wid = body.path("wid").asText("");
        String action = body.path("action").asText("");
        String cdata = body.path("cData").asText("");
        String chlPageData = body.hasNonNull("chlPageData") ? body.get("chlPageData").asText() : null;
        String ua = body.path("ua").asText("");
        String host = hostOf(body.path("url").asText(""));
        String headerUa = request.getHeaders().get(HttpHeader.USER_AGENT);

        boolean test = TestKeys.isTestSitekey(sitekey);
        Optional<Sitekey> key = sitekeys.find(sitekey);
        long delayMs = key.map(Sitekey::delayMs).orElse(0L);
        SitekeyHostile hostile = key.map(Sitekey::hostile).orElse(SitekeyHostile.NONE);
        WidgetError fail = null;
        String reason = null;
        if (!test && (key.isEmpty() || hostile.invalidSitekey())) {
            fail = WidgetError.INVALID_SITEKEY;
            reason = "unknown or invalid sitekey";
        } else if (!ACTION.matcher(action).matches()) {
            fail = WidgetError.INVALID_ACTION;
            reason = "bad action";
        } else if (!CDATA.matcher(cdata).matches()) {
            fail = WidgetError.INVALID_CDATA;
            reason = "bad cData";
        } else if (!test && (hostile.domainNotAllowed() || !key.get().allowsHost(host))) {
            fail = WidgetError.DOMAIN_NOT_ALLOWED;
            reason = "domain not allowed: " + host;
        } else if (ua.isEmpty() || !ua.equals(headerUa)) {
            fail = WidgetError.INCONSISTENT_USER_AGENT;
            reason = "user agent differs from the request's";
        } else if (TestKeys.fails(sitekey) || hostile.alwaysFail()) {
            fail = WidgetError.CHALLENGE_FAILED;
            reason = "always fails";
        }
        if (fail != null) {
            events.append("widget.failed", "reason", fail.name(), "code", fail.code(), "sitekey", sitekey, "detail", reason,
                    "host", host);
            answerLater(response, callback, delayMs, Map.of("fail", fail.code()));
            return;
        }
        if (hostile.hang()) {
            events.append("widget.hung", "sitekey", sitekey, "host", host);
            // The widget stops answering: this request is left open (Jetty's idle timeout ends it).
            return;
        }
        if (open.size() >= MAX_OPEN_CHALLENGES) {
            open.values().removeIf(c -> clock.millis() - c.issuedAtMs() > c.timeoutMs());
        }
        boolean interactive = TestKeys.interactive(sitekey) || hostile.interactiveOnly();
        int bits = test ? 0 : key.get().powBits();
        long timeoutMs = interactive ? (test ? SitekeyHostile.DEFAULT_CHL_TIMEOUT_MS : hostile.effectiveChlTimeoutMs())
                : NON_INTERACTIVE_TIMEOUT_MS;
        WidgetChallenge chl = new WidgetChallenge(random.hex(16), sitekey, wid, host, action, cdata, chlPageData, ua,
                random.powSeed(), bits, interactive, clock.millis(), timeoutMs);
        open.put(chl.chlId(), chl);
        events.append("challenge.issued", "sitekey", sitekey, "chlId", chl.chlId(), "host", host, "bits", bits,
                "interactive", interactive, "ua", ua);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("chlId", chl.chlId());
        answer.put("seed", chl.seed());
        answer.put("bits", bits);
        answer.put("interactive", interactive);
        answer.put("timeoutMs", timeoutMs);
        answer.put("strict", strict.targets().widget(sitekey, host));
        answerLater(response, callback, delayMs, answer);
    }

    private void solve(Request request, Response response, Callback callback) throws IOException {
        JsonNode body = readJson(request);
        if (body == null) {
            Http.json(response, callback, 400, Map.of("error", "bad request"));
            return;
        }
        WidgetChallenge chl = open.remove(body.path("chlId").asText(""));
        if (chl == null) {
            events.append("widget.failed", "reason", WidgetError.CHALLENGE_FAILED.name(), "code",
                    WidgetError.CHALLENGE_FAILED.code(), "detail", "unknown or used challenge");
            Http.json(response, callback, 200, Map.of("fail", WidgetError.CHALLENGE_FAILED.code()));
            return;
        }
        Optional<Sitekey> key = sitekeys.find(chl.sitekey());
        long delayMs = key.map(Sitekey::delayMs).orElse(0L);
        SitekeyHostile hostile = key.map(Sitekey::hostile).orElse(SitekeyHostile.NONE);
        String ua = body.path("ua").asText("");
        String headerUa = request.getHeaders().get(HttpHeader.USER_AGENT);
        long now = clock.millis();
        WidgetError fail = null;
        String reason = null;
        if (!chl.ua().equals(ua) || !ua.equals(headerUa)) {
            fail = WidgetError.INCONSISTENT_USER_AGENT;
            reason = "user agent changed between the two steps";
        } else if (now - chl.issuedAtMs() > chl.timeoutMs()) {
            fail = WidgetError.TIMED_OUT;
            reason = "challenge timed out";
        } else if (!ProofOfWork.verify(chl.seed(), body.path("n").asText(""), chl.bits())) {
            fail = WidgetError.CHALLENGE_FAILED;
            reason = "wrong proof of work";
        } else if (chl.interactive() && !trustedClick(body.path("trustedClick"))) {
            fail = WidgetError.CHALLENGE_FAILED;
            reason = "no trusted click";
        } else if (strict.targets().widget(chl.sitekey(), chl.host()) && !strict.passes("widget",
                chl.sitekey() + "@" + chl.host(), body.path("strict"), Request.getRemoteAddr(request),
                name -> request.getHeaders().get(name), chl.interactive())) {
            fail = WidgetError.CHALLENGE_FAILED;
            reason = "strict checks fired";
        }
        if (fail != null) {
            events.append("widget.failed", "reason", fail.name(), "code", fail.code(), "sitekey", chl.sitekey(),
                    "chlId", chl.chlId(), "detail", reason);
            answerLater(response, callback, delayMs, Map.of("fail", fail.code()));
            return;
        }
        String token;
        long ttl;
        if (TestKeys.isTestSitekey(chl.sitekey())) {
            token = TestKeys.DUMMY_TOKEN;
            ttl = DEFAULT_TOKEN_TTL_MS;
            events.append("token.issued", "sitekey", chl.sitekey(), "token", "dummy", "host", chl.host());
        } else {
            ttl = hostile.tokenTtlMs() > 0 ? hostile.tokenTtlMs() : DEFAULT_TOKEN_TTL_MS;
            String jti = random.hex(16);
            token = tokens.issue(new TokenClaims(jti, chl.sitekey(), chl.host(), chl.action(), chl.cdata(), now,
                    now + ttl, chl.wid(), chl.interactive(),
                    chl.chlPageData() == null ? null : Sealer.sha256Hex(chl.chlPageData())));
            events.append("token.issued", "sitekey", chl.sitekey(), "jti", jti, "host", chl.host(),
                    "action", chl.action(), "cdata", chl.cdata(), "interactive", chl.interactive());
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("token", token);
        answer.put("expiresInMs", ttl);
        answerLater(response, callback, delayMs, answer);
    }

    /**
     * What the lab can check of a click: the page reports the browser's {@code event.isTrusted} and where the click
     * landed; a script's {@code element.click()} is untrusted and has no pointer position. A solver that forges the
     * report itself is not caught here (see the module README).
     */
    private static boolean trustedClick(JsonNode click) {
        if (!click.path("isTrusted").asBoolean(false)) {
            return false;
        }
        double x = click.path("x").asDouble(-1);
        double y = click.path("y").asDouble(-1);
        return click.path("x").isNumber() && click.path("y").isNumber() && x > 0 && y > 0 && x < 2000 && y < 2000
                && "click".equals(click.path("type").asText());
    }

    // ---- siteverify ----

    private void siteverify(Request request, Response response, Callback callback) throws IOException {
        Siteverify.Request parsed = parseSiteverify(request);
        if (parsed == null) {
            events.append("token.rejected", "reason", SiteverifyError.BAD_REQUEST.wire());
            Http.json(response, callback, 200, Siteverify.Result.failure(SiteverifyError.BAD_REQUEST).toJson());
            return;
        }
        Optional<Sitekey> key = sitekeys.findBySecret(parsed.secret());
        SiteverifyFault fault = key.map(k -> k.hostile().siteverifyFault()).orElse(SiteverifyFault.NONE);
        if (fault != SiteverifyFault.NONE) {
            events.append("siteverify.faulted", "sitekey", key.get().sitekey(), "fault", fault.name());
        }
        switch (fault) {
            case INTERNAL_ERROR -> Http.json(response, callback, 200,
                    Siteverify.Result.failure(SiteverifyError.INTERNAL_ERROR).toJson());
            case HTTP_5XX -> Http.json(response, callback, 500,
                    Siteverify.Result.failure(SiteverifyError.INTERNAL_ERROR).toJson());
            case HTML_ERROR -> Http.send(response, callback, 502, "text/html; charset=UTF-8",
                    "<!DOCTYPE html><html><head><title>challenges.cloudflare.com | 502: Bad gateway</title></head>"
                            + "<body><h1>Bad gateway</h1><p>Error code 502</p>"
                            + "<p>Performance &amp; security by Cloudflare</p></body></html>");
            case SLOW -> {
                long delay = key.get().hostile().effectiveSiteverifyDelayMs();
                scheduler.schedule(() -> Http.json(response, callback, 200, siteverify.verify(parsed).toJson()),
                        delay, TimeUnit.MILLISECONDS);
            }
            case NONE -> Http.json(response, callback, 200, siteverify.verify(parsed).toJson());
            default -> throw new IllegalStateException("unhandled fault " + fault);
        }
    }

    /** The request's fields from a JSON or form body, or null when the body cannot be parsed. */
    private static Siteverify.Request parseSiteverify(Request request) throws IOException {
        String body;
        try {
            body = Http.body(request);
        } catch (Http.BodyTooLargeException e) {
            return null;
        }
        String type = Http.mediaType(request);
        if (type.equals("application/json")) {
            try {
                JsonNode json = Http.JSON.readTree(body);
                if (json == null || !json.isObject()) {
                    return null;
                }
                return new Siteverify.Request(text(json, "secret"), text(json, "response"), text(json, "remoteip"),
                        text(json, "idempotency_key"));
            } catch (IOException e) {
                return null;
            }
        }
        if (type.isEmpty() || type.equals("application/x-www-form-urlencoded")) {
            try {
                Map<String, String> form = Http.form(body);
                return new Siteverify.Request(form.get("secret"), form.get("response"), form.get("remoteip"),
                        form.get("idempotency_key"));
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        return null;
    }

    private static String text(JsonNode json, String field) {
        JsonNode value = json.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    // ---- helpers ----

    private void answerLater(Response response, Callback callback, long delayMs, Object answer) {
        if (delayMs <= 0) {
            Http.json(response, callback, 200, answer);
        } else {
            scheduler.schedule(() -> Http.json(response, callback, 200, answer), delayMs, TimeUnit.MILLISECONDS);
        }
    }

    private static JsonNode readJson(Request request) throws IOException {
        try {
            JsonNode json = Http.JSON.readTree(Http.body(request));
            return json != null && json.isObject() ? json : null;
        } catch (com.fasterxml.jackson.core.JsonProcessingException | Http.BodyTooLargeException e) {
            return null;
        }
    }

    private static String hostOf(String url) {
        try {
            String host = URI.create(url).getHost();
            return host == null ? "" : host.toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return "";
        }
    }

    private static String toJson(Object value) {
        try {
            return Http.JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String resource(String name) {
        return Resources.text(TurnstileHandler.class, name);
    }
}
