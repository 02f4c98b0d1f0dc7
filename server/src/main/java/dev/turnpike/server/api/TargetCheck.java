package dev.turnpike.server.api;

import dev.turnpike.protocol.ErrorCode;
import dev.turnpike.server.net.AddressPolicy;
import dev.turnpike.server.net.ProxySpec;
import dev.turnpike.server.task.TaskSpec;
import java.net.URI;

/** Applies the address policy (PROTOCOL.md §6) to a task's target, proxy and callback, naming the field refused. */
public final class TargetCheck {

    private final AddressPolicy policy;
    private final String targetField;

    /** Names the target {@code websiteURL}, as createTask does. */
    public TargetCheck(AddressPolicy policy) {
        this(policy, "websiteURL");
    }

    /** @param targetField the target's name in the caller's dialect ({@code url} for FlareSolverr's /v1) */
    public TargetCheck(AddressPolicy policy, String targetField) {
        this.policy = policy;
        this.targetField = targetField;
    }

    public void check(TaskSpec spec, URI callbackUrl) throws ApiException {
        require(targetField, spec.websiteUrl());
        ProxySpec proxy = switch (spec) {
            case TaskSpec.Turnstile t -> t.proxy();
            case TaskSpec.Challenge c -> c.proxy();
            case TaskSpec.PageRequest p -> p.proxy();
        };
        if (proxy != null) {
            require("proxy", proxy.host(), proxy.port());
        }
        if (callbackUrl != null) {
            require("callbackUrl", callbackUrl);
        }
    }

    private void require(String field, URI url) throws ApiException {
        int port = url.getPort() > 0 ? url.getPort() : "https".equalsIgnoreCase(url.getScheme()) ? 443 : 80;
        require(field, url.getHost(), port);
    }

    private void require(String field, String host, int port) throws ApiException {
        AddressPolicy.Decision decision = policy.check(host, port);
        if (!decision.allowed()) {
            throw new ApiException(ErrorCode.ERROR_BAD_REQUEST,
                    field + " is not allowed: its " + decision.explanation());
        }
    }
}
