package dev.turnpike.server.api;

import dev.turnpike.protocol.ErrorCode;
import dev.turnpike.server.net.AddressPolicy;
import dev.turnpike.server.net.ProxySpec;
import dev.turnpike.server.task.TaskSpec;
import java.net.URI;

/** Applies the address policy (PROTOCOL.md §6) to a task's target, proxy and callback, naming the field refused. */
public final class TargetCheck {

    private final AddressPolicy policy;

    public TargetCheck(AddressPolicy policy) {
        this.policy = policy;
    }

    public void check(TaskSpec spec, URI callbackUrl) throws ApiException {
        require("websiteURL", spec.websiteUrl().getHost());
        ProxySpec proxy = switch (spec) {
            case TaskSpec.Turnstile t -> t.proxy();
            case TaskSpec.Challenge c -> c.proxy();
        };
        if (proxy != null) {
            require("proxy", proxy.host());
        }
        if (callbackUrl != null) {
            require("callbackUrl", callbackUrl.getHost());
        }
    }

    private void require(String field, String host) throws ApiException {
        AddressPolicy.Decision decision = policy.check(host);
        if (!decision.allowed()) {
            throw new ApiException(ErrorCode.ERROR_BAD_REQUEST,
                    field + " is not allowed: its " + decision.explanation());
        }
    }
}
