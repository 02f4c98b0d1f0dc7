package dev.turnpike.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.turnpike.server.testing.FakeSolver;
import dev.turnpike.server.testing.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * The HTTP API under generated abuse (jqwik): every method, known and unknown paths, malformed JSON, every field of
 * the protocol with a value of every JSON type, unicode and control characters, bodies over the limit. Each answer
 * must be the protocol's envelope (HTTP 200 with {@code errorId}) or a clean 4xx — an answer, not a reset, and
 * never a 5xx. Bounded: a few hundred requests, well under a minute.
 */
class HttpApiFuzzTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final int MAX_BODY = 65_536;
    private static final List<String> PATHS = List.of("/createTask", "/createSyncTask", "/getTaskResult",
            "/getBalance", "/getQueueStats", "/reportIncorrectTokenCaptcha", "/reportCorrectRecaptcha", "/",
            "/createTask/", "/no-such-method", "/health/live", "/metrics", "/admin/api/keys", "/admin/api/keys/create");
    private static final List<String> TOP_FIELDS = List.of("clientKey", "task", "taskId", "softId", "callbackUrl",
            "languagePool");
    private static final List<String> TASK_FIELDS = List.of("type", "websiteURL", "websiteKey", "proxy", "proxyType",
            "proxyAddress", "proxyPort", "proxyLogin", "proxyPassword", "userAgent", "rqData", "action", "cData",
            "chlPageData", "metadata", "isInvisible");

    static TestServer server;
    static String key;
    static final AtomicInteger requests = new AtomicInteger();

    @BeforeContainer
    static void start() throws Exception {
        server = TestServer.builder().setting("http.maxBodyBytes", String.valueOf(MAX_BODY))
                .setting("api.syncTaskMaxWait", "1s").solver(FakeSolver.forAllTypes()).start();
        key = server.createKey(1_000_000);
    }

    @AfterContainer
    static void stop() {
        System.out.println("HttpApiFuzzTest: " + requests.get() + " generated requests");
        server.close();
    }

    /** A request as a client might send it: any method, a path, a body. */
    record Call(String method, String path, byte[] body) {
        @Override
        public String toString() {
            String text = new String(body, StandardCharsets.UTF_8);
            return method + " " + path + " (" + body.length + " bytes) " + (text.length() > 300 ? text.substring(0, 300) + "…" : text);
        }
    }

    @Property(tries = 400)
    void everyRequestGetsTheEnvelopeOrAClean4xx(@ForAll("calls") Call call) throws IOException {
        assertCleanAnswer(call, send(call));
    }

    @Property(tries = 30)
    void aBodyOverTheLimitIsAnswered413NotReset(@ForAll("oversizeBodies") byte[] body,
                                                @ForAll("apiPaths") String path, @ForAll boolean chunked,
                                                @ForAll boolean keepAlive) throws IOException {
        Call call = new Call("POST", path, body);
        Answer answer = send(call, chunked, keepAlive);
        assertThat(answer.status()).as("%s", call).isEqualTo(413);
        assertCleanAnswer(call, answer);
    }

    @Provide
    Arbitrary<Call> calls() {
        Arbitrary<String> methods = Arbitraries.of("POST", "POST", "POST", "GET", "PUT", "DELETE", "PATCH", "OPTIONS",
                "HEAD");
        Arbitrary<String> paths = Arbitraries.oneOf(Arbitraries.of(PATHS),
                Arbitraries.strings().withChars("abcXYZ019-._~%/").ofMaxLength(30).map(s -> "/" + s));
        Arbitrary<byte[]> bodies = Arbitraries.oneOf(malformedJson(), objectsWithWrongTypes(),
                Arbitraries.just(new byte[0]));
        return Combinators.combine(methods, paths, bodies).as(Call::new);
    }

    @Provide
    Arbitrary<String> apiPaths() {
        return Arbitraries.of("/createTask", "/getTaskResult", "/getBalance", "/createSyncTask");
    }

    @Provide
    Arbitrary<byte[]> oversizeBodies() {
        return Arbitraries.integers().between(MAX_BODY + 1, 4 * 1024 * 1024).map(n -> {
            byte[] body = new byte[n];
            java.util.Arrays.fill(body, (byte) 'x');
            byte[] head = "{\"clientKey\":\"".getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(head, 0, body, 0, head.length);
            return body;
        });
    }

    /** Text that is mostly not JSON: any unicode, control characters, truncated objects. */
    private Arbitrary<byte[]> malformedJson() {
        Arbitrary<String> anyText = Arbitraries.strings().all().ofMaxLength(200);
        Arbitrary<String> truncated = objectsWithWrongTypes().map(b -> new String(b, StandardCharsets.UTF_8))
                .flatMap(s -> Arbitraries.integers().between(0, Math.max(0, s.length() - 1)).map(n -> s.substring(0, n)));
        Arbitrary<String> notObjects = Arbitraries.of("[]", "[1,2]", "null", "true", "12", "\"text\"", "{", "}", "{{}}",
                "{\"clientKey\":}", "{\"a\":1,}", "\uFEFF{}", "{\"clientKey\":\"\u0000\"}");
        return Arbitraries.oneOf(anyText, truncated, notObjects).map(s -> s.getBytes(StandardCharsets.UTF_8));
    }

    /** Objects with the protocol's field names, each holding a value of any JSON type (the real key sometimes). */
    private Arbitrary<byte[]> objectsWithWrongTypes() {
        Arbitrary<ObjectNode> task = Arbitraries.subsetOf(TASK_FIELDS).flatMap(fields -> jsonValues().list()
                .ofSize(fields.size()).map(values -> object(List.copyOf(fields), values)));
        Arbitrary<JsonNode> taskOrAny = Arbitraries.oneOf(task.map(t -> (JsonNode) t), jsonValues());
        return Arbitraries.subsetOf(TOP_FIELDS).flatMap(fields -> Combinators.combine(jsonValues().list()
                .ofSize(fields.size()), taskOrAny, Arbitraries.of(true, false)).as((values, t, realKey) -> {
                    ObjectNode body = object(List.copyOf(fields), values);
                    if (fields.contains("task")) {
                        body.set("task", t);
                    }
                    if (realKey) {
                        body.put("clientKey", key);
                    }
                    return body.toString().getBytes(StandardCharsets.UTF_8);
                }));
    }

    private static ObjectNode object(List<String> fields, List<JsonNode> values) {
        ObjectNode node = NODES.objectNode();
        for (int i = 0; i < fields.size(); i++) {
            node.set(fields.get(i), values.get(i));
        }
        return node;
    }

    private Arbitrary<JsonNode> jsonValues() {
        Arbitrary<JsonNode> scalars = Arbitraries.oneOf(
                Arbitraries.just(NODES.nullNode()),
                Arbitraries.of(true, false).map(NODES::booleanNode),
                Arbitraries.longs().map(NODES::numberNode),
                Arbitraries.of(Long.MAX_VALUE, Long.MIN_VALUE, 0L, -1L).map(NODES::numberNode),
                Arbitraries.doubles().map(NODES::numberNode),
                Arbitraries.bigIntegers().between(java.math.BigInteger.TEN.pow(30).negate(),
                        java.math.BigInteger.TEN.pow(30)).map(NODES::numberNode),
                Arbitraries.strings().all().ofMaxLength(80).map(NODES::textNode),
                Arbitraries.of("TurnstileTaskProxyless", "CloudFlare5STask", "https://demo.lab.test/",
                        "http://0177.0.0.1/", "http://[::1]/", "socks5://u:p@127.0.0.1:1", "0x4AAAAAAAB", "ready",
                        "123456789012345678901234567890", "-1", "").map(NODES::textNode));
        return Arbitraries.oneOf(scalars,
                scalars.list().ofMaxSize(3).map(list -> {
                    var array = NODES.arrayNode();
                    list.forEach(array::add);
                    return array;
                }),
                scalars.map(v -> NODES.objectNode().set("x", v)));
    }

    /** What came back: the status and the body, or a connection cut before a status line. */
    record Answer(int status, String headers, byte[] body) {
    }

    private static void assertCleanAnswer(Call call, Answer answer) throws IOException {
        assertThat(answer.status()).as("an answer, not a reset or a cut: %s", call).isPositive();
        assertThat(answer.status()).as("no 5xx: %s", call).isBetween(200, 499);
        if (answer.status() == 200 && !call.method().equals("HEAD") && !call.path().startsWith("/health")
                && !call.path().startsWith("/metrics")) {
            JsonNode envelope = JSON.readTree(answer.body());
            assertThat(envelope.isObject()).as("%s", call).isTrue();
            // getQueueStats answers its figures bare when it succeeds (PROTOCOL.md), the envelope when it fails.
            boolean queueStats = call.path().startsWith("/getQueueStats") && envelope.has("waiting");
            assertThat(queueStats || envelope.path("errorId").isInt()).as("the envelope's errorId: %s -> %s", call,
                    envelope).isTrue();
            if (envelope.path("errorId").asInt() != 0) {
                assertThat(envelope.path("errorCode").asText()).as("%s", call).startsWith("ERROR_");
            }
        }
    }

    /** Sends {@code call} on a fresh connection, writing the body while the answer is read (it may come first). */
    private static Answer send(Call call) throws IOException {
        return send(call, false, false);
    }

    /**
     * @param chunked   the body in 8 KiB chunks instead of with a Content-Length
     * @param keepAlive no {@code Connection: close}: the server decides whether the connection ends
     */
    private static Answer send(Call call, boolean chunked, boolean keepAlive) throws IOException {
        requests.incrementAndGet();
        try (Socket socket = new Socket("127.0.0.1", server.baseUrl().getPort())) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            String head = call.method() + " " + call.path() + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + (keepAlive ? "" : "Connection: close\r\n") + "Content-Type: application/json\r\n"
                    + (chunked ? "Transfer-Encoding: chunked\r\n\r\n" : "Content-Length: " + call.body().length + "\r\n\r\n");
            Thread writer = Thread.ofVirtual().start(() -> {
                try {
                    out.write(head.getBytes(StandardCharsets.ISO_8859_1));
                    if (chunked) {
                        for (int at = 0; at < call.body().length; at += 8192) {
                            int n = Math.min(8192, call.body().length - at);
                            out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                            out.write(call.body(), at, n);
                            out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
                        }
                        out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                    } else {
                        out.write(call.body());
                    }
                    out.flush();
                    if (keepAlive) {
                        socket.shutdownOutput();
                    }
                } catch (IOException e) {
                    // The server answered without reading everything; what it answered is what counts.
                }
            });
            byte[] raw;
            try {
                raw = readAll(socket.getInputStream(), call.method().equals("HEAD"));
            } finally {
                writer.interrupt();
            }
            return parse(raw);
        }
    }

    private static byte[] readAll(InputStream in, boolean headOnly) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            for (int n = in.read(buffer); n >= 0 && !complete(bytes, headOnly); n = in.read(buffer)) {
                bytes.write(buffer, 0, n);
                if (complete(bytes, headOnly)) {
                    break;
                }
            }
        } catch (IOException reset) {
            // Kept: what arrived before a reset; an answer cut short shows as no status below.
        }
        return bytes.toByteArray();
    }

    /** Whether a whole answer is in: its head, then its Content-Length or its last chunk (no wait for the close). */
    private static boolean complete(ByteArrayOutputStream bytes, boolean headOnly) {
        String text = bytes.toString(StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        if (end < 0 || headOnly) {
            return end >= 0;
        }
        String head = text.substring(0, end).toLowerCase(Locale.ROOT);
        if (head.startsWith("http/1.1 204") || head.startsWith("http/1.1 304")) {
            return true;
        }
        var length = java.util.regex.Pattern.compile("content-length: *(\\d+)").matcher(head);
        if (length.find()) {
            return text.length() - end - 4 >= Long.parseLong(length.group(1));
        }
        return head.contains("transfer-encoding: chunked") && text.endsWith("\r\n0\r\n\r\n");
    }

    private static Answer parse(byte[] raw) {
        String text = new String(raw, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        if (!text.startsWith("HTTP/1.1 ") || end < 0) {
            return new Answer(0, text, new byte[0]);
        }
        int status = Integer.parseInt(text.substring(9, 12));
        String headers = text.substring(0, end).toLowerCase(Locale.ROOT);
        byte[] body = java.util.Arrays.copyOfRange(raw, end + 4, raw.length);
        if (headers.contains("transfer-encoding: chunked")) {
            body = dechunk(body);
        }
        return new Answer(status, headers, body);
    }

    private static byte[] dechunk(byte[] chunked) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String text = new String(chunked, StandardCharsets.ISO_8859_1);
        int at = 0;
        while (at < text.length()) {
            int lineEnd = text.indexOf("\r\n", at);
            if (lineEnd < 0) {
                break;
            }
            int size = Integer.parseInt(text.substring(at, lineEnd).split(";")[0].strip(), 16);
            if (size == 0) {
                break;
            }
            out.write(chunked, lineEnd + 2, size);
            at = lineEnd + 2 + size + 2;
        }
        return out.toByteArray();
    }
}
