package dev.turnpike.lab.origin;

import java.util.Optional;

/** The origin's view of the lab's host registry: a host's settings by name (lower case, no port). */
@FunctionalInterface
public interface OriginHosts {

    Optional<OriginHost> find(String host);
}
