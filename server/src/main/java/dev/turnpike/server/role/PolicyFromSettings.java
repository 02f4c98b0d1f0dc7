package dev.turnpike.server.role;

import dev.turnpike.server.config.Config;
import dev.turnpike.server.config.Settings;
import dev.turnpike.server.net.AddressPolicy;
import dev.turnpike.server.net.Cidr;
import dev.turnpike.server.net.Endpoint;
import dev.turnpike.server.net.HostResolver;

/** The address policy every role builds from the same settings, so that they all judge targets alike. */
final class PolicyFromSettings {

    private PolicyFromSettings() {
    }

    static AddressPolicy of(Config config, HostResolver resolver) {
        return new AddressPolicy(resolver, config.get(Settings.ALLOW_HOSTS),
                config.get(Settings.ALLOW_NETWORKS).stream().map(Cidr::parse).toList(),
                config.get(Settings.ALLOW_ENDPOINTS).stream().map(Endpoint::parse).toList());
    }
}
