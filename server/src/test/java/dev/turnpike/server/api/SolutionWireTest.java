package dev.turnpike.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.server.task.Solution;
import org.junit.jupiter.api.Test;

/**
 * The wire {@code solution} (PROTOCOL.md §4): M1 says whose widget gave the token; every browser solution what its
 * browser presented.
 */
class SolutionWireTest {

    @Test
    void aFallbackTokenSaysSoBesideTheFieldsClientsRead() {
        assertThat(TaskResults.solution(new Solution.Turnstile("0.tok", "UA", Solution.Turnstile.FALLBACK)))
                .containsEntry("token", "0.tok").containsEntry("gRecaptchaResponse", "0.tok")
                .containsEntry("userAgent", "UA").containsEntry("mode", "fallback");
    }

    @Test
    void fastModesSolutionKeepsItsThreeFields() {
        assertThat(TaskResults.solution(new Solution.Turnstile("0.tok", "UA")))
                .containsOnlyKeys("token", "gRecaptchaResponse", "userAgent");
    }

    @Test
    void theIdentityPresentedThroughAProxySaysItsExitAndCountry() {
        Solution.Identity identity = new Solution.Identity("203.0.113.24", "DE", "Europe/Berlin",
                java.util.List.of("de-DE", "de", "en-US", "en"), "proxy", null);
        assertThat(TaskResults.solution(new Solution.Turnstile("0.tok", "UA").withIdentity(identity)).get("identity"))
                .isEqualTo(java.util.Map.of("ip", "203.0.113.24", "country", "DE", "timeZone", "Europe/Berlin",
                        "languages", java.util.List.of("de-DE", "de", "en-US", "en"), "source", "proxy"));
    }

    @Test
    void theMachinesOwnIdentitySaysWhyWhenAProxyWasThere() {
        Solution.Identity identity = new Solution.Identity(null, null, "UTC", java.util.List.of("en-US", "en"),
                "machine", "no-trace");
        assertThat(TaskResults.solution(new Solution.Challenge(java.util.Map.of("cf_clearance", "c"), "UA",
                java.util.Map.of(), "chrome156", 200, "https://x/", "", identity)).get("identity"))
                .isEqualTo(java.util.Map.of("timeZone", "UTC", "languages", java.util.List.of("en-US", "en"),
                        "source", "machine", "fallback", "no-trace"));
    }
}
