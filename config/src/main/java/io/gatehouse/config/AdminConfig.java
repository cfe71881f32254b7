package io.gatehouse.config;

/** The plain-HTTP admin listener serving /healthz. Bind it to loopback or a management network only. */
public record AdminConfig(HostPort bind) {
}
