package dev.turnpike.lab;

import dev.turnpike.lab.origin.LabContext;
import dev.turnpike.lab.core.HostHostile;
import dev.turnpike.lab.core.HostKind;
import dev.turnpike.lab.core.LabEvent;
import dev.turnpike.lab.core.LabHost;
import dev.turnpike.lab.core.Sitekey;
import dev.turnpike.lab.core.SitekeyHostile;
import dev.turnpike.lab.proxy.ProxyAccount;
import dev.turnpike.lab.proxy.ProxyFault;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * The lab's admin API in Java (tests, the CLI); the HTTP admin API on the admin port mirrors it. Nothing here is
 * reachable through a lab host name, so nothing a solver sends can call it.
 */
public final class LabAdmin {

    private final LabContext context;
    private final Runnable resetHook;

    LabAdmin(LabContext context, Runnable resetHook) {
        this.context = context;
        this.resetHook = resetHook;
    }

    public Sitekey registerSitekey(Sitekey sitekey) {
        context.sitekeys().put(sitekey);
        context.events().append("sitekey.registered", "sitekey", sitekey.sitekey(), "hostnames",
                String.join(",", sitekey.hostnames()));
        return sitekey;
    }

    public LabHost registerHost(LabHost host) {
        context.hosts().put(host);
        context.events().append("host.registered", "host", host.name(), "kind", host.kind().name());
        return host;
    }

    public ProxyAccount registerProxyAccount(ProxyAccount account) {
        context.proxyAccounts().put(account);
        context.events().append("proxyAccount.registered", "user", account.user(), "exitIp", account.exitIp());
        return account;
    }

    /** Serves {@code html} at {@code https://<host><path>}; registers the host as plain when it is new. */
    public void registerPage(String host, String path, String html) {
        registerPage(host, path, html, 200);
    }

    /** The same, answered with {@code status} (a site's error page: 404, 500, ...). */
    public void registerPage(String host, String path, String html, int status) {
        if (context.hosts().find(host).isEmpty()) {
            registerHost(LabHost.of(host, HostKind.PLAIN));
        }
        context.pages().put(host, path, html, status);
        context.events().append("page.registered", "host", host, "path", path);
    }

    public Sitekey setSitekeyHostile(String sitekey, SitekeyHostile hostile) {
        Sitekey key = context.sitekeys().find(sitekey)
                .orElseThrow(() -> new NoSuchElementException("no such sitekey: " + sitekey));
        Sitekey changed = key.withHostile(hostile);
        context.sitekeys().put(changed);
        context.events().append("sitekey.hostileSet", "sitekey", sitekey, "hostile", hostile.toString());
        return changed;
    }

    /** Turns the strict mode (LAB.md L5) on or off for a sitekey's widgets, wherever they are rendered. */
    public void setSitekeyStrict(String sitekey, boolean strict) {
        context.strict().targets().setSitekey(sitekey, strict);
        context.events().append("sitekey.strictSet", "sitekey", sitekey, "strict", strict);
    }

    /** Turns the strict mode on or off for a host: its challenge pages and every widget on its pages. */
    public void setHostStrict(String host, boolean strict) {
        context.strict().targets().setHost(host, strict);
        context.events().append("host.strictSet", "host", host, "strict", strict);
    }

    public LabHost setHostHostile(String host, HostHostile hostile) {
        LabHost found = context.hosts().find(host).orElseThrow(() -> new NoSuchElementException("no such host: " + host));
        LabHost changed = found.withHostile(hostile);
        context.hosts().put(changed);
        context.events().append("host.hostileSet", "host", host, "hostile", hostile.toString());
        return changed;
    }

    public ProxyAccount setProxyFault(String user, ProxyFault fault) {
        ProxyAccount account = context.proxyAccounts().find(user)
                .orElseThrow(() -> new NoSuchElementException("no such proxy account: " + user));
        ProxyAccount changed = account.withFault(fault);
        context.proxyAccounts().put(changed);
        context.events().append("proxyAccount.faultSet", "user", user, "fault", fault.name());
        return changed;
    }

    public List<LabEvent> events() {
        return context.events().all();
    }

    public List<LabEvent> eventsSince(long seq) {
        return context.events().since(seq);
    }

    /** Back to a fresh lab: only the test keys, no hosts, pages or accounts, an empty log, nothing redeemed. */
    public void reset() {
        resetHook.run();
    }

    /**
     * Widgets' proof-of-work seeds from a sequence of their own starting at {@code seed} (again from its start at each
     * call), or, with null, from the lab's random source as usual ({@link dev.turnpike.lab.core.LabRandom#replayPowSeeds}).
     */
    public void replayPowSeeds(Long seed) {
        context.random().replayPowSeeds(seed);
        context.events().append("powSeeds.replayed", "seed", seed == null ? "off" : Long.toString(seed));
    }
}
