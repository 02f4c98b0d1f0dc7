package dev.turnpike.lab;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A plain HTTP client for tests: reaches a lab host by name through 127.0.0.1 with the real Host header. */
public final class LabHttp {

    private final Lab lab;
    private final HttpClient client;

    public LabHttp(Lab lab) {
        this.lab = lab;
        this.client = HttpClient.newBuilder().sslContext(lab.clientSslContext()).version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
    }

    public HttpResponse<String> get(String host, String path) throws IOException, InterruptedException {
        return send(request(host, path).GET().build());
    }

    public HttpResponse<String> post(String host, String path, String contentType, String body)
            throws IOException, InterruptedException {
        HttpRequest.Builder builder = request(host, path).POST(HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            builder.header("Content-Type", contentType);
        }
        return send(builder.build());
    }

    public HttpRequest.Builder request(String host, String path) {
        return HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + lab.httpsPort() + path))
                .header("Host", host).timeout(Duration.ofSeconds(30));
    }

    public HttpResponse<String> admin(String method, String path, String json) throws IOException, InterruptedException {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + lab.adminPort() + path))
                .timeout(Duration.ofSeconds(30));
        if (json == null) {
            builder.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            builder.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
        }
        return send(builder.build());
    }

    public HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
