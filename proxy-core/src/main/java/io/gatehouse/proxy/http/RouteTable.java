package io.gatehouse.proxy.http;

import io.gatehouse.config.ListenerConfig;
import io.gatehouse.config.RouteConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A listener's routes, matched in order on the Host header and the path; the listener's backend takes what no
 * route matches.
 */
public final class RouteTable {

    /** Where a request goes, and the path prefix to remove first (empty for none). */
    public record Target(UpstreamPools pools, String stripPrefix) {
    }

    private record Route(Optional<String> host, Optional<String> pathPrefix, Target target) {

        boolean matches(String requestHost, String path) {
            return host.map(h -> hostMatches(h, requestHost)).orElse(true) && pathPrefix.map(p -> underPrefix(path, p)).orElse(true);
        }
    }

    private final List<Route> routes;

    private RouteTable(List<Route> routes) {
        this.routes = List.copyOf(routes);
    }

    public static RouteTable of(ListenerConfig listener, Map<String, UpstreamPools> pools) {
        List<Route> routes = new ArrayList<>();
        for (RouteConfig route : listener.routes()) {
            routes.add(new Route(route.host(), route.pathPrefix(),
                    new Target(pools.get(route.backend()), route.stripPrefix() ? route.pathPrefix().orElse("") : "")));
        }
        listener.backend().ifPresent(name -> routes.add(new Route(Optional.empty(), Optional.empty(), new Target(pools.get(name), ""))));
        return new RouteTable(routes);
    }

    /** A table that sends everything to one backend. */
    public static RouteTable single(UpstreamPools pools) {
        return new RouteTable(List.of(new Route(Optional.empty(), Optional.empty(), new Target(pools, ""))));
    }

    /** The first route matching the request, or empty when none does (the listener has no default backend). */
    public Optional<Target> select(HttpRequest request) {
        if (routes.size() == 1 && routes.get(0).host().isEmpty() && routes.get(0).pathPrefix().isEmpty()) {
            return Optional.of(routes.get(0).target());
        }
        String host = hostOf(request.headers().get(HttpHeaderNames.HOST));
        String path = pathOf(request.uri());
        for (Route route : routes) {
            if (route.matches(host, path)) {
                return Optional.of(route.target());
            }
        }
        return Optional.empty();
    }

    /** The request-target with {@code prefix} removed: {@code /compute/v2.1?x} less {@code /compute} is {@code /v2.1?x}. */
    public static String strip(String uri, String prefix) {
        String path = pathOf(uri);
        if (prefix.isEmpty() || !underPrefix(path, prefix)) {
            return uri;
        }
        int start = uri.indexOf(path);
        String rest = uri.substring(start + prefix.length());
        return rest.isEmpty() || rest.charAt(0) != '/' ? "/" + rest : rest;
    }

    /** The Host header without port, lower case, without a trailing dot; an IPv6 literal keeps its brackets. */
    static String hostOf(String header) {
        if (header == null) {
            return "";
        }
        String host = header.trim().toLowerCase(Locale.ROOT);
        int colon = host.lastIndexOf(':');
        if (colon >= 0 && host.indexOf(']') < colon) {
            host = host.substring(0, colon);
        }
        return host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    }

    /** The path of an origin-form ({@code /a?b}) or absolute-form ({@code http://h/a?b}) request-target. */
    static String pathOf(String uri) {
        int start = 0;
        int scheme = uri.indexOf("://");
        if (!uri.startsWith("/") && scheme > 0) {
            int slash = uri.indexOf('/', scheme + 3);
            start = slash < 0 ? uri.length() : slash;
        }
        int end = uri.length();
        for (int i = start; i < uri.length(); i++) {
            char c = uri.charAt(i);
            if (c == '?' || c == '#') {
                end = i;
                break;
            }
        }
        String path = uri.substring(start, end);
        return path.isEmpty() ? "/" : path;
    }

    /** On a segment boundary: {@code /compute} covers {@code /compute} and {@code /compute/x}, not {@code /computer}. */
    static boolean underPrefix(String path, String prefix) {
        return path.startsWith(prefix) && (path.length() == prefix.length() || path.charAt(prefix.length()) == '/' || prefix.equals("/"));
    }

    /** RFC 6125 section 6.4.3: a wildcard stands for exactly one whole leftmost label. */
    static boolean hostMatches(String pattern, String host) {
        if (pattern.startsWith("*.")) {
            int dot = host.indexOf('.');
            return dot > 0 && host.substring(dot + 1).equals(pattern.substring(2));
        }
        return pattern.equals(host);
    }
}
