package dev.turnpike.server.api.twocaptcha;

import static dev.turnpike.server.api.twocaptcha.TwoCaptchaHttp.params;
import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.server.api.twocaptcha.TwoCaptchaHttp.Form;
import dev.turnpike.server.testing.FakeSolver;
import dev.turnpike.server.testing.TestServer;
import org.junit.jupiter.api.Test;

/** in.php on a full queue and with no Turnstile solver installed. */
class TwoCaptchaQueueTest {

    @Test
    void aFullQueueAnswersNoSlotAndHoldsNothing() throws Exception {
        try (TestServer server = TestServer.builder().setting("workers", "1").setting("queue.capacity", "1")
                .solver(FakeSolver.forAllTypes().byDefault(FakeSolver.block())).start()) {
            TwoCaptchaHttp http = new TwoCaptchaHttp(server.baseUrl());
            String key = server.createKey(100);
            var turnstile = params("key", key, "method", "turnstile", "sitekey", "0x4AAAAAAAB",
                    "pageurl", "https://site.example/");
            assertThat(http.send("/in.php", Form.GET_QUERY, turnstile).text()).startsWith("OK|");
            server.solver().awaitStarted(1);
            assertThat(http.send("/in.php", Form.GET_QUERY, turnstile).text()).startsWith("OK|");
            assertThat(http.send("/in.php", Form.GET_QUERY, turnstile).text()).isEqualTo("ERROR_NO_SLOT_AVAILABLE");
            assertThat(server.balance(key)).isEqualTo(100 - 2 * 15);
            server.solver().release(2);
        }
    }

    @Test
    void withoutATurnstileSolverTheMethodIsNotSupported() throws Exception {
        try (TestServer server = TestServer.builder().noSolver().start()) {
            TwoCaptchaHttp http = new TwoCaptchaHttp(server.baseUrl());
            String key = server.createKey(100);
            var turnstile = params("key", key, "method", "turnstile", "sitekey", "0x4AAAAAAAB",
                    "pageurl", "https://site.example/", "json", "1");
            var answer = http.send("/in.php", Form.GET_QUERY, turnstile).json();
            assertThat(answer.get("request").textValue()).isEqualTo("ERROR_BAD_PARAMETERS");
            assertThat(answer.get("error_text").textValue()).contains("not supported");
        }
    }
}
