package io.gatehouse.proxy.http;

import io.netty.channel.ChannelHandler;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import java.util.Iterator;
import java.util.Locale;

/**
 * Checks what Netty's HTTP/1.1 decoder lets through but RFC 9112 does not, where the router and a backend could
 * read one request as two different ones: the request-target's form and bytes, and the Host header. Routes are
 * chosen by Host, so two Host headers, or an absolute-form target naming another host, could route by one name
 * while the backend serves the other.
 */
@ChannelHandler.Sharable
public final class RequestHeadCheck extends RequestCheck {

    /** Holds no state: one instance serves every connection. */
    public static final RequestHeadCheck INSTANCE = new RequestHeadCheck();

    private RequestHeadCheck() {
    }

    @Override
    String problemWith(HttpRequest request) {
        String target = request.uri();
        if (!isSafeTarget(target)) {
            return "characters the request-target may not carry";
        }
        // Counted through an iterator, not getAll: that made two lists per request on the forwarding path.
        String host = null;
        for (Iterator<? extends CharSequence> hosts = request.headers().valueCharSequenceIterator(HttpHeaderNames.HOST); hosts.hasNext(); ) {
            if (host != null) {
                return "more than one Host header";
            }
            host = hosts.next().toString();
        }
        if (host == null && request.protocolVersion().equals(HttpVersion.HTTP_1_1)) {
            return "no Host header";
        }
        if (host != null && !isAuthority(host, 0, host.length())) {
            return "an invalid Host header";
        }
        if (target.startsWith("/")) {
            return null;
        }
        if (target.equals("*")) {
            return request.method().equals(HttpMethod.OPTIONS) ? null : "the asterisk-form outside OPTIONS";
        }
        String authority = authorityOfAbsoluteForm(target);
        if (authority == null) {
            return "a request-target that is neither origin-form nor absolute-form";
        }
        // RFC 9112 section 3.2.2: the target's authority wins over Host, so the two must not differ.
        if (host != null && !authority.equalsIgnoreCase(host)) {
            return "an absolute-form target whose host differs from the Host header";
        }
        return null;
    }

    /**
     * The authority of an {@code http://} or {@code https://} target, or null for anything else. A userinfo part
     * ({@code user@host}) is refused with it: RFC 9110 section 4.2.4 deprecates it, and it hides the real host.
     */
    private static String authorityOfAbsoluteForm(String target) {
        String lower = target.toLowerCase(Locale.ROOT);
        int start = lower.startsWith("http://") ? 7 : lower.startsWith("https://") ? 8 : -1;
        if (start < 0) {
            return null;
        }
        int end = start;
        while (end < target.length() && "/?".indexOf(target.charAt(end)) < 0) {
            end++;
        }
        return end > start && isAuthority(target, start, end) ? target.substring(start, end) : null;
    }

    /**
     * RFC 9110 section 7.2: {@code uri-host [ ":" port ]}, with the host a registered name, an IPv4 address or a
     * bracketed IPv6 literal. Empty is allowed in a Host header (RFC 9112 section 3.2).
     */
    private static boolean isAuthority(String text, int start, int end) {
        int hostEnd = end;
        for (int i = end - 1; i >= start; i--) {
            char c = text.charAt(i);
            if (c == ':') {
                hostEnd = i;
                break;
            }
            if (c < '0' || c > '9') {
                break; // no port, or an IPv6 literal's last group: the host runs to the end
            }
        }
        if (hostEnd > start && text.charAt(start) == '[') {
            if (text.charAt(hostEnd - 1) != ']' || hostEnd - start < 3) {
                return false;
            }
            for (int i = start + 1; i < hostEnd - 1; i++) {
                char c = text.charAt(i);
                if (Character.digit(c, 16) < 0 && c != ':' && c != '.') {
                    return false;
                }
            }
            return true;
        }
        for (int i = start; i < hostEnd; i++) {
            if (!isRegNameChar(text.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** RFC 3986 reg-name: unreserved, pct-encoded and sub-delims. */
    private static boolean isRegNameChar(int c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "-._~%!$&'()*+,;=".indexOf(c) >= 0;
    }
}
