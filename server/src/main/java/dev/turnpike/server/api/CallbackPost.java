package dev.turnpike.server.api;

import dev.turnpike.server.net.CheckedDialer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * One HTTP/1.1 POST of a JSON body to a {@code callbackUrl}, over a connection the {@link CheckedDialer} opened to an
 * address it judged. A general HTTP client would look the name up again by itself; here the name only goes where a
 * server expects it: the {@code Host} header, and for https the SNI and the certificate check.
 */
final class CallbackPost {

    private static final int MAX_STATUS_LINE = 1024;

    private final CheckedDialer dialer;
    private final Duration timeout;

    CallbackPost(CheckedDialer dialer, Duration timeout) {
        this.dialer = dialer;
        this.timeout = timeout;
    }

    /** Sends a JSON {@code body} and returns the status code of the answer (the rest is not read). */
    int send(URI url, byte[] body) throws IOException {
        return send(url, "application/json; charset=utf-8", body);
    }

    /** Sends {@code body} of {@code contentType} and returns the status code of the answer (the rest is not read). */
    int send(URI url, String contentType, byte[] body) throws IOException {
        boolean https = "https".equalsIgnoreCase(url.getScheme());
        String host = url.getHost().startsWith("[") ? url.getHost().substring(1, url.getHost().length() - 1)
                : url.getHost();
        int port = url.getPort() > 0 ? url.getPort() : https ? 443 : 80;
        try (Socket socket = secured(dialer.connect(host, port, timeout), https, host, port)) {
            socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
            String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
            String target = url.getRawQuery() == null ? path : path + "?" + url.getRawQuery();
            String head = "POST " + target + " HTTP/1.1\r\n"
                    + "Host: " + url.getRawAuthority().substring(url.getRawAuthority().lastIndexOf('@') + 1) + "\r\n"
                    + "Content-Type: " + contentType + "\r\n"
                    + "Content-Length: " + body.length + "\r\n"
                    + "User-Agent: Turnpike\r\n"
                    + "Connection: close\r\n\r\n";
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
            out.flush();
            return statusCode(socket.getInputStream());
        }
    }

    /** TLS over the judged connection, with the name for SNI and for checking the certificate. */
    private static Socket secured(Socket plain, boolean https, String host, int port) throws IOException {
        if (!https) {
            return plain;
        }
        try {
            SSLSocket tls = (SSLSocket) ((SSLSocketFactory) SSLSocketFactory.getDefault())
                    .createSocket(plain, host, port, true);
            SSLParameters parameters = tls.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            tls.setSSLParameters(parameters);
            tls.startHandshake();
            return tls;
        } catch (IOException | RuntimeException e) {
            plain.close();
            throw e;
        }
    }

    private static int statusCode(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0 && c != '\n' && line.length() < MAX_STATUS_LINE) {
            line.append((char) c);
        }
        String[] parts = line.toString().strip().split(" ");
        if (parts.length < 2 || !parts[0].startsWith("HTTP/") || !parts[1].matches("\\d{3}")) {
            throw new IOException("not an HTTP answer");
        }
        return Integer.parseInt(parts[1]);
    }
}
