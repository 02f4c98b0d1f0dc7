package dev.turnpike.lab.proxy;

import java.util.Objects;

/**
 * One account of the lab's forward proxy. Traffic through it reaches the lab from {@code exitIp}, which the
 * lab binds clearance to, as Cloudflare binds {@code cf_clearance} to the client's IP.
 */
public record ProxyAccount(String user, String pass, String exitIp, ProxyFault fault) {

    public ProxyAccount {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(pass, "pass");
        Objects.requireNonNull(exitIp, "exitIp");
        fault = fault == null ? ProxyFault.NONE : fault;
    }

    public ProxyAccount withFault(ProxyFault newFault) {
        return new ProxyAccount(user, pass, exitIp, newFault);
    }

    @Override
    public String toString() {
        return "ProxyAccount[user=" + user + ", exitIp=" + exitIp + ", fault=" + fault + "]";
    }
}
