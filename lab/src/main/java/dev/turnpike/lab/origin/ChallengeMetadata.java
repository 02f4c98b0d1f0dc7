package dev.turnpike.lab.origin;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.turnpike.lab.core.Sealer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;
import java.util.Optional;

/**
 * What a challenge page's {@code md} seals (LAB.md L3): which request was challenged, for whom, and when. The
 * solve endpoint trusts only what it finds in here, so a solver cannot carry a challenge to another path, user
 * agent or exit IP.
 *
 * @param ray        the challenge's ray id (16 hex)
 * @param zone       the zone the page was served for
 * @param path       the challenged path
 * @param method     the challenged request's method
 * @param bodyDigest hex SHA-256 of the challenged request's body
 * @param uaHash     hex SHA-256 of its User-Agent
 * @param ip         its client (exit) IP
 * @param iat        issue time, epoch milliseconds
 */
public record ChallengeMetadata(String ray, String zone, String path, String method, String bodyDigest,
                                String uaHash, String ip, long iat) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public ChallengeMetadata {
        Objects.requireNonNull(ray, "ray");
        Objects.requireNonNull(zone, "zone");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(bodyDigest, "bodyDigest");
        Objects.requireNonNull(uaHash, "uaHash");
        Objects.requireNonNull(ip, "ip");
    }

    /** The {@code md} value of a page. */
    public String seal(Sealer sealer) {
        try {
            return sealer.seal(JSON.writeValueAsBytes(this));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The metadata when {@code md} is genuine; empty when it is malformed or its MAC is not the lab's. */
    public static Optional<ChallengeMetadata> open(Sealer sealer, String md) {
        return sealer.open(md).flatMap(bytes -> {
            try {
                return Optional.of(JSON.readValue(bytes, ChallengeMetadata.class));
            } catch (IOException | RuntimeException e) {
                return Optional.empty();
            }
        });
    }
}
