package dev.turnpike.server.api;

/** One protocol method: a request in, the answer object (a protocol record) out, or an {@link ApiException}. */
@FunctionalInterface
public interface ApiMethod {
    Object handle(ApiRequest request) throws ApiException;
}
