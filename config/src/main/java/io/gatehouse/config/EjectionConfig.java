package io.gatehouse.config;

import java.time.Duration;

/**
 * Passive ejection: a server that refuses {@code afterFailures} connections in a row is taken out of rotation for
 * {@code duration}, so clients stop paying a connect failure for a controller that is down. The active health
 * check, when configured, brings it back earlier.
 */
public record EjectionConfig(int afterFailures, Duration duration) {

    public static final EjectionConfig DEFAULTS = new EjectionConfig(1, Duration.ofSeconds(10));
}
