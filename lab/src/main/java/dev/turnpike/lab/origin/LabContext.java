package dev.turnpike.lab.origin;

import dev.turnpike.lab.strict.StrictMode;

import dev.turnpike.lab.core.Hosts;
import dev.turnpike.lab.core.LabCertificate;
import dev.turnpike.lab.core.LabEvents;
import dev.turnpike.lab.core.LabRandom;
import dev.turnpike.lab.core.Pages;
import dev.turnpike.lab.core.Sealer;
import dev.turnpike.lab.core.Sitekeys;
import dev.turnpike.lab.proxy.ProxyAccounts;
import dev.turnpike.lab.turnstile.Siteverify;
import java.time.Clock;
import java.util.concurrent.ScheduledExecutorService;
import org.eclipse.jetty.server.Request;

/**
 * The state every part of the lab shares: one clock, one seeded random source, one event log, one key (the
 * sealer), the registries, and siteverify for parts that check Turnstile tokens (the protected origin's forms and
 * managed challenges). Handed to the origin when the lab builds it.
 *
 * @param scheduler for answers the lab delays on purpose (slow modes); never blocks a request thread
 * @param strict    the strict mode: which sitekeys and hosts are judged, and the judge
 */
public record LabContext(Clock clock, LabRandom random, LabEvents events, Sealer sealer, Hosts hosts,
                         Sitekeys sitekeys, Pages pages, ProxyAccounts proxyAccounts, LabCertificate certificate,
                         Siteverify siteverify, ScheduledExecutorService scheduler, StrictMode strict) {

    /**
     * The client's IP as the lab sees it: on the proxied connectors the exit IP the forward proxy wrote in the
     * PROXY protocol header, elsewhere the socket's address (127.0.0.1).
     */
    public static String clientIp(Request request) {
        return Request.getRemoteAddr(request);
    }
}
