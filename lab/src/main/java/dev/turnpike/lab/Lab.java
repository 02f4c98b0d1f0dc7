package dev.turnpike.lab;

import dev.turnpike.lab.origin.LabContext;
import dev.turnpike.lab.core.Hosts;
import dev.turnpike.lab.core.LabCertificate;
import dev.turnpike.lab.core.LabEvents;
import dev.turnpike.lab.core.LabHost;
import dev.turnpike.lab.core.LabRandom;
import dev.turnpike.lab.core.Pages;
import dev.turnpike.lab.core.Sealer;
import dev.turnpike.lab.core.Sitekeys;
import dev.turnpike.lab.AdminHandler;
import dev.turnpike.lab.http.EdgeTrace;
import dev.turnpike.lab.http.LabRouter;
import dev.turnpike.lab.http.LabUpstream;
import dev.turnpike.lab.proxy.ProxyAccount;
import dev.turnpike.lab.proxy.ProxyAccounts;
import dev.turnpike.lab.proxy.Upstream;
import dev.turnpike.lab.strict.CountryConventions;
import dev.turnpike.lab.strict.StrictMode;
import dev.turnpike.lab.turnstile.Siteverify;
import dev.turnpike.lab.turnstile.Tokens;
import dev.turnpike.lab.turnstile.TurnstileHandler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import javax.net.ssl.SSLContext;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.DetectorConnectionFactory;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.ProxyConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The lab: a local Cloudflare (LAB.md). One Jetty server on 127.0.0.1 with
 * <ul>
 *   <li>the public HTTPS port, routing by SNI/Host (it also answers plain HTTP, detected from the first bytes, so a
 *       Chromium host rule that maps a name to this port serves both {@code https://} and {@code http://});</li>
 *   <li>a plain HTTP port;</li>
 *   <li>two proxied ports (HTTPS and HTTP) that read a PROXY protocol v1 header: the forward proxy writes the
 *       account's exit IP there, and on these ports that is the client's IP;</li>
 *   <li>the admin port, reached by no lab host name.</li>
 * </ul>
 * Start with {@link #start(LabOptions)}, drive with {@link #admin()}, point Chromium at it with {@link #chromiumArgs()}.
 */
public final class Lab implements AutoCloseable {

    private final LabContext context;
    private final Server server;
    private final SslContextFactory.Server sslContextFactory;
    private final TurnstileHandler turnstile;
    private final LabAdmin admin;
    private final ServerConnector httpsConnector;
    private final ServerConnector httpConnector;
    private final ServerConnector proxiedHttpsConnector;
    private final ServerConnector proxiedHttpConnector;
    private final ServerConnector adminConnector;
    private final List<String> initialHosts;
    private ProxyLauncher.RunningProxy proxy;

    private Lab(LabOptions options) {
        long seed = options.seed() != null ? options.seed() : randomSeed();
        LabRandom random = new LabRandom(seed);
        LabEvents events = new LabEvents(options.clock());
        Sealer sealer = new Sealer(random.bytes(32), random);
        Sitekeys sitekeys = new Sitekeys();
        Hosts hosts = new Hosts();
        Tokens tokens = new Tokens(sealer, random);
        Siteverify siteverify = new Siteverify(options.clock(), sitekeys, tokens, events);
        LabCertificate certificate = LabCertificate.create(seed, options.clock(), options.hosts());
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "lab-scheduler");
            t.setDaemon(true);
            return t;
        });
        this.initialHosts = options.hosts();
        ProxyAccounts proxyAccounts = new ProxyAccounts();
        StrictMode strict = new StrictMode(CountryConventions.load(CountryConventions.ZONEINFO), events,
                proxyAccounts::countryOf);
        this.context = new LabContext(options.clock(), random, events, sealer, hosts, sitekeys, new Pages(),
                proxyAccounts, certificate, siteverify, scheduler, strict);
        this.turnstile = new TurnstileHandler(options.clock(), random, events, sitekeys, tokens, siteverify, scheduler,
                strict);
        this.admin = new LabAdmin(context, this::resetState);

        QueuedThreadPool threads = new QueuedThreadPool();
        threads.setName("lab");
        threads.setVirtualThreadsExecutor(Executors.newVirtualThreadPerTaskExecutor());
        this.server = new Server(threads);

        sslContextFactory = new SslContextFactory.Server();
        sslContextFactory.setKeyStore(certificate.keyStore());
        sslContextFactory.setKeyStorePassword(new String(LabCertificate.KEY_PASSWORD));
        sslContextFactory.setCertAlias(LabCertificate.KEY_ALIAS);
        sslContextFactory.setSniRequired(false);

        HttpConfiguration config = new HttpConfiguration();
        config.setSendServerVersion(false);
        config.setSecureScheme("https");
        config.addCustomizer(new SecureRequestCustomizer(false, false, -1, false));

        // HTTPS speaks HTTP/2 where the client offers it (ALPN), as Cloudflare's edge does, else HTTP/1.1: a browser
        // then opens one connection per origin, not one per request in flight.
        ALPNServerConnectionFactory alpn = new ALPNServerConnectionFactory("h2", "http/1.1");
        alpn.setDefaultProtocol("http/1.1");
        httpsConnector = connector(options.httpsPort(),
                new DetectorConnectionFactory(new SslConnectionFactory(sslContextFactory, alpn.getProtocol())),
                new HttpConnectionFactory(config), alpn, new HTTP2ServerConnectionFactory(config)); // plain: HTTP/1.1
        httpConnector = connector(options.httpPort(), new HttpConnectionFactory(config));
        ALPNServerConnectionFactory proxiedAlpn = new ALPNServerConnectionFactory("h2", "http/1.1");
        proxiedAlpn.setDefaultProtocol("http/1.1");
        proxiedHttpsConnector = connector(0, new ProxyConnectionFactory("ssl"),
                new SslConnectionFactory(sslContextFactory, proxiedAlpn.getProtocol()), proxiedAlpn,
                new HTTP2ServerConnectionFactory(config), new HttpConnectionFactory(config));
        proxiedHttpConnector = connector(0, new ProxyConnectionFactory("http/1.1"), new HttpConnectionFactory(config));
        adminConnector = connector(options.adminPort(), new HttpConnectionFactory(config));
        server.setConnectors(new Connector[] {httpsConnector, httpConnector, proxiedHttpsConnector,
                proxiedHttpConnector, adminConnector});

        Handler router = new LabRouter(hosts, context.pages(), turnstile, options.origin().create(context),
                new EdgeTrace(options.clock(), proxyAccounts::countryOf, context.events()));
        Handler adminHandler = new AdminHandler(admin, this::info);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                return request.getConnectionMetaData().getConnector() == adminConnector
                        ? adminHandler.handle(request, response, callback)
                        : router.handle(request, response, callback);
            }
        });
        hosts.onAdded(this::coverHost);
    }

    /** A seed nobody can guess, without waiting for the kernel's blocking pool (it starves on idle VMs). */
    private static long randomSeed() {
        try {
            return SecureRandom.getInstance("NativePRNGNonBlocking").nextLong();
        } catch (java.security.NoSuchAlgorithmException e) {
            return new SecureRandom().nextLong();
        }
    }

    private ServerConnector connector(int port, org.eclipse.jetty.server.ConnectionFactory... factories) {
        ServerConnector connector = new ServerConnector(server, 1, 1, factories);
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        return connector;
    }

    /** Starts a lab; it holds only the official test keys until the admin API adds more. */
    public static Lab start(LabOptions options) {
        Lab lab = new Lab(options);
        try {
            lab.server.start();
            lab.proxy = options.proxy().start(new InetSocketAddress("127.0.0.1", options.proxyPort()),
                    lab.context.proxyAccounts(), lab.upstream(), lab.context.events());
        } catch (Exception e) {
            lab.close();
            if (e instanceof IOException io) {
                throw new UncheckedIOException("cannot start the lab", io);
            }
            throw new IllegalStateException("cannot start the lab", e);
        }
        return lab;
    }

    public int httpsPort() {
        return httpsConnector.getLocalPort();
    }

    public int httpPort() {
        return httpConnector.getLocalPort();
    }

    public int adminPort() {
        return adminConnector.getLocalPort();
    }

    /** The HTTPS connector the forward proxy sends to (reads PROXY protocol v1 first). */
    public int proxiedHttpsPort() {
        return proxiedHttpsConnector.getLocalPort();
    }

    /** The HTTP connector the forward proxy sends to (reads PROXY protocol v1 first). */
    public int proxiedHttpPort() {
        return proxiedHttpConnector.getLocalPort();
    }

    /** Where the forward proxy sends each lab host. */
    public Upstream upstream() {
        return new LabUpstream(context.hosts(), proxiedHttpsPort(), proxiedHttpPort());
    }

    /** The forward proxy's HTTP port, or -1 when the lab runs without one. */
    public int proxyHttpPort() {
        return proxy == null ? -1 : proxy.httpPort();
    }

    /** The forward proxy's SOCKS5 port, or -1 when the lab runs without one. */
    public int proxySocksPort() {
        return proxy == null ? -1 : proxy.socksPort();
    }

    /** Base64 SHA-256 of the certificate key's SPKI. */
    public String spkiPin() {
        return context.certificate().spkiPin();
    }

    /** An SSL context that trusts the lab (for plain HTTP clients). */
    public SSLContext clientSslContext() {
        return context.certificate().clientSslContext();
    }

    public LabAdmin admin() {
        return admin;
    }

    /** The shared state (event log, clock, sealer, registries) for parts built on the lab. */
    public LabContext context() {
        return context;
    }

    /**
     * The Chromium flags that reach the lab under real names: the host rules (Turnstile hosts, {@code *.lab.test},
     * every host registered now or given at start, then {@code MAP * ^NOTFOUND, EXCLUDE localhost}) and the pin.
     * Hosts registered after the browser starts are reached only if they are under {@code lab.test}.
     */
    public List<String> chromiumArgs() {
        return List.of("--host-resolver-rules=" + hostResolverRules(),
                "--ignore-certificate-errors-spki-list=" + spkiPin());
    }

    public String hostResolverRules() {
        String target = "127.0.0.1:" + httpsPort();
        List<String> names = new ArrayList<>(List.of("challenges.cloudflare.com", "challenges.fed.cloudflare.com",
                "*.lab.test"));
        initialHosts.stream().filter(h -> !h.endsWith(".lab.test") && !names.contains(h)).forEach(names::add);
        context.hosts().all().stream().map(LabHost::name).sorted()
                .filter(h -> !h.endsWith(".lab.test") && !names.contains(h)).forEach(names::add);
        StringBuilder rules = new StringBuilder();
        for (String name : names) {
            rules.append("MAP ").append(name).append(' ').append(target).append(", ");
        }
        return rules.append("MAP * ^NOTFOUND, EXCLUDE localhost").toString();
    }

    /** What {@code turnpike lab} prints at start. */
    public String banner() {
        StringBuilder out = new StringBuilder();
        out.append("Turnpike lab (a local Cloudflare) is running\n");
        out.append("  HTTPS (and plain HTTP) on 127.0.0.1:").append(httpsPort()).append(", routing by SNI/Host\n");
        out.append("  plain HTTP on 127.0.0.1:").append(httpPort()).append('\n');
        out.append("  admin API on http://127.0.0.1:").append(adminPort())
                .append(" (GET /info, /events; POST /sitekeys, /hosts, /pages, /proxy-accounts, /pow-seeds, /reset;")
                .append(" PUT .../hostile, .../strict, .../fault: lab/README.md)\n");
        if (proxy != null) {
            out.append("  forward proxy: HTTP 127.0.0.1:").append(proxyHttpPort()).append(", SOCKS5 127.0.0.1:")
                    .append(proxySocksPort()).append('\n');
            for (ProxyAccount account : context.proxyAccounts().all().stream()
                    .sorted(Comparator.comparing(ProxyAccount::user)).toList()) {
                // Lab accounts are local fixtures made for testing, not users' credentials.
                out.append("    account ").append(account.user()).append(':').append(account.pass())
                        .append(" exit IP ").append(account.exitIp()).append('\n');
            }
        } else {
            out.append("  forward proxy: not running\n");
        }
        for (LabHost host : context.hosts().all().stream().sorted(Comparator.comparing(LabHost::name)).toList()) {
            out.append("  host https://").append(host.name()).append("/ (")
                    .append(host.kind().name().toLowerCase(Locale.ROOT).replace('_', '-')).append(")\n");
        }
        out.append("Chromium flags:\n");
        out.append("  --host-resolver-rules=\"").append(hostResolverRules()).append("\"\n");
        out.append("  --ignore-certificate-errors-spki-list=").append(spkiPin()).append('\n');
        return out.toString();
    }

    private Map<String, Object> info() {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("httpsPort", httpsPort());
        info.put("httpPort", httpPort());
        info.put("adminPort", adminPort());
        info.put("proxyHttpPort", proxyHttpPort());
        info.put("proxySocksPort", proxySocksPort());
        info.put("spkiPin", spkiPin());
        info.put("chromiumArgs", chromiumArgs());
        return info;
    }

    /** Re-issues the certificate (same key) when a new host is not covered yet, so plain clients see a valid name. */
    private void coverHost(LabHost host) {
        if (context.certificate().covers(host.name())) {
            return;
        }
        List<String> names = new ArrayList<>(initialHosts);
        context.hosts().all().forEach(h -> names.add(h.name()));
        context.certificate().reissue(names);
        try {
            sslContextFactory.reload(f -> f.setKeyStore(context.certificate().keyStore()));
        } catch (Exception e) {
            throw new IllegalStateException("cannot reload the lab certificate", e);
        }
    }

    private void resetState() {
        context.random().replayPowSeeds(null);
        context.hosts().clear();
        context.sitekeys().clear();
        context.pages().clear();
        context.proxyAccounts().clear();
        context.strict().targets().clear();
        context.siteverify().clear();
        turnstile.clear();
        context.events().clear();
        context.events().append("lab.reset");
    }

    @Override
    public void close() {
        if (proxy != null) {
            proxy.close();
        }
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("cannot stop the lab", e);
        } finally {
            context.scheduler().shutdownNow();
        }
    }
}
