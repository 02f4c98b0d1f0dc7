package dev.turnpike.server.cli;

import dev.turnpike.server.account.ClientKeys;
import dev.turnpike.server.store.Database;
import dev.turnpike.server.account.JdbcAccounts;
import dev.turnpike.server.account.Points;
import dev.turnpike.server.admin.AdminApi;
import dev.turnpike.server.admin.AdminClient;
import dev.turnpike.server.admin.AdminToken;
import dev.turnpike.server.config.Config;
import dev.turnpike.server.config.Settings;
import dev.turnpike.server.config.StoreSettings;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code turnpike keys create|list|topup|revoke}: client keys and their points, in the local store, or with
 * {@code --server URL} through a running server's admin API (token from {@code --admin-token},
 * {@code TURNPIKE_ADMIN_TOKEN}, or the token file the server generated in {@code data.dir}).
 */
@Command(name = "keys", mixinStandardHelpOptions = true, description = "Manage client keys and their points.",
        subcommands = {KeysCommand.Create.class, KeysCommand.List.class, KeysCommand.TopUp.class,
                KeysCommand.Revoke.class})
final class KeysCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** {@code --server}: act through a server's admin API instead of opening the store. */
    static final class Remote {
        @Option(names = "--server", paramLabel = "URL",
                description = "a running server's base URL (e.g. http://10.0.0.5:8080): use its admin API instead "
                        + "of opening the store; the token comes from --admin-token, TURNPIKE_ADMIN_TOKEN or "
                        + "data.dir/admin-token")
        URI server;
    }

    /** The four actions, on the local store or on a remote server. */
    interface Keys {
        AdminApi.Created create(String name, long points);

        java.util.List<AdminApi.Key> list();

        AdminApi.ToppedUp topUp(String key, long points);

        AdminApi.Key revoke(String key);
    }

    static <T> T withKeys(CommandSpec spec, Remote remote, Function<Keys, T> work) {
        Config config = SettingOptions.load(spec);
        if (remote.server != null) {
            return work.apply(remote(config, remote.server));
        }
        try (Database db = Database.open(StoreSettings.options(config))) {
            JdbcAccounts accounts = new JdbcAccounts(db.dataSource(), Clock.systemUTC(), ClientKeys.secure(),
                    config.get(Settings.NODE_ID));
            return work.apply(new Keys() {
                @Override
                public AdminApi.Created create(String name, long points) {
                    var created = accounts.createKey(name, points);
                    return new AdminApi.Created(created.account().id(), name, created.account().keyPrefix(), points,
                            created.key());
                }

                @Override
                public java.util.List<AdminApi.Key> list() {
                    return accounts.list().stream().map(AdminApi.Key::of).toList();
                }

                @Override
                public AdminApi.ToppedUp topUp(String key, long points) {
                    return new AdminApi.ToppedUp(ClientKeys.prefix(key), points, accounts.topUp(key, points));
                }

                @Override
                public AdminApi.Key revoke(String key) {
                    return AdminApi.Key.of(accounts.revoke(key));
                }
            });
        }
    }

    private static Keys remote(Config config, URI server) {
        String token = config.get(Settings.ADMIN_TOKEN);
        if (token.isEmpty()) {
            try {
                token = AdminToken.readGenerated(config.get(Settings.DATA_DIR));
            } catch (IOException e) {
                throw new IllegalArgumentException("--server needs the admin token: give " + Settings.ADMIN_TOKEN.flag()
                        + " or " + Settings.ADMIN_TOKEN.envVar());
            }
        }
        AdminClient client = new AdminClient(server, token, Duration.ofSeconds(30));
        return new Keys() {
            @Override
            public AdminApi.Created create(String name, long points) {
                return client.create(name, points);
            }

            @Override
            public java.util.List<AdminApi.Key> list() {
                return client.list();
            }

            @Override
            public AdminApi.ToppedUp topUp(String key, long points) {
                return client.topUp(key, points);
            }

            @Override
            public AdminApi.Key revoke(String key) {
                return client.revoke(key);
            }
        };
    }

    private static PrintWriter out(CommandSpec spec) {
        return spec.commandLine().getOut();
    }

    private static PrintWriter err(CommandSpec spec) {
        return spec.commandLine().getErr();
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a client key; it is shown once.")
    static final class Create implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        Remote remote;
        @Option(names = "--points", defaultValue = "0", description = "initial points (default: 0)")
        long points;
        @Option(names = "--name", defaultValue = "", description = "a label for the key")
        String name;

        @Override
        public Integer call() {
            String problem = Points.problemWithInitial("--points", points);
            if (problem != null) {
                err(spec).println("turnpike: " + problem);
                return 2;
            }
            AdminApi.Created created = withKeys(spec, remote, k -> k.create(name, points));
            out(spec).println(created.key());
            out(spec).flush();
            err(spec).println("Created key " + created.keyPrefix() + "… (account " + created.id() + ") with "
                    + points + " points. It is shown only now: only its hash is stored.");
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List keys (prefixes only) and their points.")
    static final class List implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        Remote remote;

        @Override
        public Integer call() {
            java.util.List<AdminApi.Key> all = withKeys(spec, remote, Keys::list);
            PrintWriter out = out(spec);
            out.printf("%-6s %-10s %-8s %12s %10s %12s  %s%n", "ID", "KEY", "STATE", "BALANCE", "HELD",
                    "AVAILABLE", "NAME");
            for (AdminApi.Key a : all) {
                out.printf("%-6d %-10s %-8s %12d %10d %12d  %s%n", a.id(), a.keyPrefix(),
                        a.active() ? "active" : "revoked", a.balance(), a.held(), a.available(), a.name());
            }
            out.flush();
            return 0;
        }
    }

    @Command(name = "topup", mixinStandardHelpOptions = true, description = "Add points to a key.")
    static final class TopUp implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        Remote remote;
        @Parameters(index = "0", paramLabel = "KEY", description = "the full key or the prefix 'keys list' shows")
        String key;
        @Parameters(index = "1", paramLabel = "POINTS", description = "points to add (> 0)")
        long points;

        @Override
        public Integer call() {
            String problem = Points.problemWithTopUp("POINTS", points);
            if (problem != null) {
                err(spec).println("turnpike: " + problem);
                return 2;
            }
            AdminApi.ToppedUp done = withKeys(spec, remote, k -> k.topUp(key, points));
            out(spec).println("Added " + points + " points to " + done.keyPrefix() + "…; available now: "
                    + done.available());
            out(spec).flush();
            return 0;
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke a key: it stops working at once.")
    static final class Revoke implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        Remote remote;
        @Parameters(index = "0", paramLabel = "KEY", description = "the full key or the prefix 'keys list' shows")
        String key;

        @Override
        public Integer call() {
            AdminApi.Key revoked = withKeys(spec, remote, k -> k.revoke(key));
            out(spec).println("Revoked key " + revoked.keyPrefix() + "… (account " + revoked.id() + ")");
            out(spec).flush();
            return 0;
        }
    }
}
