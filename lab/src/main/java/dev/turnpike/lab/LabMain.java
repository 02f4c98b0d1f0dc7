package dev.turnpike.lab;

import dev.turnpike.lab.core.HostKind;
import dev.turnpike.lab.core.LabHost;
import dev.turnpike.lab.core.Sitekey;
import dev.turnpike.lab.proxy.ProxyAccount;
import java.util.concurrent.CountDownLatch;

/**
 * {@code turnpike lab}: starts a lab with a small demo (a page with a widget on {@code demo.lab.test}, a protected
 * host, a form host and two proxy accounts), prints the banner, and runs until stopped.
 *
 * <pre>
 * turnpike lab [--port N] [--http-port N] [--admin-port N] [--seed N]
 * </pre>
 */
public final class LabMain {

    /** The demo sitekey and secret {@code turnpike lab} registers. */
    public static final String DEMO_SITEKEY = "0x4AAAAAAAlabDemoSitekey";
    public static final String DEMO_SECRET = "0x4AAAAAAAlabDemoSecretKeyForTheTurnpikeLab";

    private LabMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        LabOptions options;
        try {
            options = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("turnpike lab: " + e.getMessage());
            System.err.println("usage: turnpike lab [--port N] [--http-port N] [--admin-port N] [--seed N]");
            System.exit(2);
            return;
        }
        run(options);
    }

    /** Starts a lab with the demo, prints the banner, and blocks until the process is stopped. */
    public static void run(LabOptions options) throws InterruptedException {
        Lab lab = Lab.start(options);
        addDemo(lab);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            lab.close();
            stopped.countDown();
        }, "lab-shutdown"));
        System.out.print(lab.banner());
        System.out.println("Demo: https://demo.lab.test/ (sitekey " + DEMO_SITEKEY + ", secret " + DEMO_SECRET + ")");
        System.out.flush();
        stopped.await();
    }

    static LabOptions parse(String[] args) {
        int https = 0;
        int http = 0;
        int admin = 0;
        Long seed = null;
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (flag.equals("--help") || flag.equals("-h")) {
                throw new IllegalArgumentException("help");
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("missing value after " + flag);
            }
            String value = args[++i];
            try {
                switch (flag) {
                    case "--port" -> https = Integer.parseInt(value);
                    case "--http-port" -> http = Integer.parseInt(value);
                    case "--admin-port" -> admin = Integer.parseInt(value);
                    case "--seed" -> seed = Long.parseLong(value);
                    default -> throw new IllegalArgumentException("unknown option " + flag);
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(flag + " takes a number, not " + value);
            }
        }
        LabOptions options = LabOptions.defaults().withPorts(https, http, admin, 0);
        return seed == null ? options : options.withSeed(seed);
    }

    /** Registers the demo: a widget page on demo.lab.test, a protected and a form host, two proxy accounts. */
    public static void addDemo(Lab lab) {
        LabAdmin admin = lab.admin();
        admin.registerSitekey(Sitekey.managed(DEMO_SITEKEY, DEMO_SECRET, "lab.test"));
        admin.registerHost(LabHost.of("protected.lab.test", HostKind.PROTECTED));
        admin.registerHost(LabHost.of("form.lab.test", HostKind.TURNSTILE_FORM));
        admin.registerPage("demo.lab.test", "/", """
                <!doctype html>
                <html><head><title>Lab demo</title>
                <script src="https://challenges.cloudflare.com/turnstile/v0/api.js" async defer></script></head>
                <body><h1>Lab demo</h1>
                <form method="post" action="/"><div class="cf-turnstile" data-sitekey="%s" data-action="demo"
                 data-callback="onToken"></div></form>
                <pre id="token"></pre>
                <script>function onToken(t) { document.getElementById('token').textContent = t; }</script>
                </body></html>
                """.formatted(DEMO_SITEKEY));
        admin.registerProxyAccount(new ProxyAccount("lab-a", "lab-a-pass", "203.0.113.7", null));
        admin.registerProxyAccount(new ProxyAccount("lab-b", "lab-b-pass", "198.51.100.23", null));
    }
}
