package io.gatehouse.proxy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLContext;

/** One request as exact bytes on a fresh connection (TLS or plain), read until the server closes. */
public final class RawHttp {

    private RawHttp() {
    }

    /** Sends {@code request} (which should say Connection: close) and returns the whole response. */
    public static String exchange(SSLContext tls, int port, String request) throws IOException {
        try (Socket socket = tls == null ? new Socket("127.0.0.1", port) : tls.getSocketFactory().createSocket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            return readAll(socket.getInputStream());
        }
    }

    /** A GET with the given Host header, closing after. */
    public static String get(SSLContext tls, int port, String host, String target) throws IOException {
        return exchange(tls, port, "GET " + target + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n");
    }

    public static String readAll(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        int n;
        try {
            while ((n = in.read(buffer)) > 0) {
                all.write(buffer, 0, n);
            }
        } catch (javax.net.ssl.SSLException | java.net.SocketException closed) {
            // a reset after the response: what was read is the answer
        }
        return all.toString(StandardCharsets.ISO_8859_1);
    }

    /** The value of {@code header} in a raw response, or null. */
    public static String header(String response, String header) {
        for (String line : response.split("\r\n")) {
            if (line.isEmpty()) {
                break;
            }
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(header)) {
                return line.substring(colon + 1).trim();
            }
        }
        return null;
    }
}
