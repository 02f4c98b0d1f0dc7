package dev.turnpike.lab.origin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The site behind the gate (LAB.md L3): a home page a solver can recognise, {@code /api/echo} that shows what
 * arrived (so a test sees a POST with its content type and fields), and a Turnstile form.
 */
final class LabApplication {

    /** Where pages load Turnstile from; the browser maps the host to the lab. */
    static final String API_JS = "https://challenges.cloudflare.com/turnstile/v0/api.js";
    /** The {@code data-cdata} of the {@code /form} widget. */
    static final String FORM_CDATA = "lab-form";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final TurnstileVerifier verifier;

    LabApplication(TurnstileVerifier verifier) {
        this.verifier = Objects.requireNonNull(verifier, "verifier");
    }

    OriginResponse handle(OriginHost host, OriginRequest request, String ray) {
        String method = request.method();
        boolean read = method.equals("GET") || method.equals("HEAD");
        return switch (request.path()) {
            case "/" -> read ? page(200, ray, home(host)) : notAllowed(ray);
            case "/api/echo" -> read || method.equals("POST") ? echo(request, ray) : notAllowed(ray);
            case "/form" -> read ? page(200, ray, form(host))
                    : method.equals("POST") ? submitForm(host, request, ray) : notAllowed(ray);
            default -> page(404, ray, "<!DOCTYPE html><html><head><title>Not Found</title></head>"
                    + "<body><h1>Not Found</h1></body></html>");
        };
    }

    private static String home(OriginHost host) {
        return "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Lab Protected Home</title>"
                + "</head><body><main id=\"lab-ok\"><h1>Lab Protected Home</h1><p>You reached "
                + Templates.html(host.host()) + ".</p></main></body></html>";
    }

    private static String form(OriginHost host) {
        return "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Lab Form</title>"
                + "<script src=\"" + API_JS + "\" async defer></script></head><body>"
                + "<form id=\"lab-form\" method=\"POST\" action=\"/form\">"
                + "<label>Comment <input name=\"comment\" value=\"hello\"></label>"
                + "<div class=\"cf-turnstile\" data-sitekey=\"" + Templates.html(host.formSitekey())
                + "\" data-action=\"submit\" data-cdata=\"" + FORM_CDATA + "\"></div>"
                + "<button type=\"submit\">Submit</button></form></body></html>";
    }

    private OriginResponse submitForm(OriginHost host, OriginRequest request, String ray) {
        var fields = OriginRequest.parseForm(new String(request.body(), StandardCharsets.UTF_8));
        String token = fields.stream().filter(e -> e.getKey().equals("cf-turnstile-response"))
                .map(Map.Entry::getValue).findFirst().orElse("");
        TurnstileVerifier.Verdict verdict = verifier.verify(host.formSecret(), token, request.clientIp());
        if (verdict.success()) {
            return page(200, ray, "<!DOCTYPE html><html><head><title>Lab Form Accepted</title></head><body>"
                    + "<main id=\"lab-form-ok\"><h1>Form accepted</h1><p>action " + Templates.html(
                    String.valueOf(verdict.action())) + ", hostname " + Templates.html(String.valueOf(
                    verdict.hostname())) + "</p></main></body></html>");
        }
        return page(403, ray, "<!DOCTYPE html><html><head><title>Lab Form Refused</title></head><body>"
                + "<main id=\"lab-form-refused\"><h1>Form refused</h1><p>"
                + Templates.html(String.join(" ", verdict.errorCodes())) + "</p></main></body></html>");
    }

    private static OriginResponse echo(OriginRequest request, String ray) {
        ObjectNode out = JSON.createObjectNode();
        out.put("method", request.method());
        out.put("path", request.path());
        out.put("query", request.rawQuery());
        ObjectNode headers = out.putObject("headers");
        for (OriginRequest.Header h : request.headers()) {
            String name = h.name().toLowerCase(Locale.ROOT);
            JsonNode seen = headers.get(name);
            headers.put(name, seen == null ? h.value() : seen.asText() + ", " + h.value());
        }
        ObjectNode cookies = out.putObject("cookies");
        request.cookies().forEach(cookies::put);
        String contentType = request.header("Content-Type").orElse(null);
        out.put("contentType", contentType);
        String body = new String(request.body(), StandardCharsets.UTF_8);
        out.put("body", body);
        String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
        if (type.startsWith("application/x-www-form-urlencoded")) {
            ArrayNode form = out.putArray("form");
            for (var field : OriginRequest.parseForm(body)) {
                form.addObject().put("name", field.getKey()).put("value", field.getValue());
            }
        } else if (type.startsWith("application/json")) {
            try {
                out.set("json", JSON.readTree(body));
            } catch (IOException notJson) {
                out.put("jsonError", "the body is not JSON");
            }
        }
        try {
            return OriginResponse.status(200)
                    .header("Server", CloudflareHeaders.SERVER)
                    .header("cf-ray", CloudflareHeaders.rayHeader(ray))
                    .header("Cache-Control", "no-store")
                    .body("application/json", JSON.writeValueAsString(out));
        } catch (IOException e) {
            throw new IllegalStateException("a tree of strings always serialises", e);
        }
    }

    private static OriginResponse notAllowed(String ray) {
        return OriginResponse.status(405)
                .header("Server", CloudflareHeaders.SERVER)
                .header("cf-ray", CloudflareHeaders.rayHeader(ray))
                .html("<!DOCTYPE html><html><head><title>Method Not Allowed</title></head><body>"
                        + "<h1>Method Not Allowed</h1></body></html>");
    }

    private static OriginResponse page(int status, String ray, String html) {
        return OriginResponse.status(status)
                .header("Server", CloudflareHeaders.SERVER)
                .header("cf-ray", CloudflareHeaders.rayHeader(ray))
                .html(html);
    }
}
