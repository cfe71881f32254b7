package io.gatehouse.config;

import java.time.Duration;
import java.util.Optional;

/**
 * Upstream-side timeouts of a backend. A timed-out exchange gets 504 when no response has started.
 *
 * @param connect        TCP (and TLS) connect to one server
 * @param idle           how long a pooled connection may sit unused; below Apache httpd's 5 s KeepAliveTimeout
 *                       (keystone, nova and glance under mod_wsgi) so the pool rarely holds a connection the server
 *                       has already dropped
 * @param responseHeader from the end of the request to the response head: the server's think time
 * @param total          the whole exchange, first request byte to last response byte; empty means none, because
 *                       a multi-GiB glance image legitimately takes long
 */
public record BackendTimeouts(Duration connect, Duration idle, Duration responseHeader, Optional<Duration> total) {

    public static final BackendTimeouts DEFAULTS = new BackendTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(4),
            Duration.ofSeconds(120), Optional.empty());
}
