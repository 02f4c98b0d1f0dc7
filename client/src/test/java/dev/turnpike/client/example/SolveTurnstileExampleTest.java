package dev.turnpike.client.example;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The example runs as shipped, with the default polling (so this test waits the 3 s before the first poll). */
class SolveTurnstileExampleTest {

    @Test
    void theExamplePrintsTheToken() throws Exception {
        HttpServer service = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        service.createContext("/", exchange -> {
            String answer = switch (exchange.getRequestURI().getPath()) {
                case "/getBalance" -> "{\"errorId\":0,\"errorCode\":\"\",\"errorDescription\":\"\",\"balance\":300}";
                case "/createTask" -> "{\"errorId\":0,\"errorCode\":\"\",\"errorDescription\":\"\",\"taskId\":\"17\"}";
                default -> "{\"errorId\":0,\"errorCode\":\"\",\"errorDescription\":\"\",\"status\":\"ready\","
                        + "\"solution\":{\"token\":\"0.example\",\"userAgent\":\"UA-ex\"}}";
            };
            byte[] body = answer.getBytes(StandardCharsets.UTF_8);
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(200, body.length);
            try (exchange) {
                exchange.getResponseBody().write(body);
            }
        });
        service.start();
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int status = SolveTurnstileExample.run(new String[] {
                    "http://127.0.0.1:" + service.getAddress().getPort(), "key-1", "https://site.test/", "0x4AAA"},
                    new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));

            assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isZero();
            assertThat(out.toString(StandardCharsets.UTF_8)).contains("balance: 300").contains("token:   0.example")
                    .contains("agent:   UA-ex");
        } finally {
            service.stop(0);
        }
    }

    @Test
    void theExampleExplainsItsArguments() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int status = SolveTurnstileExample.run(new String[0], System.out, new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(status).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("usage:");
    }
}
