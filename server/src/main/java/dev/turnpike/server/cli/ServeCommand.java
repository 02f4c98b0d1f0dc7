package dev.turnpike.server.cli;

import dev.turnpike.lab.Lab;
import dev.turnpike.lab.LabMain;
import dev.turnpike.lab.LabOptions;
import dev.turnpike.server.browser.chromium.ChromiumUnavailableException;
import dev.turnpike.server.config.Config;
import dev.turnpike.server.config.Settings;
import dev.turnpike.server.logging.LogFormat;
import dev.turnpike.server.role.BrowserSolvers;
import dev.turnpike.server.role.LabLink;
import dev.turnpike.server.role.Standalone;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code turnpike serve}: the whole server in this process, until interrupted. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Run the whole server (API, queue, browser solvers, embedded store) in this process.")
final class ServeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Config config = SettingOptions.load(spec);
        LogFormat.apply(config.get(Settings.LOG_FORMAT));
        Lab lab = null;
        if (LabOption.embedded(config)) {
            lab = Lab.start(LabOptions.defaults());
            LabMain.addDemo(lab);
            config = SettingOptions.load(spec, LabLink.of(lab).settings(config));
        } else {
            config = LabOption.attached(spec, config);
        }
        Standalone server;
        try {
            server = start(config);
        } catch (BrowserStartFailed e) {
            System.err.println("turnpike: " + e.getMessage());
            if (lab != null) {
                lab.close();
            }
            return 3;
        }
        Lab embeddedLab = lab;
        CountDownLatch stopped = StopOnSignal.install(StopOnSignal.boundFor(config), () -> {
            server.close();
            if (embeddedLab != null) {
                embeddedLab.close();
            }
        });
        String dataDirFlag = "default".equals(config.source(Settings.DATA_DIR)) ? ""
                : " " + Settings.DATA_DIR.flag() + " " + config.get(Settings.DATA_DIR);
        if (embeddedLab != null) {
            System.out.print(embeddedLab.banner());
        }
        System.out.println("Turnpike is listening on " + server.address());
        System.out.println("Data: " + server.storeDescription());
        System.out.println("Solving: " + server.supportedTypes());
        System.out.println("Settings: " + config.describeNonDefaults());
        System.out.println("Status page: " + server.address() + "/admin  (admin token in "
                + server.operator().tokenOrigin() + ")");
        System.out.println("Create a client key:  bin/turnpike keys create --points 1000 --name me" + dataDirFlag);
        System.out.println("Stop with Ctrl-C.");
        System.out.flush();
        stopped.await();
        return 0;
    }

    private static Standalone start(Config config) throws Exception {
        Standalone.Builder builder = Standalone.builder(config);
        if (config.get(Settings.BROWSERS) > 0) {
            builder.solver(ctx -> {
                try {
                    return BrowserSolvers.start(ctx.config(), ctx.clock(), ctx.addressPolicy());
                } catch (ChromiumUnavailableException e) {
                    throw new BrowserStartFailed(e.getMessage(), e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new BrowserStartFailed("interrupted while starting the browsers", e);
                }
            });
        }
        return builder.start();
    }

    /** The browsers could not start: the message says why and how to fix it. */
    private static final class BrowserStartFailed extends RuntimeException {
        BrowserStartFailed(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
