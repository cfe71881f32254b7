package io.gatehouse.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The whole validated configuration. Built only by {@link YamlConfigLoader} or the command-line translation,
 * then checked by {@link ConfigValidator}; immutable afterwards, so a reload builds a new one.
 *
 * @param source       what the configuration came from, for messages ("/etc/gatehouse.yaml", "command line")
 * @param workers      event-loop threads; empty means one per core
 * @param drainTimeout how long in-flight work may finish after SIGTERM before connections are closed
 * @param trust        CA bundle that certificate chains must lead to, for {@code check}; empty means the system store
 * @param ocsp         the global OCSP stapling settings
 * @param certificateOcsp per-certificate OCSP settings, keyed by the certificate entry's origin
 *                     ({@code listeners[0].certificates[1]})
 * @param rsaSigning   which library signs for RSA certificates
 */
public record GatehouseConfig(
        String source,
        List<ListenerConfig> listeners,
        Map<String, BackendConfig> backends,
        Optional<AdminConfig> admin,
        Optional<Integer> workers,
        Duration drainTimeout,
        Optional<java.nio.file.Path> trust,
        OcspSettings ocsp,
        Map<String, OcspSettings> certificateOcsp,
        RsaSigning rsaSigning) {

    public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(10);

    public GatehouseConfig {
        listeners = List.copyOf(listeners);
        backends = Map.copyOf(backends);
        certificateOcsp = Map.copyOf(certificateOcsp);
    }

    /** A configuration with the defaults for everything but listeners and backends. */
    public GatehouseConfig(String source, List<ListenerConfig> listeners, Map<String, BackendConfig> backends) {
        this(source, listeners, backends, Optional.empty(), Optional.empty(), DEFAULT_DRAIN_TIMEOUT, Optional.empty(), OcspSettings.NONE,
                Map.of(), RsaSigning.AUTO);
    }

    public GatehouseConfig withWorkers(Optional<Integer> newWorkers) {
        return new GatehouseConfig(source, listeners, backends, admin, newWorkers, drainTimeout, trust, ocsp, certificateOcsp, rsaSigning);
    }

    public GatehouseConfig withDrainTimeout(Duration newDrainTimeout) {
        return new GatehouseConfig(source, listeners, backends, admin, workers, newDrainTimeout, trust, ocsp, certificateOcsp, rsaSigning);
    }

    public GatehouseConfig withTrust(Optional<java.nio.file.Path> newTrust) {
        return new GatehouseConfig(source, listeners, backends, admin, workers, drainTimeout, newTrust, ocsp, certificateOcsp, rsaSigning);
    }

    public GatehouseConfig withRsaSigning(RsaSigning newRsaSigning) {
        return new GatehouseConfig(source, listeners, backends, admin, workers, drainTimeout, trust, ocsp, certificateOcsp, newRsaSigning);
    }
}
