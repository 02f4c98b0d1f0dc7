package dev.turnpike.lab.core;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** Small helpers for the lab's Jetty handlers: bounded body reading, form parsing, answering text and JSON. */
public final class Http {

    /** Largest request body any lab endpoint reads. */
    public static final int MAX_BODY_BYTES = 2 * 1024 * 1024;

    public static final ObjectMapper JSON = new ObjectMapper();

    private Http() {
    }

    /** Thrown when a body is larger than allowed. */
    public static final class BodyTooLargeException extends IOException {
        public BodyTooLargeException() {
            super("request body larger than " + MAX_BODY_BYTES + " bytes");
        }
    }

    /** The request body as UTF-8 (blocking), at most {@link #MAX_BODY_BYTES}. */
    public static String body(Request request) throws IOException {
        try (InputStream in = Request.asInputStream(request)) {
            byte[] bytes = in.readNBytes(MAX_BODY_BYTES + 1);
            if (bytes.length > MAX_BODY_BYTES) {
                throw new BodyTooLargeException();
            }
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    /** An application/x-www-form-urlencoded body as a map (last value wins). */
    public static Map<String, String> form(String body) {
        Map<String, String> fields = new LinkedHashMap<>();
        if (body == null || body.isEmpty()) {
            return fields;
        }
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            fields.put(URLDecoder.decode(name, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8));
        }
        return fields;
    }

    /** The media type of the request, lower case, without parameters ("" when absent). */
    public static String mediaType(Request request) {
        String type = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
        if (type == null) {
            return "";
        }
        int semi = type.indexOf(';');
        return (semi < 0 ? type : type.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
    }

    public static void send(Response response, Callback callback, int status, String contentType, String body) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        Content.Sink.write(response, true, body, callback);
    }

    public static void json(Response response, Callback callback, int status, Object value) {
        String body;
        try {
            body = JSON.writeValueAsString(value);
        } catch (IOException e) {
            callback.failed(e);
            return;
        }
        send(response, callback, status, "application/json", body);
    }

    /** The lower-case host the request names (SNI and Host agree for browsers), without a trailing dot. */
    public static String host(Request request) {
        String name = Request.getServerName(request);
        if (name == null) {
            return "";
        }
        name = name.toLowerCase(Locale.ROOT);
        return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    }
}
