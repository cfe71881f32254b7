package io.gatehouse.proxy.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Removes the headers that belong to one connection only (RFC 9110 section 7.6.1): those named by Connection, plus
 * the well-known hop-by-hop set. Transfer-Encoding stays, because the body is re-framed with the same coding.
 * Public for the response-path benchmark.
 */
public final class HopByHopHeaders {

    private static final List<AsciiString> ALWAYS = List.of(
            HttpHeaderNames.CONNECTION,
            HttpHeaderNames.KEEP_ALIVE,
            HttpHeaderNames.PROXY_CONNECTION,
            HttpHeaderNames.TE,
            HttpHeaderNames.TRAILER,
            HttpHeaderNames.UPGRADE);

    /** Connection tokens that name no header to remove: options, headers removed anyway, and framing that stays. */
    private static final List<String> COMMON_TOKENS = List.of("keep-alive", "close", "upgrade", "te", "trailer",
            "proxy-connection", "transfer-encoding", "host");

    private HopByHopHeaders() {
    }

    public static void strip(HttpHeaders headers) {
        if (headers.contains(HttpHeaderNames.CONNECTION)) {
            removeNamedByConnection(headers);
        }
        for (int i = 0; i < ALWAYS.size(); i++) {
            headers.remove(ALWAYS.get(i));
        }
    }

    /**
     * Both directions of every exchange carry a Connection header, nearly always "keep-alive" or "close": tokens
     * are compared in place, and a name is copied out only when the header names some other header.
     */
    private static void removeNamedByConnection(HttpHeaders headers) {
        List<String> named = null;
        for (Iterator<? extends CharSequence> values = headers.valueCharSequenceIterator(HttpHeaderNames.CONNECTION); values.hasNext(); ) {
            CharSequence value = values.next();
            int start = 0;
            while (start <= value.length()) {
                int comma = AsciiString.indexOf(value, ',', start);
                int end = comma < 0 ? value.length() : comma;
                int from = start;
                int to = end;
                while (from < to && Ows.is(value.charAt(from))) {
                    from++;
                }
                while (to > from && Ows.is(value.charAt(to - 1))) {
                    to--;
                }
                if (to > from && !isCommonToken(value, from, to)) {
                    if (named == null) {
                        named = new ArrayList<>(2);
                    }
                    named.add(value.subSequence(from, to).toString());
                }
                start = end + 1;
            }
        }
        if (named != null) {
            // Header names match without regard to case, so the token is removed as the client spelled it.
            named.forEach(headers::remove);
        }
    }

    private static boolean isCommonToken(CharSequence value, int from, int to) {
        for (int i = 0; i < COMMON_TOKENS.size(); i++) {
            String token = COMMON_TOKENS.get(i);
            if (token.length() == to - from && AsciiString.regionMatches(value, true, from, token, 0, token.length())) {
                return true;
            }
        }
        return false;
    }
}
