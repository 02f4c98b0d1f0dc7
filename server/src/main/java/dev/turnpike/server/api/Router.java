package dev.turnpike.server.api;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.turnpike.protocol.ErrorCode;
import dev.turnpike.protocol.ErrorResponse;
import java.io.IOException;
import java.util.Map;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one HTTP handler: finds the method by path, reads the body within its limit, parses it as JSON whatever
 * the Content-Type, calls the method and writes the envelope. Every protocol answer is HTTP 200 (PROTOCOL.md
 * §1); a body over the limit is HTTP 413. (Liveness and readiness are the operator's paths, answered in front of it.)
 */
public final class Router extends Handler.Abstract {

    private static final Logger log = LoggerFactory.getLogger(Router.class);

    private final Map<String, ApiMethod> methods;
    private final int maxBodyBytes;

    /** @param methods path without slashes (e.g. {@code createTask}) → method */
    public Router(Map<String, ApiMethod> methods, int maxBodyBytes) {
        super(InvocationType.BLOCKING);
        this.methods = Map.copyOf(methods);
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String path = Request.getPathInContext(request);
        String name = path.startsWith("/") ? path.substring(1) : path;
        if (name.endsWith("/")) {
            name = name.substring(0, name.length() - 1);
        }
        ApiMethod method = methods.get(name);
        if (method == null || !HttpMethod.POST.is(request.getMethod())) {
            String why = method == null ? "Unknown method /" + name : "Use POST /" + name;
            RequestBody.discard(request, response);
            Json.respond(response, callback, HttpStatus.OK_200, ErrorResponse.of(ErrorCode.ERROR_NO_SUCH_METHOD, why));
            return true;
        }
        byte[] body;
        try {
            body = RequestBody.read(request, response, maxBodyBytes);
        } catch (IOException e) {
            callback.failed(e);
            return true;
        }
        if (body == null) {
            tooLarge(response, callback);
            return true;
        }
        Json.respond(response, callback, HttpStatus.OK_200,
                answer(method, body, request.getHeaders().get("X-API-Key")));
        return true;
    }

    private static Object answer(ApiMethod method, byte[] body, String apiKeyHeader) {
        JsonNode tree;
        try {
            tree = body.length == 0 ? null : Json.MAPPER.readTree(body);
        } catch (JacksonException e) {
            return ErrorResponse.of(ErrorCode.ERROR_BAD_REQUEST, "The body is not valid JSON");
        } catch (IOException e) {
            return ErrorResponse.of(ErrorCode.ERROR_BAD_REQUEST, "The body could not be read");
        }
        if (!(tree instanceof ObjectNode object)) {
            return ErrorResponse.of(ErrorCode.ERROR_BAD_REQUEST, "The body must be a JSON object");
        }
        try {
            return method.handle(new ApiRequest(object, apiKeyHeader));
        } catch (ApiException e) {
            return e.toResponse();
        } catch (RuntimeException e) {
            log.error("internal error", e);
            return ErrorResponse.of(ErrorCode.ERROR_INTERNAL_SERVER_ERROR, "Internal server error");
        }
    }

    private void tooLarge(Response response, Callback callback) {
        Json.respond(response, callback, HttpStatus.PAYLOAD_TOO_LARGE_413,
                ErrorResponse.of(ErrorCode.ERROR_BAD_REQUEST, "The body is larger than " + maxBodyBytes + " bytes"));
    }
}
