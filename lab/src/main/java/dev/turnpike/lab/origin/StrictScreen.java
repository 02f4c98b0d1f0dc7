package dev.turnpike.lab.origin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.turnpike.lab.strict.StrictMode;

/** The lab's strict mode as the protected origin's {@link SolveScreen}: strict hosts' challenge pages are judged. */
final class StrictScreen implements SolveScreen {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final StrictMode strict;

    StrictScreen(StrictMode strict) {
        this.strict = strict;
    }

    @Override
    public boolean screens(String host) {
        return strict.targets().host(host);
    }

    @Override
    public boolean passes(OriginHost host, OriginRequest request, String signals) {
        JsonNode parsed;
        try {
            parsed = signals == null ? MissingNode.getInstance() : JSON.readTree(signals);
        } catch (JsonProcessingException e) {
            parsed = MissingNode.getInstance(); // unreadable signals are no signals
        }
        return strict.passes("challenge", host.host(), parsed, request.clientIp(),
                name -> request.header(name).orElse(null), false);
    }
}
