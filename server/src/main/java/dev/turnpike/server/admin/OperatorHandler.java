package dev.turnpike.server.admin;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.turnpike.server.store.StoreException;
import dev.turnpike.server.api.Json;
import dev.turnpike.server.api.RequestBody;
import dev.turnpike.server.health.Readiness;
import dev.turnpike.server.metrics.TurnpikeMetrics;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's HTTP paths, in front of the protocol's router (it answers only these and lets every other
 * request through):
 * <ul>
 *   <li>{@code GET /health/live}: liveness, no token; answers as long as the process serves HTTP;</li>
 *   <li>{@code GET /health/ready}: readiness, no token (probes carry none; it says only up or down);</li>
 *   <li>{@code GET /metrics}: Prometheus text, with the admin token as {@code Authorization: Bearer} unless
 *       metrics are open;</li>
 *   <li>{@code GET /admin}: the status page (static files, no data: the data comes from the API with the token);</li>
 *   <li>{@code /admin/api/…}: the admin API, every path behind the token (401 without it or with a wrong one).</li>
 * </ul>
 * The token travels only in the Authorization header, never in a cookie, so other sites cannot make the
 * operator's browser act here.
 */
public final class OperatorHandler extends Handler.Abstract {

    private static final Logger log = LoggerFactory.getLogger(OperatorHandler.class);
    private static final String JSON = "application/json; charset=utf-8";
    private static final int MAX_BODY_BYTES = 16 * 1024;
    private static final byte[] LIVE = "{\"status\":\"ok\"}".getBytes(StandardCharsets.UTF_8);
    /** The page may load and call only its own origin: nothing from other hosts, even if a file said so. */
    private static final String PAGE_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private record StaticFile(byte[] bytes, String contentType) {
    }

    private final AdminToken token;
    private final Optional<AdminApi> api;
    private final TurnpikeMetrics metrics;
    private final Readiness readiness;
    private final boolean metricsOpen;
    private final Map<String, StaticFile> page = new LinkedHashMap<>();

    /** @param api empty on a node without the admin API and status page (a solver node): those paths are not answered */
    public OperatorHandler(AdminToken token, Optional<AdminApi> api, TurnpikeMetrics metrics, Readiness readiness,
                           boolean metricsOpen) {
        super(InvocationType.BLOCKING);
        this.token = token;
        this.api = api;
        this.metrics = metrics;
        this.readiness = readiness;
        this.metricsOpen = metricsOpen;
        StaticFile index = resource("index.html", "text/html; charset=utf-8");
        page.put("/admin", index);
        page.put("/admin/", index);
        page.put("/admin/status.js", resource("status.js", "text/javascript; charset=utf-8"));
        page.put("/admin/status.css", resource("status.css", "text/css; charset=utf-8"));
    }

    private static StaticFile resource(String name, String contentType) {
        try (InputStream in = OperatorHandler.class.getResourceAsStream("/admin/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource /admin/" + name);
            }
            return new StaticFile(in.readAllBytes(), contentType);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String path = Request.getPathInContext(request);
        boolean get = HttpMethod.GET.is(request.getMethod()) || HttpMethod.HEAD.is(request.getMethod());
        if (path.equals("/health/live") || path.equals("/health/live/")) {
            write(response, callback, HttpStatus.OK_200, JSON, LIVE);
            return true;
        }
        if (path.equals("/health/ready")) {
            ready(response, callback);
            return true;
        }
        if (path.equals("/metrics")) {
            if (!metricsOpen && !authorized(request)) {
                unauthorized(request, response, callback);
            } else if (!get) {
                RequestBody.discard(request, response);
                error(response, callback, HttpStatus.METHOD_NOT_ALLOWED_405, "use GET /metrics");
            } else {
                write(response, callback, HttpStatus.OK_200, TurnpikeMetrics.CONTENT_TYPE,
                        metrics.scrape().getBytes(StandardCharsets.UTF_8));
            }
            return true;
        }
        if (api.isEmpty()) {
            return false;
        }
        StaticFile file = page.get(path);
        if (file != null) {
            if (!get) {
                RequestBody.discard(request, response);
                error(response, callback, HttpStatus.METHOD_NOT_ALLOWED_405, "use GET " + path);
                return true;
            }
            response.getHeaders().put("Content-Security-Policy", PAGE_POLICY);
            response.getHeaders().put("Referrer-Policy", "no-referrer");
            response.getHeaders().put("X-Frame-Options", "DENY");
            write(response, callback, HttpStatus.OK_200, file.contentType(), file.bytes());
            return true;
        }
        if (path.startsWith("/admin/api/") || path.equals("/admin/api")) {
            if (!authorized(request)) {
                unauthorized(request, response, callback);
                return true;
            }
            adminApi(path.substring("/admin/api".length()), request, response, callback);
            return true;
        }
        return false;
    }

    /** An admin path that does not exist: 404. */
    private static final class NotFound extends RuntimeException {
        NotFound(String action) {
            super("no admin action " + action);
        }
    }

    /** An admin path called with the wrong HTTP method: 405. */
    private static final class WrongMethod extends RuntimeException {
        WrongMethod(String method, String action) {
            super("use " + method + " /admin/api" + action);
        }
    }

    private void adminApi(String action, Request request, Response response, Callback callback) {
        try {
            writeJson(response, callback, HttpStatus.OK_200, act(action, request, response));
        } catch (NotFound e) {
            RequestBody.discard(request, response);
            error(response, callback, HttpStatus.NOT_FOUND_404, e.getMessage());
        } catch (WrongMethod e) {
            RequestBody.discard(request, response);
            error(response, callback, HttpStatus.METHOD_NOT_ALLOWED_405, e.getMessage());
        } catch (AdminApi.BadRequest e) {
            error(response, callback, HttpStatus.BAD_REQUEST_400, e.getMessage());
        } catch (StoreException e) {
            log.warn("admin API: the store failed: {}", e.toString());
            error(response, callback, HttpStatus.SERVICE_UNAVAILABLE_503, "the store does not answer");
        } catch (RuntimeException e) {
            log.error("admin API: internal error", e);
            error(response, callback, HttpStatus.INTERNAL_SERVER_ERROR_500, "internal error");
        }
    }

    /** One admin action: reads are GET, changes are POST with a JSON body. */
    private Object act(String action, Request request, Response response) {
        boolean get = HttpMethod.GET.is(request.getMethod());
        boolean post = HttpMethod.POST.is(request.getMethod());
        AdminApi admin = api.orElseThrow();
        return switch (action) {
            case "/stats" -> get ? admin.stats() : wrong("GET", action);
            case "/keys" -> get ? admin.keys() : wrong("GET", action);
            case "/keys/create" -> post ? admin.create(body(request, response)) : wrong("POST", action);
            case "/keys/topup" -> post ? admin.topUp(body(request, response)) : wrong("POST", action);
            case "/keys/revoke" -> post ? admin.revoke(body(request, response)) : wrong("POST", action);
            default -> throw new NotFound(action);
        };
    }

    private static Object wrong(String method, String action) {
        throw new WrongMethod(method, action);
    }

    private static ObjectNode body(Request request, Response response) {
        byte[] bytes;
        try {
            bytes = RequestBody.read(request, response, MAX_BODY_BYTES);
        } catch (IOException e) {
            throw new AdminApi.BadRequest("the body could not be read");
        }
        if (bytes == null) {
            throw new AdminApi.BadRequest("the body is larger than " + MAX_BODY_BYTES + " bytes");
        }
        if (bytes.length == 0) {
            return Json.MAPPER.createObjectNode();
        }
        try {
            JsonNode tree = Json.MAPPER.readTree(bytes);
            if (tree instanceof ObjectNode object) {
                return object;
            }
        } catch (JacksonException e) {
            // falls through
        } catch (IOException e) {
            throw new AdminApi.BadRequest("the body could not be read");
        }
        throw new AdminApi.BadRequest("the body must be a JSON object");
    }

    private void ready(Response response, Callback callback) throws InterruptedException {
        Readiness.Report report = readiness.check();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", report.ready() ? "up" : "down");
        body.put("store", report.storeUp() ? "up" : "down");
        body.put("browsers", report.browsers() == null ? Map.of("pool", false)
                : Map.of("pool", true, "available", report.browsers().available(),
                "idleSlots", report.browsers().idleSlots(), "startable", report.browsers().startable()));
        writeJson(response, callback, report.ready() ? HttpStatus.OK_200 : HttpStatus.SERVICE_UNAVAILABLE_503, body);
    }

    private boolean authorized(Request request) {
        String header = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        return token.matches(header.substring(7).strip());
    }

    private static void unauthorized(Request request, Response response, Callback callback) {
        RequestBody.discard(request, response);
        response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer realm=\"turnpike-admin\"");
        error(response, callback, HttpStatus.UNAUTHORIZED_401,
                "the admin token is required: Authorization: Bearer <token>");
    }

    private static void error(Response response, Callback callback, int status, String message) {
        writeJson(response, callback, status, Map.of("error", message));
    }

    private static void writeJson(Response response, Callback callback, int status, Object answer) {
        byte[] bytes;
        try {
            bytes = Json.MAPPER.writeValueAsBytes(answer);
        } catch (IOException e) {
            callback.failed(e);
            return;
        }
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        write(response, callback, status, JSON, bytes);
    }

    private static void write(Response response, Callback callback, int status, String contentType, byte[] bytes) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
        response.getHeaders().put("X-Content-Type-Options", "nosniff");
        response.write(true, ByteBuffer.wrap(bytes), callback);
    }
}
