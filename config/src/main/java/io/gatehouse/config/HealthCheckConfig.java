package io.gatehouse.config;

import java.time.Duration;

/**
 * An active HTTP health check of every server of a backend.
 *
 * @param path         request path, e.g. {@code /healthcheck} (oslo.middleware) or {@code /}
 * @param interval     time between checks of one server
 * @param timeout      how long one check may take before it counts as failed
 * @param rise         consecutive passes that bring a server (back) into rotation
 * @param fall         consecutive failures that take it out
 * @param expectStatus the status a passing check answers with
 */
public record HealthCheckConfig(String path, Duration interval, Duration timeout, int rise, int fall, int expectStatus) {

    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(2);
    public static final int DEFAULT_RISE = 2;
    public static final int DEFAULT_FALL = 3;
    public static final int DEFAULT_EXPECT_STATUS = 200;
}
