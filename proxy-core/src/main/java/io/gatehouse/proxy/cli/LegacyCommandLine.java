package io.gatehouse.proxy.cli;

import io.gatehouse.config.BackendConfig;
import io.gatehouse.config.CertificateSource;
import io.gatehouse.config.ConfigException;
import io.gatehouse.config.ConfigProblems;
import io.gatehouse.config.ConfigValidator;
import io.gatehouse.config.GatehouseConfig;
import io.gatehouse.config.HostPort;
import io.gatehouse.config.ListenerConfig;
import io.gatehouse.config.ListenerMode;
import io.gatehouse.config.ProxyProtocolVersion;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Translates stud's {@code -f HOST,PORT -b HOST,PORT PEM} and hitch's {@code --frontend=[HOST]:PORT
 * --backend=[HOST]:PORT PEM...} into a configuration: one tcp listener per frontend, all with the same
 * certificates (the first PEM is the default) and the same backend.
 */
final class LegacyCommandLine {

    static final String SOURCE = "command line";

    private LegacyCommandLine() {
    }

    static GatehouseConfig toConfig(List<String> frontends, String backend, List<Path> pemFiles, boolean proxyV1, boolean proxyV2)
            throws ConfigException {
        ConfigProblems problems = new ConfigProblems(SOURCE);
        if (frontends.isEmpty()) {
            problems.add("--frontend", "is required", "e.g. -f 127.0.0.1,443 (stud) or --frontend=[*]:443 (hitch)");
        }
        if (backend == null) {
            problems.add("--backend", "is required", "e.g. -b 127.0.0.1,8080 (stud) or --backend=[127.0.0.1]:8080 (hitch)");
        }
        if (pemFiles.isEmpty()) {
            problems.add("PEMFILE", "at least one is required", "name the combined cert+key+chain PEM file after the options");
        }
        if (proxyV1 && proxyV2) {
            problems.add("--write-proxy-v1/--write-proxy-v2", "both given", "choose one PROXY protocol version");
        }
        Optional<HostPort> server = parse("--backend", backend, false, problems);
        List<CertificateSource> certificates = new ArrayList<>();
        for (int i = 0; i < pemFiles.size(); i++) {
            certificates.add(new CertificateSource.CombinedPem("PEMFILE[" + i + "]", pemFiles.get(i), Optional.empty()));
        }
        Optional<ProxyProtocolVersion> proxy = proxyV2 ? Optional.of(ProxyProtocolVersion.V2)
                : proxyV1 ? Optional.of(ProxyProtocolVersion.V1) : Optional.empty();
        List<ListenerConfig> listeners = new ArrayList<>();
        for (int i = 0; i < frontends.size(); i++) {
            String origin = "--frontend[" + i + "]";
            Optional<HostPort> bind = parse(origin, frontends.get(i), true, problems);
            bind.ifPresent(b -> listeners.add(new ListenerConfig(origin, "frontend-" + b, b, ListenerMode.TCP, certificates,
                    "backend", proxy)));
        }
        problems.throwIfAny();
        GatehouseConfig config = new GatehouseConfig(SOURCE, listeners,
                Map.of("backend", new BackendConfig("--backend", "backend", List.of(server.orElseThrow()))));
        new ConfigValidator().validate(config, problems);
        problems.throwIfAny();
        return config;
    }

    private static Optional<HostPort> parse(String option, String text, boolean wildcard, ConfigProblems problems) {
        if (text == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(HostPort.parse(text, wildcard));
        } catch (IllegalArgumentException e) {
            problems.add(option, e.getMessage(), "write HOST,PORT (stud) or [HOST]:PORT (hitch)");
            return Optional.empty();
        }
    }
}
