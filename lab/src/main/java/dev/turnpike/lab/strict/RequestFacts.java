package dev.turnpike.lab.strict;

import java.util.Optional;

/**
 * What the lab received with the request that carried the signals: the identity headers, and the country of the
 * address it came from (empty for a request from this machine, which has no country the lab knows).
 */
public record RequestFacts(String userAgent, String secChUa, String secChUaPlatform, String secChUaMobile,
                           String acceptLanguage, Optional<String> country) {

    public RequestFacts {
        country = country == null ? Optional.empty() : country;
    }
}
