package dev.turnpike.server.api.twocaptcha;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.turnpike.server.account.Accounts;
import dev.turnpike.server.api.CreateTask;
import dev.turnpike.server.api.Json;
import dev.turnpike.server.api.KeyCheck;
import dev.turnpike.server.api.LostTasks;
import dev.turnpike.server.api.RequestBody;
import dev.turnpike.server.task.Tasks;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.MultiPart;
import org.eclipse.jetty.http.MultiPartFormData;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.UrlEncoded;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * 2Captcha's dialect over HTTP (PROTOCOL.md §9): {@code /in.php} and {@code /res.php}, GET or POST, parameters in the
 * query string and in a form, multipart or JSON body. Every answer is HTTP 200, plain text or JSON as {@code json}
 * asks, never a stack trace; {@code header_acao=1} adds {@code Access-Control-Allow-Origin: *}. Other paths are left to
 * the next handler (the JSON protocol's router).
 */
public final class TwoCaptchaHandler extends Handler.Abstract {

    private static final Logger log = LoggerFactory.getLogger(TwoCaptchaHandler.class);

    private final InPhp in;
    private final ResPhp res;
    private final int maxBodyBytes;

    public TwoCaptchaHandler(CreateTask createTask, KeyCheck keys, Tasks tasks, Accounts accounts, LostTasks lost,
                             int maxBodyBytes) {
        super(InvocationType.BLOCKING);
        this.in = new InPhp(createTask);
        this.res = new ResPhp(keys, tasks, accounts, lost);
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String path = Request.getPathInContext(request);
        if (path.endsWith("/") && path.length() > 1) {
            path = path.substring(0, path.length() - 1);
        }
        boolean submit = path.equals("/in.php");
        if (!submit && !path.equals("/res.php")) {
            return false;
        }
        if (HttpMethod.OPTIONS.is(request.getMethod())) { // a browser's preflight: these answers may be read anywhere
            RequestBody.discard(request, response);
            allowAnyOrigin(response);
            response.getHeaders().put(HttpHeader.ACCESS_CONTROL_ALLOW_METHODS, "GET, POST");
            response.getHeaders().put(HttpHeader.ACCESS_CONTROL_ALLOW_HEADERS, "Content-Type");
            response.setStatus(204);
            callback.succeeded();
            return true;
        }
        Map<String, String> values = new HashMap<>();
        Answer answer;
        boolean json = false;
        boolean cors = false;
        try {
            query(request, values);
            if (!HttpMethod.GET.is(request.getMethod()) && !HttpMethod.POST.is(request.getMethod())) {
                RequestBody.discard(request, response);
                throw new TwoCaptchaException(TwoCaptchaError.ERROR_BAD_PARAMETERS, "Use GET or POST");
            }
            if (!body(request, response, values)) {
                throw new TwoCaptchaException(TwoCaptchaError.ERROR_TOO_BIG_CAPTCHA_FILESIZE,
                        "The request is larger than " + maxBodyBytes + " bytes");
            }
            Params params = new Params(values);
            json = params.wantsJson();
            cors = params.wantsCors();
            answer = submit ? in.handle(params) : res.handle(params);
        } catch (TwoCaptchaException e) {
            json = json || new Params(values).wantsJson();
            cors = cors || new Params(values).wantsCors();
            answer = e.toAnswer();
        } catch (IOException e) {
            callback.failed(e);
            return true;
        } catch (RuntimeException e) {
            log.error("internal error", e);
            answer = Answer.error(TwoCaptchaError.ERROR_INTERNAL_SERVER_ERROR.name(), "Internal server error");
        }
        write(response, callback, answer, json, cors);
        return true;
    }

    private static void query(Request request, Map<String, String> values) throws TwoCaptchaException {
        String query = request.getHttpURI().getQuery();
        if (query != null) {
            decodeForm(query, values);
        }
    }

    /**
     * Reads the body's parameters into {@code values} (they win over the query's). @return false when the body is
     * over the limit
     */
    private boolean body(Request request, Response response, Map<String, String> values)
            throws IOException, TwoCaptchaException {
        byte[] bytes = RequestBody.read(request, response, maxBodyBytes);
        if (bytes == null) {
            return false;
        }
        if (bytes.length == 0) {
            return true;
        }
        String type = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
        String mime = type == null ? "" : type.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        switch (mime) {
            case "multipart/form-data" -> multipart(type, bytes, values);
            case "application/json" -> json(bytes, values);
            default -> decodeForm(new String(bytes, StandardCharsets.UTF_8), values); // a form, however labelled
        }
        return true;
    }

    private static void decodeForm(String form, Map<String, String> values) throws TwoCaptchaException {
        try {
            UrlEncoded.decodeTo(form, values::put, StandardCharsets.UTF_8);
        } catch (RuntimeException e) {
            throw new TwoCaptchaException(TwoCaptchaError.ERROR_BAD_PARAMETERS, "The parameters are not URL-encoded");
        }
    }

    private static void multipart(String contentType, byte[] bytes, Map<String, String> values)
            throws TwoCaptchaException {
        String boundary = MultiPart.extractBoundary(contentType);
        if (boundary == null || boundary.isEmpty()) {
            throw new TwoCaptchaException(TwoCaptchaError.ERROR_BAD_PARAMETERS, "The multipart body has no boundary");
        }
        MultiPartFormData.Parser parser = new MultiPartFormData.Parser(boundary);
        parser.setMaxParts(64);
        parser.setUseFilesForPartsWithoutFileName(false);
        parser.setMaxMemoryFileSize(bytes.length); // the body is in memory already: never spill a part to disk
        try (MultiPartFormData.Parts parts = parser.parse(Content.Source.from(ByteBuffer.wrap(bytes)), InvocationType.BLOCKING).get()) {
            for (MultiPart.Part part : parts) {
                if (part.getName() != null) {
                    values.put(part.getName(), part.getContentAsString(StandardCharsets.UTF_8));
                }
            }
        } catch (ExecutionException | RuntimeException e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            throw new TwoCaptchaException(TwoCaptchaError.ERROR_BAD_PARAMETERS,
                    "The multipart body is malformed: " + cause.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TwoCaptchaException(TwoCaptchaError.ERROR_BAD_PARAMETERS, "The multipart body was not read");
        }
    }

    /** A JSON object's scalar members as parameters (some clients post the parameters as JSON). */
    private static void json(byte[] bytes, Map<String, String> values) throws TwoCaptchaException {
        JsonNode tree;
        try {
            tree = Json.MAPPER.readTree(bytes);
        } catch (JacksonException e) {
            throw new TwoCaptchaException(TwoCaptchaError.ERROR_BAD_PARAMETERS, "The body is not valid JSON");
        } catch (IOException e) {
            throw new TwoCaptchaException(TwoCaptchaError.ERROR_BAD_PARAMETERS, "The body could not be read");
        }
        if (tree == null || !tree.isObject()) {
            throw new TwoCaptchaException(TwoCaptchaError.ERROR_BAD_PARAMETERS, "The body must be a JSON object");
        }
        for (Map.Entry<String, JsonNode> e : tree.properties()) {
            if (e.getValue().isValueNode() && !e.getValue().isNull()) {
                values.put(e.getKey(), e.getValue().asText());
            } else if (!e.getValue().isNull()) {
                throw new TwoCaptchaException(TwoCaptchaError.ERROR_BAD_PARAMETERS, e.getKey() + " must be a string");
            }
        }
    }

    private static void write(Response response, Callback callback, Answer answer, boolean json, boolean cors) {
        byte[] bytes;
        try {
            bytes = json ? Json.MAPPER.writeValueAsBytes(answer.json()) : answer.text().getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            callback.failed(e);
            return;
        }
        if (cors) {
            allowAnyOrigin(response);
        }
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE,
                json ? "application/json; charset=utf-8" : "text/plain; charset=utf-8");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
        response.write(true, ByteBuffer.wrap(bytes), callback);
    }

    private static void allowAnyOrigin(Response response) {
        response.getHeaders().put(HttpHeader.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
    }
}
