package dev.turnpike.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.server.task.Solution;
import org.junit.jupiter.api.Test;

/** The wire {@code solution} of a Turnstile task (PROTOCOL.md §4.1): M1 says whose widget gave the token. */
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
}
