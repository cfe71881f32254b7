package io.gatehouse.ocsp;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * OCSP over HTTP POST (RFC 6960 appendix A.1) with the JDK client. The body is capped, so a broken or hostile
 * responder cannot make Gatehouse buffer without bound.
 */
public final class HttpOcspTransport implements OcspTransport {

    static final int MAX_RESPONSE_BYTES = 256 * 1024;

    private final HttpClient client;

    public HttpOcspTransport(Duration connectTimeout) {
        this.client = HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .proxy(HttpClient.Builder.NO_PROXY)
                .build();
    }

    @Override
    public byte[] post(URI responder, byte[] request, Duration timeout) throws IOException, InterruptedException {
        HttpRequest post = HttpRequest.newBuilder(responder)
                .timeout(timeout)
                .header("Content-Type", "application/ocsp-request")
                .header("Accept", "application/ocsp-response")
                .POST(HttpRequest.BodyPublishers.ofByteArray(request))
                .build();
        HttpResponse<InputStream> response = client.send(post, HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = response.body()) {
            if (response.statusCode() != 200) {
                throw new IOException("HTTP " + response.statusCode() + " from " + responder);
            }
            byte[] bytes = body.readNBytes(MAX_RESPONSE_BYTES + 1);
            if (bytes.length > MAX_RESPONSE_BYTES) {
                throw new IOException("response from " + responder + " is larger than " + MAX_RESPONSE_BYTES + " bytes");
            }
            if (bytes.length == 0) {
                throw new IOException("empty response from " + responder);
            }
            return bytes;
        }
    }
}
