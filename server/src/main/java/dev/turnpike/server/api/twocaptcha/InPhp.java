package dev.turnpike.server.api.twocaptcha;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.turnpike.protocol.ErrorCode;
import dev.turnpike.server.api.ApiException;
import dev.turnpike.server.api.ApiRequest;
import dev.turnpike.server.api.CreateTask;
import dev.turnpike.server.task.Dialect;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code in.php} (PROTOCOL.md §9.2): a Turnstile submitted with 2Captcha's parameters becomes the createTask body it
 * means ({@code TurnstileTaskProxyless}, or {@code TurnstileTask} with a proxy) and goes through {@link CreateTask}:
 * the same parser, address policy, points and queue. Turnpike's error codes are answered as 2Captcha's.
 */
final class InPhp {

    private static final Set<String> PROXY_TYPES = Set.of("http", "https", "socks4", "socks5");

    /** The createTask field each 2Captcha parameter becomes, to name the parameter back in an error. */
    private static final Map<String, String> PARAMETER_OF = Map.of(
            "websiteURL", "pageurl",
            "websiteKey", "sitekey",
            "action", "action",
            "cData", "data",
            "chlPageData", "pagedata",
            "userAgent", "useragent",
            "proxy", "proxy",
            "callbackUrl", "pingback");
    private static final Pattern FIELD_NAMES = Pattern.compile("\\b(" + String.join("|", PARAMETER_OF.keySet()) + ")\\b");

    private final CreateTask createTask;

    InPhp(CreateTask createTask) {
        this.createTask = createTask;
    }

    Answer handle(Params params) throws TwoCaptchaException {
        String key = ClientKey.of(params);
        String method = params.text("method");
        if (method == null) {
            throw new TwoCaptchaException(TwoCaptchaError.ERROR_BAD_PARAMETERS, "method is missing");
        }
        if (!method.equals("turnstile")) {
            throw new TwoCaptchaException(TwoCaptchaError.ERROR_BAD_PARAMETERS,
                    "method " + method + " is not supported: this server solves method=turnstile");
        }
        if (params.text("pageurl") == null) {
            throw new TwoCaptchaException(TwoCaptchaError.ERROR_PAGEURL, "pageurl is missing");
        }
        if (params.text("sitekey") == null) {
            throw new TwoCaptchaException(TwoCaptchaError.ERROR_BAD_PARAMETERS, "sitekey is missing");
        }
        params.flag("json"); // validated: the answer's form was read before
        params.flag("header_acao");
        String softId = params.text("soft_id");
        if (softId != null && !softId.matches("\\d{1,12}")) {
            throw new TwoCaptchaException(TwoCaptchaError.ERROR_BAD_PARAMETERS, "soft_id must be a number");
        }
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("clientKey", key);
        ObjectNode task = body.putObject("task");
        String proxy = proxy(params);
        task.put("type", proxy == null ? "TurnstileTaskProxyless" : "TurnstileTask");
        task.put("websiteURL", params.text("pageurl"));
        task.put("websiteKey", params.text("sitekey"));
        putIfPresent(task, "action", params.text("action"));
        putIfPresent(task, "cData", params.text("data"));
        putIfPresent(task, "chlPageData", params.text("pagedata"));
        putIfPresent(task, "userAgent", params.text("useragent"));
        putIfPresent(task, "proxy", proxy);
        putIfPresent(body, "callbackUrl", params.text("pingback"));
        try {
            return Answer.ok(createTask.submit(new ApiRequest(body, null), Dialect.TWO_CAPTCHA).id().toString());
        } catch (ApiException e) {
            throw translated(e);
        }
    }

    /** {@code proxy} ({@code login:password@host:port} or {@code host:port}) as a URL of its {@code proxytype}. */
    private static String proxy(Params params) throws TwoCaptchaException {
        String proxy = params.text("proxy");
        String type = params.text("proxytype");
        if (type != null && !PROXY_TYPES.contains(type.toLowerCase(Locale.ROOT))) {
            throw new TwoCaptchaException(TwoCaptchaError.ERROR_BAD_PARAMETERS,
                    "proxytype must be HTTP, HTTPS, SOCKS4 or SOCKS5");
        }
        if (proxy == null) {
            return null;
        }
        if (proxy.contains("://")) {
            throw new TwoCaptchaException(TwoCaptchaError.ERROR_BAD_PARAMETERS,
                    "proxy must be login:password@host:port, its type in proxytype");
        }
        String scheme = (type == null ? "http" : type.toLowerCase(Locale.ROOT)) + "://";
        int at = proxy.lastIndexOf('@');
        int colon = proxy.indexOf(':');
        if (at < 0 || colon < 0 || colon > at) {
            return scheme + proxy; // no credentials, or malformed ones: the proxy parser names it
        }
        // The credentials are raw here (a password may hold '%', ':' or '@'); in a URL they are percent-encoded.
        return scheme + userInfo(proxy.substring(0, colon)) + ":" + userInfo(proxy.substring(colon + 1, at))
                + proxy.substring(at);
    }

    private static String userInfo(String raw) {
        return URLEncoder.encode(raw, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static void putIfPresent(ObjectNode node, String field, String value) {
        if (value != null) {
            node.put(field, value);
        }
    }

    /** Turnpike's createTask error as the 2Captcha code its clients react to, naming 2Captcha's parameters. */
    private static TwoCaptchaException translated(ApiException e) {
        String text = named(e.getMessage());
        TwoCaptchaError code = switch (e.code()) {
            case ERROR_KEY_DOES_NOT_EXIST -> TwoCaptchaError.ERROR_KEY_DOES_NOT_EXIST;
            case ERROR_ZERO_BALANCE -> TwoCaptchaError.ERROR_ZERO_BALANCE;
            case ERROR_NO_SLOT_AVAILABLE, ERROR_SERVICE_UNAVALIABLE -> TwoCaptchaError.ERROR_NO_SLOT_AVAILABLE;
            // A field refused by the parser (ERROR_REQUIRED_FIELDS) or its address by the policy (ERROR_BAD_REQUEST):
            // the page's own code for pageurl, the proxy's for a refused proxy address, else bad parameters.
            case ERROR_REQUIRED_FIELDS, ERROR_BAD_REQUEST -> {
                if (e.getMessage().contains("websiteURL")) {
                    yield TwoCaptchaError.ERROR_PAGEURL;
                }
                yield e.code() == ErrorCode.ERROR_BAD_REQUEST && e.getMessage().startsWith("proxy ")
                        ? TwoCaptchaError.ERROR_BAD_PROXY : TwoCaptchaError.ERROR_BAD_PARAMETERS;
            }
            case ERROR_TASK_NOT_SUPPORTED -> TwoCaptchaError.ERROR_BAD_PARAMETERS;
            default -> TwoCaptchaError.ERROR_INTERNAL_SERVER_ERROR;
        };
        if (e.code() == ErrorCode.ERROR_TASK_NOT_SUPPORTED) {
            text = "method turnstile is not supported by this server right now (no Turnstile solver installed)";
        }
        return new TwoCaptchaException(code, text);
    }

    /** A createTask description with its field names replaced by the 2Captcha parameters they came from. */
    private static String named(String description) {
        Matcher m = FIELD_NAMES.matcher(description == null ? "" : description);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, PARAMETER_OF.get(m.group(1)));
        }
        m.appendTail(out);
        return out.toString();
    }
}
