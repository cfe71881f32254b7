package io.gatehouse.proxy.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Removes the headers that belong to one connection only (RFC 9110 section 7.6.1): those named by Connection, plus
 * the well-known hop-by-hop set. Transfer-Encoding stays, because the body is re-framed with the same coding.
 */
final class HopByHopHeaders {

    private static final List<CharSequence> ALWAYS = List.of(
            HttpHeaderNames.CONNECTION,
            HttpHeaderNames.KEEP_ALIVE,
            HttpHeaderNames.PROXY_CONNECTION,
            HttpHeaderNames.TE,
            HttpHeaderNames.TRAILER,
            HttpHeaderNames.UPGRADE);

    /** Connection tokens that name no header to remove: options, headers removed anyway, and framing that stays. */
    private static final java.util.Set<String> COMMON_TOKENS = java.util.Set.of("keep-alive", "close", "upgrade", "te",
            "trailer", "proxy-connection", "transfer-encoding", "host");

    private HopByHopHeaders() {
    }

    static void strip(HttpHeaders headers) {
        if (headers.contains(HttpHeaderNames.CONNECTION)) {
            removeNamedByConnection(headers);
        }
        ALWAYS.forEach(headers::remove);
    }

    /**
     * The usual Connection values (keep-alive, close, upgrade) name nothing to remove beyond {@link #ALWAYS}, so
     * tokens are scanned in place and a list is made only for a header that names others.
     */
    private static void removeNamedByConnection(HttpHeaders headers) {
        List<String> named = null;
        for (String value : headers.getAll(HttpHeaderNames.CONNECTION)) {
            int start = 0;
            while (start <= value.length()) {
                int comma = value.indexOf(',', start);
                int end = comma < 0 ? value.length() : comma;
                String name = value.substring(start, end).trim().toLowerCase(Locale.ROOT);
                if (!name.isEmpty() && !COMMON_TOKENS.contains(name)) {
                    if (named == null) {
                        named = new ArrayList<>(2);
                    }
                    named.add(name);
                }
                start = end + 1;
            }
        }
        if (named != null) {
            named.forEach(headers::remove);
        }
    }
}
