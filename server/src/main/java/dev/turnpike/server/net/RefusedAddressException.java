package dev.turnpike.server.net;

import java.net.UnknownHostException;

/**
 * The address policy refused a host Turnpike was about to connect to; nothing was dialled. An
 * {@link UnknownHostException}: to Turnpike, a name with no address it may use is a name that does not resolve.
 */
public final class RefusedAddressException extends UnknownHostException {

    private final transient AddressPolicy.Decision decision;

    public RefusedAddressException(String host, AddressPolicy.Decision decision) {
        super(host + ": " + decision.explanation());
        this.decision = decision;
    }

    public AddressPolicy.Decision decision() {
        return decision;
    }
}
