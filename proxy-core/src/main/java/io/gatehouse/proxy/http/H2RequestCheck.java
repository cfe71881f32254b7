package io.gatehouse.proxy.http;

import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import java.util.Map;

/**
 * Checks what the h2 codec leaves to us before a request is turned into HTTP/1.1 bytes: header values with CR,
 * LF or NUL (an injected line upstream: the h2 downgrade smuggling of PortSwigger's research), values with
 * surrounding whitespace, and a {@code :path} that is not origin-form or carries a byte HTTP/1.1 targets may not
 * ({@link RequestCheck#isSafeTarget}).
 */
public final class H2RequestCheck extends RequestCheck {

    @Override
    String problemWith(HttpRequest request) {
        String uri = request.uri();
        boolean asterisk = uri.equals("*") && request.method().equals(HttpMethod.OPTIONS);
        if (!asterisk && (!uri.startsWith("/") || !isSafeTarget(uri))) {
            return "invalid :path";
        }
        for (Map.Entry<String, String> header : request.headers()) {
            String value = header.getValue();
            if (hasForbidden(value)) {
                return "invalid characters in the value of " + header.getKey();
            }
            if (!value.isEmpty() && (Ows.is(value.charAt(0)) || Ows.is(value.charAt(value.length() - 1)))) {
                return "whitespace around the value of " + header.getKey();
            }
        }
        return null;
    }

    /** RFC 9113 section 8.2.1: no NUL, CR or LF in a field value. */
    private static boolean hasForbidden(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == 0 || c == '\r' || c == '\n') {
                return true;
            }
        }
        return false;
    }
}
