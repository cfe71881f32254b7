package io.gatehouse.proxy.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;

/**
 * Replaces whatever forwarding headers the client sent with the truth as Gatehouse saw it. A client-supplied
 * X-Forwarded-For would otherwise let anyone pose as any address to keystone's and nova's policy and logs.
 *
 * <p>{@code Forwarded} carries {@code for} and {@code proto} only. oslo.middleware (keystone, nova, glance) reads
 * {@code Forwarded} in preference to {@code X-Forwarded-*} and does not unquote RFC 7239 values, so a quoted
 * {@code host="api:5000"} became keystone's link host, quotes and all. The host needs no forwarding anyway:
 * {@code Host} reaches the backend as the client sent it, and {@code X-Forwarded-Host} repeats it.
 */
final class ForwardedHeaders {

    // AsciiString keeps its hash: each name below is looked up on every request, and a String's would be recomputed.
    static final AsciiString X_FORWARDED_FOR = AsciiString.cached("X-Forwarded-For");
    static final AsciiString X_FORWARDED_PROTO = AsciiString.cached("X-Forwarded-Proto");
    static final AsciiString X_FORWARDED_HOST = AsciiString.cached("X-Forwarded-Host");
    static final AsciiString X_FORWARDED_PORT = AsciiString.cached("X-Forwarded-Port");
    static final AsciiString FORWARDED = AsciiString.cached("Forwarded");

    private static final List<AsciiString> CLIENT_SUPPLIED = List.of(X_FORWARDED_FOR, X_FORWARDED_PROTO, X_FORWARDED_HOST,
            X_FORWARDED_PORT, FORWARDED);

    private ForwardedHeaders() {
    }

    /** The values for one client, made once per connection: every request on it carries the same ones. */
    record ForClient(InetAddress client, String xForwardedFor, String proto, String forwarded) {

        static ForClient of(InetAddress client, String proto) {
            return new ForClient(client, client.getHostAddress(), proto, "for=" + forwardedNode(client) + ";proto=" + proto);
        }
    }

    static void rewrite(HttpHeaders headers, ForClient values) {
        // An index loop: forEach made an iterator and a method-reference object on every request.
        for (int i = 0; i < CLIENT_SUPPLIED.size(); i++) {
            headers.remove(CLIENT_SUPPLIED.get(i));
        }
        // add, not set: every name was just removed, and set would search for it again.
        headers.add(X_FORWARDED_FOR, values.xForwardedFor());
        headers.add(X_FORWARDED_PROTO, values.proto());
        String host = headers.get(HttpHeaderNames.HOST);
        if (host != null) {
            headers.add(X_FORWARDED_HOST, host);
        }
        headers.add(FORWARDED, values.forwarded());
    }

    /** RFC 7239 section 6: an IPv6 node is bracketed and, since ':' is not a token character, quoted. */
    private static String forwardedNode(InetAddress client) {
        String text = client.getHostAddress();
        if (client instanceof Inet6Address) {
            int zone = text.indexOf('%');
            return "\"[" + (zone >= 0 ? text.substring(0, zone) : text) + "]\"";
        }
        return text;
    }
}
