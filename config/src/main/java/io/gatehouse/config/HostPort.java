package io.gatehouse.config;

import java.util.Locale;

/**
 * A host and port as written by an operator. A {@code null} host is the wildcard: every local address, IPv4 and IPv6.
 *
 * <p>Accepted spellings: {@code HOST:PORT}, {@code [IPV6]:PORT}, {@code *:PORT}, {@code [*]:PORT} (hitch), and
 * {@code HOST,PORT} / {@code *,PORT} (stud). A bare IPv6 address without brackets is refused because its last
 * colon cannot be told from the port separator.
 */
public record HostPort(String host, int port) {

    public HostPort {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is outside 0-65535");
        }
        if (host != null && host.isBlank()) {
            throw new IllegalArgumentException("host is empty");
        }
    }

    /** Parses an address; the message of the thrown exception says what is wrong and what is expected. */
    public static HostPort parse(String text, boolean wildcardAllowed) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("is empty (expected HOST:PORT)");
        }
        String trimmed = text.trim();
        int separator = separatorIndex(trimmed);
        if (separator < 0) {
            throw new IllegalArgumentException("'" + text + "' has no port (expected HOST:PORT, [IPv6]:PORT or *:PORT)");
        }
        String hostPart = trimmed.substring(0, separator);
        String portPart = trimmed.substring(separator + 1);
        int port = parsePort(text, portPart);
        String host = unbracket(text, hostPart);
        if (host == null || host.equals("*")) {
            if (!wildcardAllowed) {
                throw new IllegalArgumentException("'" + text + "' needs a host name or address here, not a wildcard");
            }
            return new HostPort(null, port);
        }
        return new HostPort(host, port);
    }

    public boolean isWildcard() {
        return host == null;
    }

    @Override
    public String toString() {
        if (host == null) {
            return "*:" + port;
        }
        return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
    }

    private static int separatorIndex(String text) {
        int comma = text.lastIndexOf(',');
        if (comma >= 0) {
            return comma;
        }
        int close = text.lastIndexOf(']');
        int colon = text.lastIndexOf(':');
        if (close >= 0) {
            return colon > close ? colon : -1;
        }
        if (colon >= 0 && text.indexOf(':') != colon) {
            throw new IllegalArgumentException("'" + text + "' looks like a bare IPv6 address: write it as [ADDRESS]:PORT");
        }
        return colon;
    }

    private static String unbracket(String original, String hostPart) {
        if (hostPart.isEmpty()) {
            return null;
        }
        if (hostPart.startsWith("[") || hostPart.endsWith("]")) {
            if (!(hostPart.startsWith("[") && hostPart.endsWith("]")) || hostPart.length() == 2) {
                throw new IllegalArgumentException("'" + original + "' has unbalanced brackets around the host");
            }
            return hostPart.substring(1, hostPart.length() - 1);
        }
        return hostPart.toLowerCase(Locale.ROOT);
    }

    private static int parsePort(String original, String portPart) {
        if (portPart.isEmpty() || !portPart.chars().allMatch(c -> c >= '0' && c <= '9') || portPart.length() > 5) {
            throw new IllegalArgumentException("'" + original + "' has an invalid port '" + portPart + "' (expected 0-65535)");
        }
        int port = Integer.parseInt(portPart);
        if (port > 65535) {
            throw new IllegalArgumentException("'" + original + "' has port " + port + ", above 65535");
        }
        return port;
    }
}
