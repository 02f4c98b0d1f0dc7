package dev.turnpike.server.cli;

import dev.turnpike.server.config.Config;
import dev.turnpike.server.role.ApiNode;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code turnpike api}: an API node of a cluster (HTTP only), until stopped. */
@Command(name = "api", mixinStandardHelpOptions = true,
        description = {"Run an API node of a cluster: the HTTP API over a shared PostgreSQL store, no browsers.",
                "Needs --store postgresql://user@host:5432/db; run any number of them behind a load balancer."})
final class ApiCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Config config = SettingOptions.load(spec);
        if (LabOption.embedded(config)) {
            System.err.println("turnpike: an api node cannot embed the lab; run 'turnpike lab' and give --lab its admin URL");
            return 2;
        }
        config = LabOption.attached(spec, config); // the same names and ports allowed as on the solver nodes
        ApiNode node = ApiNode.start(config);
        CountDownLatch stopped = StopOnSignal.install(StopOnSignal.boundFor(config), node::close);
        System.out.println("Turnpike api node is listening on " + node.address());
        System.out.println("Store: " + node.storeDescription());
        System.out.println("Status page: " + node.address() + "/admin  (admin token in "
                + node.operator().tokenOrigin() + ")");
        System.out.println("Settings: " + config.describeNonDefaults());
        System.out.flush();
        stopped.await();
        return 0;
    }
}
