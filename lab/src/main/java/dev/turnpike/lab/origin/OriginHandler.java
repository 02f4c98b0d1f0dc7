package dev.turnpike.lab.origin;

import dev.turnpike.lab.core.LabHost;
import dev.turnpike.lab.core.Http;
import java.util.Locale;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The seam to the protected origin (LAB.md L3, package {@code dev.turnpike.lab.origin}): the lab's router hands
 * every request for a host of kind protected, turnstile-form or blocked to it, with the host's registration.
 * Same contract as a Jetty {@code Handler}: return true and complete the callback, or return false (the router
 * then answers 404).
 */
@FunctionalInterface
public interface OriginHandler {

    boolean handle(LabHost host, Request request, Response response, Callback callback) throws Exception;

    /** Builds the origin once the lab's shared state exists. */
    @FunctionalInterface
    interface Factory {
        OriginHandler create(LabContext context);
    }

    /** Until the origin is merged in: a plain page saying the host exists but has no origin. */
    Factory PLACEHOLDER = context -> (host, request, response, callback) -> {
        Http.send(response, callback, 404, "text/html; charset=UTF-8",
                "<!doctype html><title>Lab origin missing</title><p>" + host.name() + " is a "
                        + host.kind().name().toLowerCase(Locale.ROOT)
                        + " host, but this lab was built without the protected origin.</p>");
        return true;
    };
}
