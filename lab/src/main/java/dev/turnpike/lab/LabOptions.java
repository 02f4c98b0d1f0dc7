package dev.turnpike.lab;

import dev.turnpike.lab.origin.OriginHandler;
import java.time.Clock;
import java.util.List;
import java.util.Objects;

/**
 * How to start a lab. Ports 0 mean "any free port" (always on 127.0.0.1).
 *
 * @param httpsPort  the HTTPS port (it also answers plain HTTP, detected from the first bytes)
 * @param httpPort   a plain-HTTP-only port
 * @param adminPort  the admin API port
 * @param proxyPort  the forward proxy's HTTP port (its SOCKS5 port is chosen by the proxy)
 * @param seed       seeds every random choice, the lab key and the certificate key; null for a random start
 * @param clock      the clock of tokens, cookies and the event log
 * @param hosts      extra host names to list in the certificate and the Chromium host rules from the start
 * @param origin     builds the protected origin (L3)
 * @param proxy      starts the forward proxy
 */
public record LabOptions(int httpsPort, int httpPort, int adminPort, int proxyPort, Long seed, Clock clock,
                         List<String> hosts, OriginHandler.Factory origin, ProxyLauncher proxy) {

    public LabOptions {
        for (int port : new int[] {httpsPort, httpPort, adminPort, proxyPort}) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
        }
        clock = clock == null ? Clock.systemUTC() : clock;
        hosts = hosts == null ? List.of() : List.copyOf(hosts);
        origin = origin == null ? dev.turnpike.lab.origin.LabOrigin::new : origin;
        proxy = proxy == null ? ProxyLauncher.FORWARD_PROXY : proxy;
    }

    /** Every port free, random seed, system clock. */
    public static LabOptions defaults() {
        return new LabOptions(0, 0, 0, 0, null, null, null, null, null);
    }

    public LabOptions withPorts(int https, int http, int admin, int proxyHttp) {
        return new LabOptions(https, http, admin, proxyHttp, seed, clock, hosts, origin, proxy);
    }

    public LabOptions withSeed(long newSeed) {
        return new LabOptions(httpsPort, httpPort, adminPort, proxyPort, newSeed, clock, hosts, origin, proxy);
    }

    public LabOptions withClock(Clock newClock) {
        return new LabOptions(httpsPort, httpPort, adminPort, proxyPort, seed, Objects.requireNonNull(newClock),
                hosts, origin, proxy);
    }

    public LabOptions withHosts(List<String> newHosts) {
        return new LabOptions(httpsPort, httpPort, adminPort, proxyPort, seed, clock, newHosts, origin, proxy);
    }

    public LabOptions withOrigin(OriginHandler.Factory newOrigin) {
        return new LabOptions(httpsPort, httpPort, adminPort, proxyPort, seed, clock, hosts, newOrigin, proxy);
    }

    public LabOptions withProxy(ProxyLauncher newProxy) {
        return new LabOptions(httpsPort, httpPort, adminPort, proxyPort, seed, clock, hosts, origin, newProxy);
    }
}
