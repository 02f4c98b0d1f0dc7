package dev.turnpike.lab;

import dev.turnpike.lab.http.AdminJson;
import dev.turnpike.lab.core.Http;
import com.fasterxml.jackson.databind.JsonNode;
import dev.turnpike.lab.core.LabEvent;
import dev.turnpike.lab.proxy.ProxyFault;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.function.Supplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The admin API over HTTP on its own loopback port, mirroring {@link LabAdmin}. It refuses anything a browser
 * sends (an {@code Origin} or {@code Sec-Fetch-*} header) and bodies that are not JSON, so a page in a solver's
 * browser cannot reach it even though it listens on 127.0.0.1.
 *
 * <pre>
 * GET  /info                          ports, certificate pin, Chromium flags
 * POST /sitekeys                      {sitekey, secret, hostnames[], mode, powBits, delayMs, hostile{}}
 * PUT  /sitekeys/{sitekey}/hostile    {alwaysFail, interactiveOnly, chlTimeoutMs, tokenTtlMs, ...}
 * POST /hosts                         {host, kind, cType, passageSec, hostile{}}
 * PUT  /sitekeys/{sitekey}/strict     {strict}   (also a field of POST /sitekeys and POST /hosts)
 * PUT  /hosts/{host}/strict           {strict}
 * PUT  /hosts/{host}/hostile          {challengeLoop, bindingStrict, blocked, legacyIuam, cMTimeMs, redirect307}
 * POST /proxy-accounts                {user, pass, exitIp, fault, country}
 * PUT  /proxy-accounts/{user}/fault   {fault}
 * POST /pages                         {host, path, html}
 * GET  /events?since=N                the event log after sequence N
 * POST /pow-seeds                     {replay: N}: widgets' proof-of-work seeds replayed from N; {replay: null}: random
 * POST /reset
 * </pre>
 */
public final class AdminHandler extends Handler.Abstract {

    private final LabAdmin admin;
    private final Supplier<Map<String, Object>> info;

    public AdminHandler(LabAdmin admin, Supplier<Map<String, Object>> info) {
        this.admin = admin;
        this.info = info;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (request.getHeaders().get(HttpHeader.ORIGIN) != null || request.getHeaders().get("Sec-Fetch-Mode") != null) {
            Http.json(response, callback, 403, Map.of("error", "the admin API does not answer browsers"));
            return true;
        }
        String method = request.getMethod();
        String path = request.getHttpURI().getPath();
        String[] parts = path.substring(1).split("/");
        try {
            if (method.equals("GET") && path.equals("/info")) {
                Http.json(response, callback, 200, info.get());
            } else if (method.equals("GET") && path.equals("/events")) {
                String since = Request.extractQueryParameters(request).getValue("since");
                List<LabEvent> events = since == null ? admin.events() : admin.eventsSince(Long.parseLong(since));
                Http.json(response, callback, 200, Map.of("events", events.stream().map(AdminJson::event).toList()));
            } else if (method.equals("POST") && path.equals("/pow-seeds")) {
                JsonNode replay = body(request).path("replay");
                if (!replay.isNull() && !replay.isIntegralNumber()) {
                    throw new IllegalArgumentException("replay must be an integer or null");
                }
                admin.replayPowSeeds(replay.isNull() ? null : replay.asLong());
                Http.json(response, callback, 200, Map.of("replay", replay.isNull() ? "off" : replay.asText()));
            } else if (method.equals("POST") && path.equals("/reset")) {
                admin.reset();
                Http.json(response, callback, 200, Map.of("reset", true));
            } else if (method.equals("POST") && path.equals("/sitekeys")) {
                JsonNode json = body(request);
                var key = admin.registerSitekey(AdminJson.sitekey(json));
                admin.setSitekeyStrict(key.sitekey(), AdminJson.strict(json));
                Http.json(response, callback, 201, Map.of("sitekey", key.sitekey()));
            } else if (method.equals("PUT") && parts.length == 3 && parts[0].equals("sitekeys") && parts[2].equals("hostile")) {
                admin.setSitekeyHostile(parts[1], AdminJson.sitekeyHostile(body(request)));
                Http.json(response, callback, 200, Map.of("sitekey", parts[1]));
            } else if (method.equals("PUT") && parts.length == 3 && parts[0].equals("sitekeys") && parts[2].equals("strict")) {
                admin.setSitekeyStrict(parts[1], AdminJson.strict(body(request)));
                Http.json(response, callback, 200, Map.of("sitekey", parts[1]));
            } else if (method.equals("PUT") && parts.length == 3 && parts[0].equals("hosts") && parts[2].equals("strict")) {
                admin.setHostStrict(parts[1], AdminJson.strict(body(request)));
                Http.json(response, callback, 200, Map.of("host", parts[1]));
            } else if (method.equals("POST") && path.equals("/hosts")) {
                JsonNode json = body(request);
                var host = admin.registerHost(AdminJson.host(json));
                admin.setHostStrict(host.name(), AdminJson.strict(json));
                Http.json(response, callback, 201, Map.of("host", host.name()));
            } else if (method.equals("PUT") && parts.length == 3 && parts[0].equals("hosts") && parts[2].equals("hostile")) {
                admin.setHostHostile(parts[1], AdminJson.hostHostile(body(request)));
                Http.json(response, callback, 200, Map.of("host", parts[1]));
            } else if (method.equals("POST") && path.equals("/proxy-accounts")) {
                var account = admin.registerProxyAccount(AdminJson.proxyAccount(body(request)));
                Http.json(response, callback, 201, Map.of("user", account.user()));
            } else if (method.equals("PUT") && parts.length == 3 && parts[0].equals("proxy-accounts") && parts[2].equals("fault")) {
                admin.setProxyFault(parts[1], AdminJson.enumOf(ProxyFault.class, body(request).path("fault").asText("none")));
                Http.json(response, callback, 200, Map.of("user", parts[1]));
            } else if (method.equals("POST") && path.equals("/pages")) {
                JsonNode page = body(request);
                admin.registerPage(page.path("host").asText(), page.path("path").asText(), page.path("html").asText(null));
                Http.json(response, callback, 201, Map.of("host", page.path("host").asText(), "path", page.path("path").asText()));
            } else {
                Http.json(response, callback, 404, Map.of("error", "no such admin endpoint: " + method + " " + path));
            }
        } catch (NoSuchElementException e) {
            Http.json(response, callback, 404, Map.of("error", e.getMessage()));
        } catch (IllegalArgumentException | IOException e) {
            Http.json(response, callback, 400, Map.of("error", String.valueOf(e.getMessage())));
        }
        return true;
    }

    private static JsonNode body(Request request) throws IOException {
        if (!Http.mediaType(request).equals("application/json")) {
            throw new IllegalArgumentException("the admin API takes Content-Type: application/json");
        }
        JsonNode json = Http.JSON.readTree(Http.body(request));
        if (json == null || !json.isObject()) {
            throw new IllegalArgumentException("expected a JSON object");
        }
        return json;
    }
}
