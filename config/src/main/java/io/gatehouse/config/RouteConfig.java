package io.gatehouse.config;

import java.util.Optional;

/**
 * One entry of a listener's routing table, matched in order. A route with neither host nor path-prefix matches
 * everything.
 *
 * @param host        exact name or {@code *.example.com} (one whole leftmost label), compared with the Host header
 * @param pathPrefix  matches the path itself or anything below it ({@code /compute} matches {@code /compute/v2.1},
 *                    never {@code /computer})
 * @param stripPrefix remove {@code pathPrefix} before forwarding, for APIs served under a prefix on the VIP
 */
public record RouteConfig(String origin, Optional<String> host, Optional<String> pathPrefix, boolean stripPrefix, String backend) {
}
