package io.gatehouse.config;

import java.time.Duration;

/**
 * Client-side timeouts of an http listener.
 *
 * @param requestHead once a request's first byte arrives, how long its whole head may take (slowloris); total, not idle
 * @param keepAlive   how long a kept-alive connection may wait for its next request
 */
public record ListenerTimeouts(Duration requestHead, Duration keepAlive) {

    public static final ListenerTimeouts DEFAULTS = new ListenerTimeouts(Duration.ofSeconds(10), Duration.ofSeconds(60));

    public ListenerTimeouts {
        if (requestHead.isNegative() || requestHead.isZero() || keepAlive.isNegative() || keepAlive.isZero()) {
            throw new IllegalArgumentException("timeouts must be positive");
        }
    }
}
