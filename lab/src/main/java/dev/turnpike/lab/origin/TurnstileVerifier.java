package dev.turnpike.lab.origin;

import java.util.List;

/**
 * The lab's siteverify, called in process (LAB.md L2): the origin checks challenge answers and {@code /form}
 * posts with it exactly as a site checks tokens with Cloudflare.
 */
@FunctionalInterface
public interface TurnstileVerifier {

    /**
     * @param secret   the sitekey's secret
     * @param token    the {@code cf-turnstile-response}
     * @param remoteIp the visitor's IP, as a site passes it
     */
    Verdict verify(String secret, String token, String remoteIp);

    /**
     * The parts of a siteverify answer the origin looks at.
     *
     * @param chlPageDataSha256 {@code metadata.chl_page_data_sha256}: hex SHA-256 of the {@code chlPageData} the
     *                          widget ran with (tokens of challenge pages), or null
     */
    record Verdict(boolean success, String hostname, String action, String cdata, boolean interactive,
                   String chlPageDataSha256, List<String> errorCodes) {

        public Verdict {
            errorCodes = errorCodes == null ? List.of() : List.copyOf(errorCodes);
        }
    }
}
