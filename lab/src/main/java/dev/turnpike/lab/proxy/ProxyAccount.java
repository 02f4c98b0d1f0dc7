package dev.turnpike.lab.proxy;

import java.util.Objects;

/**
 * One account of the lab's forward proxy. Traffic through it reaches the lab from {@code exitIp}, which the
 * lab binds clearance to, as Cloudflare binds {@code cf_clearance} to the client's IP. The exit address is in
 * {@code country} (ISO 3166 alpha-2, or null for none), which {@code /cdn-cgi/trace} reports as {@code loc=} and the
 * strict mode holds a browser's time zone and languages to.
 */
public record ProxyAccount(String user, String pass, String exitIp, ProxyFault fault, String country) {

    /** An account whose exit address has no country. */
    public ProxyAccount(String user, String pass, String exitIp, ProxyFault fault) {
        this(user, pass, exitIp, fault, null);
    }

    public ProxyAccount {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(pass, "pass");
        Objects.requireNonNull(exitIp, "exitIp");
        fault = fault == null ? ProxyFault.NONE : fault;
        if (country != null && !country.matches("[A-Za-z]{2}")) {
            throw new IllegalArgumentException("country must be two letters (ISO 3166): " + country);
        }
        country = country == null ? null : country.toUpperCase(java.util.Locale.ROOT);
    }

    public ProxyAccount withFault(ProxyFault newFault) {
        return new ProxyAccount(user, pass, exitIp, newFault, country);
    }

    @Override
    public String toString() {
        return "ProxyAccount[user=" + user + ", exitIp=" + exitIp + ", fault=" + fault + ", country=" + country + "]";
    }
}
