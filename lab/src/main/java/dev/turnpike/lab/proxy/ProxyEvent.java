package dev.turnpike.lab.proxy;

import java.time.Instant;
import java.util.Objects;

/**
 * Something the forward proxy did with a connection, for the lab's event log: a test reads it to see that a
 * solver's traffic went through the right account, or that a fault was really applied.
 *
 * @param type     what happened
 * @param protocol which listener it happened on
 * @param user     the user name the client sent, {@code ""} when it sent none
 * @param target   {@code host:port} the client asked for, {@code ""} when not known yet (SOCKS5 authenticates first)
 * @param fault    the account's fault for {@link Type#FAULT_APPLIED}, otherwise {@link ProxyFault#NONE}
 * @param time     when, from the proxy's clock
 */
public record ProxyEvent(Type type, Protocol protocol, String user, String target, ProxyFault fault, Instant time) {

    public enum Type {
        /** A tunnel or request was connected to the lab through the account's exit IP. */
        CONNECTED,
        /** Missing, unknown or wrong credentials; answered 407 or SOCKS5 auth failure. */
        AUTH_FAILED,
        /** The upstream has no route for the target; answered 403 or SOCKS5 "not allowed by ruleset". */
        REFUSED_TARGET,
        /** The route existed but the lab connector could not be reached; answered 502 or SOCKS5 failure. */
        UPSTREAM_FAILED,
        /** The account's fault decided what happened to the connection. */
        FAULT_APPLIED
    }

    public enum Protocol { HTTP, SOCKS5 }

    public ProxyEvent {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(protocol, "protocol");
        user = user == null ? "" : user;
        target = target == null ? "" : target;
        fault = fault == null ? ProxyFault.NONE : fault;
        Objects.requireNonNull(time, "time");
    }
}
