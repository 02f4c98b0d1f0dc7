package dev.turnpike.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.server.testing.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A client sending a body the server does not need (over the limit, to a wrong method, without the admin token) gets
 * its answer every time. The server used to answer without reading the body and close: the kernel then reset the
 * connection the client was still writing to, and a few answers in a hundred never arrived ("header parser received
 * no bytes" in Java's client, a connection reset in others).
 */
class UnreadBodyAnswerArrivesTest {

    private static final int TIMES = 40;
    private static final String BIG = "x".repeat(2_000_000);

    private static TestServer server;
    private static HttpClient http;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.builder().setting("admin.token", "an-admin-token-long-enough-0123456789")
                .setting("flaresolverr.enabled", "true").setting("flaresolverr.clientKey", "unused").start();
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    }

    @AfterAll
    static void stop() {
        http.close();
        server.close();
    }

    /** Sends {@code body} {@link #TIMES} times on one keep-alive client; returns what failed. */
    private static List<String> send(String method, String path, String contentType, String body, int status,
                                     String answerHas) {
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < TIMES; i++) {
            HttpRequest request = HttpRequest.newBuilder(server.baseUrl().resolve(path)).header("Content-Type", contentType)
                    .method(method, HttpRequest.BodyPublishers.ofString(body)).build();
            try {
                HttpResponse<String> answer = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (answer.statusCode() != status || !answer.body().contains(answerHas)) {
                    failures.add(answer.statusCode() + " " + answer.body());
                }
            } catch (IOException | InterruptedException e) {
                failures.add(e.toString());
            }
        }
        return failures;
    }

    @Test
    void theJsonApiAnswersEveryBodyOverTheLimit() {
        assertThat(send("POST", "/createTask", "application/json", "{\"clientKey\":\"" + BIG + "\"}", 413, ""))
                .isEmpty();
    }

    @Test
    void theJsonApiAnswersEveryUnknownMethodSentABody() {
        assertThat(send("POST", "/noSuchMethod", "application/json", "{\"clientKey\":\"k\"}", 200,
                "ERROR_NO_SUCH_METHOD")).isEmpty();
    }

    @Test
    void twoCaptchaAnswersEveryBodyOverTheLimit() {
        assertThat(send("POST", "/in.php", "application/x-www-form-urlencoded", "key=k&method=turnstile&body=" + BIG,
                200, "ERROR_TOO_BIG_CAPTCHA_FILESIZE")).isEmpty();
    }

    @Test
    void flareSolverrAnswersEveryBodyOverTheLimit() {
        assertThat(send("POST", "/v1", "application/json", "{\"cmd\":\"request.get\",\"url\":\"" + BIG + "\"}", 413,
                "\"status\":\"error\"")).isEmpty();
    }

    @Test
    void theAdminApiAnswersEveryRequestWithoutItsTokenThatSentABody() {
        assertThat(send("POST", "/admin/api/keys/create", "application/json", "{\"name\":\"" + BIG + "\"}", 401,
                "admin token")).isEmpty();
    }

    @Test
    void aBodyTooLargeEvenToDiscardIsAnsweredAndTheConnectionClosed() throws IOException {
        try (Socket socket = new Socket("127.0.0.1", server.baseUrl().getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("POST /createTask HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
                    + "application/json\r\nContent-Length: " + (RequestBody.DISCARD_LIMIT + 1) + "\r\n\r\n{")
                    .getBytes(StandardCharsets.ISO_8859_1));
            String answer = readUntilClosed(socket.getInputStream());
            assertThat(answer).startsWith("HTTP/1.1 413").containsIgnoringCase("Connection: close");
        }
    }

    @Test
    void aDiscardedBodyLeavesTheConnectionOpenForTheNextRequest() throws IOException {
        byte[] big = ("{\"clientKey\":\"" + "x".repeat(100_000) + "\"}").getBytes(StandardCharsets.US_ASCII);
        try (Socket socket = new Socket("127.0.0.1", server.baseUrl().getPort())) {
            socket.setSoTimeout(10_000);
            var out = socket.getOutputStream();
            out.write(("POST /createTask HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + big.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(big);
            out.write(("POST /getBalance HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 2\r\nConnection: close\r\n\r\n{}").getBytes(StandardCharsets.ISO_8859_1));
            String answers = readUntilClosed(socket.getInputStream());
            int second = answers.indexOf("HTTP/1.1 ", 1);
            assertThat(answers).startsWith("HTTP/1.1 413");
            assertThat(answers.substring(0, second)).doesNotContainIgnoringCase("Connection: close");
            assertThat(answers.substring(second)).startsWith("HTTP/1.1 200").contains("\"errorId\":1");
        }
    }

    private static String readUntilClosed(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        in.transferTo(bytes);
        return bytes.toString(StandardCharsets.ISO_8859_1);
    }
}
