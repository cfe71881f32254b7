package io.gatehouse.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** Reads the {@code backends:} section: servers with weights, balancing, health checks, timeouts, PROXY and TLS. */
final class BackendsReader {

    static final List<String> BACKEND_FIELDS = List.of("servers", "balance", "health", "timeouts", "eject", "max-idle-per-server",
            "max-connections-per-server", "send-proxy", "tls");
    static final List<String> SERVER_FIELDS = List.of("address", "weight");
    static final List<String> HEALTH_FIELDS = List.of("path", "interval", "timeout", "rise", "fall", "expect-status");
    static final List<String> TIMEOUT_FIELDS = List.of("connect", "idle", "response-header", "total");
    static final List<String> EJECT_FIELDS = List.of("after-failures", "duration");
    static final List<String> TLS_FIELDS = List.of("ca", "verify", "sni");
    static final int MAX_WEIGHT = 256;

    private final ConfigProblems problems;
    private final Function<String, Path> resolve;

    BackendsReader(ConfigProblems problems, Function<String, Path> resolve) {
        this.problems = problems;
        this.resolve = resolve;
    }

    Map<String, BackendConfig> read(Optional<JsonNode> node) {
        Map<String, BackendConfig> backends = new LinkedHashMap<>();
        if (node.isEmpty()) {
            return backends;
        }
        if (!node.get().isObject()) {
            problems.add("backends", "expected a mapping of backend names, found " + MappingReader.describe(node.get()),
                    "e.g. backends: {keystone: {servers: [\"127.0.0.1:35357\"]}}");
            return backends;
        }
        node.get().fields().forEachRemaining(entry -> {
            String path = "backends." + entry.getKey();
            MappingReader.of(entry.getValue(), path, problems, BACKEND_FIELDS)
                    .flatMap(r -> backend(entry.getKey(), path, r))
                    .ifPresent(backend -> backends.put(entry.getKey(), backend));
        });
        return backends;
    }

    private Optional<BackendConfig> backend(String name, String path, MappingReader r) {
        if (!r.has("servers")) {
            problems.add(r.pathOf("servers"), "is required", "list at least one server as HOST:PORT");
            return Optional.empty();
        }
        List<HostPort> servers = new ArrayList<>();
        List<Integer> weights = new ArrayList<>();
        List<JsonNode> items = r.sequence("servers");
        for (int i = 0; i < items.size(); i++) {
            server(items.get(i), r.pathOf("servers") + "[" + i + "]", servers, weights);
        }
        if (items.isEmpty()) {
            problems.add(r.pathOf("servers"), "is empty", "list at least one server as HOST:PORT");
        }
        Optional<BalanceMode> balance = r.has("balance")
                ? r.parsed("balance", BalanceMode::parse, "use round-robin or least-connections")
                : Optional.of(BalanceMode.ROUND_ROBIN);
        Optional<HealthCheckConfig> health = r.node("health")
                .flatMap(h -> MappingReader.of(h, r.pathOf("health"), problems, HEALTH_FIELDS)).flatMap(this::health);
        BackendTimeouts timeouts = r.node("timeouts")
                .flatMap(t -> MappingReader.of(t, r.pathOf("timeouts"), problems, TIMEOUT_FIELDS)).map(this::timeouts)
                .orElse(BackendTimeouts.DEFAULTS);
        EjectionConfig ejection = r.node("eject")
                .flatMap(e -> MappingReader.of(e, r.pathOf("eject"), problems, EJECT_FIELDS))
                .map(e -> new EjectionConfig(e.positiveInt("after-failures").orElse(EjectionConfig.DEFAULTS.afterFailures()),
                        e.positiveDuration("duration", "e.g. 10s").orElse(EjectionConfig.DEFAULTS.duration())))
                .orElse(EjectionConfig.DEFAULTS);
        int maxIdle = r.has("max-idle-per-server") ? r.positiveInt("max-idle-per-server").orElse(1) : BackendConfig.DEFAULT_MAX_IDLE_PER_SERVER;
        int maxConnections = r.positiveInt("max-connections-per-server").orElse(0);
        var sendProxy = r.parsed("send-proxy", YamlConfigLoader::proxyVersion, "use v1 or v2, or remove the field");
        Optional<BackendTlsConfig> tls = r.node("tls").flatMap(t -> MappingReader.of(t, r.pathOf("tls"), problems, TLS_FIELDS)).map(t ->
                new BackendTlsConfig(t.string("ca").map(resolve), !t.has("verify") || t.bool("verify"),
                        t.parsed("sni", YamlConfigLoader::hostName, "e.g. keystone.internal.example.com")));
        if (servers.size() != items.size() || servers.isEmpty() || balance.isEmpty() || (r.has("health") && health.isEmpty())
                || (r.has("send-proxy") && sendProxy.isEmpty())) {
            return Optional.empty();
        }
        return Optional.of(new BackendConfig(path, name, servers, weights, balance.get(), health, timeouts, ejection, maxIdle,
                maxConnections, sendProxy, tls));
    }

    private void server(JsonNode item, String path, List<HostPort> servers, List<Integer> weights) {
        String address;
        int weight = 1;
        if (item.isObject()) {
            Optional<MappingReader> read = MappingReader.of(item, path, problems, SERVER_FIELDS);
            if (read.isEmpty()) {
                return;
            }
            MappingReader s = read.get();
            Optional<String> text = s.requiredString("address", "e.g. address: \"10.0.0.11:8774\"");
            Optional<Integer> w = s.has("weight") ? s.positiveInt("weight") : Optional.of(1);
            if (w.isPresent() && w.get() > MAX_WEIGHT) {
                problems.add(s.pathOf("weight"), "'" + w.get() + "' is above " + MAX_WEIGHT, "use a weight from 1 to " + MAX_WEIGHT);
                return;
            }
            if (text.isEmpty() || w.isEmpty()) {
                return;
            }
            address = text.get();
            weight = w.get();
            path = s.pathOf("address");
        } else {
            address = item.isValueNode() ? item.asText() : null;
        }
        try {
            servers.add(HostPort.parse(address, false));
            weights.add(weight);
        } catch (IllegalArgumentException e) {
            problems.add(path, e.getMessage(), "e.g. \"127.0.0.1:35357\" or \"[fd00::5]:35357\"");
        }
    }

    private Optional<HealthCheckConfig> health(MappingReader h) {
        Optional<String> path = h.requiredString("path", "e.g. path: /healthcheck");
        if (path.isPresent() && !path.get().startsWith("/")) {
            problems.add(h.pathOf("path"), "'" + path.get() + "' does not start with /", "e.g. /healthcheck");
            return Optional.empty();
        }
        Duration interval = h.positiveDuration("interval", "e.g. 10s").orElse(HealthCheckConfig.DEFAULT_INTERVAL);
        Duration timeout = h.positiveDuration("timeout", "e.g. 10s").orElse(interval.compareTo(Duration.ofSeconds(2)) < 0 ? interval : Duration.ofSeconds(2));
        int rise = h.positiveInt("rise").orElse(HealthCheckConfig.DEFAULT_RISE);
        int fall = h.positiveInt("fall").orElse(HealthCheckConfig.DEFAULT_FALL);
        Optional<Integer> expect = h.has("expect-status") ? h.positiveInt("expect-status") : Optional.of(HealthCheckConfig.DEFAULT_EXPECT_STATUS);
        if (expect.isPresent() && (expect.get() < 100 || expect.get() > 599)) {
            problems.add(h.pathOf("expect-status"), "'" + expect.get() + "' is not an HTTP status", "e.g. 200");
            return Optional.empty();
        }
        return path.isEmpty() || expect.isEmpty() ? Optional.empty()
                : Optional.of(new HealthCheckConfig(path.get(), interval, timeout, rise, fall, expect.get()));
    }

    private BackendTimeouts timeouts(MappingReader t) {
        BackendTimeouts d = BackendTimeouts.DEFAULTS;
        return new BackendTimeouts(t.positiveDuration("connect", "e.g. 10s").orElse(d.connect()),
                t.positiveDuration("idle", "e.g. 10s").orElse(d.idle()),
                t.positiveDuration("response-header", "e.g. 10s").orElse(d.responseHeader()), t.positiveDuration("total", "e.g. 10s"));
    }
}
