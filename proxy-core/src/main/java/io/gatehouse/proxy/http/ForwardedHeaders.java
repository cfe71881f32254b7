package io.gatehouse.proxy.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;

/**
 * Replaces whatever forwarding headers the client sent with the truth as Gatehouse saw it. A client-supplied
 * X-Forwarded-For would otherwise let anyone pose as any address to keystone's and nova's policy and logs.
 */
final class ForwardedHeaders {

    static final String X_FORWARDED_FOR = "X-Forwarded-For";
    static final String X_FORWARDED_PROTO = "X-Forwarded-Proto";
    static final String X_FORWARDED_HOST = "X-Forwarded-Host";
    static final String X_FORWARDED_PORT = "X-Forwarded-Port";
    static final String FORWARDED = "Forwarded";

    private static final List<String> CLIENT_SUPPLIED = List.of(X_FORWARDED_FOR, X_FORWARDED_PROTO, X_FORWARDED_HOST,
            X_FORWARDED_PORT, FORWARDED);

    private ForwardedHeaders() {
    }

    static void rewrite(HttpHeaders headers, InetAddress client, String proto) {
        CLIENT_SUPPLIED.forEach(headers::remove);
        String clientText = client.getHostAddress();
        headers.set(X_FORWARDED_FOR, clientText);
        headers.set(X_FORWARDED_PROTO, proto);
        String host = headers.get(HttpHeaderNames.HOST);
        StringBuilder forwarded = new StringBuilder("for=").append(forwardedNode(client)).append(";proto=").append(proto);
        if (host != null) {
            headers.set(X_FORWARDED_HOST, host);
            forwarded.append(";host=").append(tokenOrQuoted(host));
        }
        headers.set(FORWARDED, forwarded.toString());
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

    private static String tokenOrQuoted(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean tchar = Character.isLetterOrDigit(c) && c < 128 || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            if (!tchar) {
                return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
            }
        }
        return value;
    }
}
