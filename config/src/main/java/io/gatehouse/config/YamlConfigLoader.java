package io.gatehouse.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the YAML configuration into a {@link GatehouseConfig}. Relative file paths are taken relative to the
 * directory of the YAML file, so a config and its certificates can move together.
 */
public final class YamlConfigLoader {

    static final List<String> TOP_FIELDS = List.of("listeners", "backends", "admin", "workers", "drain-timeout", "trust", "ocsp", "rsa-signing");
    static final List<String> OCSP_FIELDS = List.of("enabled", "responder", "responder-cert", "staple-file", "on-revoked", "cache-dir",
            "refresh-at", "clock-skew", "timeout", "nonce", "min-delay", "max-delay");
    static final List<String> CERTIFICATE_OCSP_FIELDS = List.of("enabled", "responder", "responder-cert", "staple-file", "on-revoked");
    static final List<String> LISTENER_FIELDS = List.of("name", "bind", "mode", "certificates", "default-certificate",
            "strict-sni", "hosts", "backend", "send-proxy", "timeouts", "routes", "redirect", "accept-proxy", "session-tickets", "http2");
    static final List<String> ROUTE_FIELDS = List.of("host", "path-prefix", "strip-prefix", "backend");
    static final List<String> SESSION_TICKET_FIELDS = List.of("key-file", "grace");
    static final List<String> TIMEOUT_FIELDS = List.of("request-head", "keep-alive");
    static final List<String> CERTIFICATE_FIELDS = List.of("pem", "cert", "key", "chain", "pkcs12", "dir", "password-file", "nickname",
            "ocsp");
    static final List<String> HOST_FIELDS = List.of("name", "client-ca", "client-auth", "protocols", "ciphers");
    static final List<String> PROTOCOLS = List.of("TLSv1.2", "TLSv1.3");
    static final List<String> ADMIN_FIELDS = List.of("bind");

    private final ObjectMapper yaml;

    public YamlConfigLoader() {
        YAMLFactory factory = new YAMLFactory();
        factory.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        this.yaml = new ObjectMapper(factory);
    }

    /** Loads and validates {@code file}; throws with every problem found. */
    public GatehouseConfig load(Path file) throws ConfigException {
        String source = file.toString();
        JsonNode root = readTree(file);
        ConfigProblems problems = new ConfigProblems(source);
        Path baseDir = file.toAbsolutePath().getParent();
        GatehouseConfig config = new Reading(problems, baseDir, source).config(root);
        new ConfigValidator().validate(config, problems);
        problems.throwIfAny();
        return config;
    }

    private JsonNode readTree(Path file) throws ConfigException {
        String source = file.toString();
        if (!Files.exists(file)) {
            throw new ConfigException(source, List.of("--config: " + file + " does not exist (check the path)"));
        }
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new ConfigException(source, List.of("--config: " + file
                    + " is not a readable file (check its permissions for the user running gatehouse)"));
        }
        try {
            JsonNode root = yaml.readTree(file.toFile());
            if (root == null || root.isMissingNode() || root.isNull()) {
                throw new ConfigException(source, List.of("(top): the file is empty (it needs at least a listeners: list)"));
            }
            return root;
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : "line " + at.getLineNr() + ", column " + at.getColumnNr() + ": ";
            throw new ConfigException(source, List.of(where + "not valid YAML: " + e.getOriginalMessage()));
        } catch (NoSuchFileException e) {
            throw new ConfigException(source, List.of("--config: " + file + " does not exist (check the path)"));
        } catch (IOException e) {
            throw new ConfigException(source, List.of("--config: " + file + " cannot be read: " + e.getMessage()));
        }
    }

    /** One pass over the tree; holds the state every field reader needs. */
    private record Reading(ConfigProblems problems, Path baseDir, String source, Map<String, OcspSettings> certificateOcsp) {

        Reading(ConfigProblems problems, Path baseDir, String source) {
            this(problems, baseDir, source, new LinkedHashMap<>());
        }

        GatehouseConfig config(JsonNode root) {
            Optional<MappingReader> top = MappingReader.of(root, MappingReader.TOP, problems, TOP_FIELDS);
            if (top.isEmpty()) {
                return new GatehouseConfig(source, List.of(), Map.of());
            }
            MappingReader r = top.get();
            if (!r.has("listeners")) {
                problems.add("listeners", "is required", "declare at least one listener with name, bind, certificates and backend");
            }
            List<ListenerConfig> listeners = new ArrayList<>();
            List<JsonNode> items = r.sequence("listeners");
            for (int i = 0; i < items.size(); i++) {
                listener(items.get(i), "listeners[" + i + "]").ifPresent(listeners::add);
            }
            Map<String, BackendConfig> backends = new BackendsReader(problems, this::resolve).read(r.node("backends"));
            Optional<AdminConfig> admin = r.node("admin").flatMap(node -> MappingReader.of(node, "admin", problems, ADMIN_FIELDS))
                    .flatMap(a -> a.parsed("bind", t -> HostPort.parse(t, true), "e.g. 127.0.0.1:9100"))
                    .map(AdminConfig::new);
            Optional<Integer> workers = r.positiveInt("workers");
            var drain = r.parsed("drain-timeout", DurationText::parse, null).orElse(GatehouseConfig.DEFAULT_DRAIN_TIMEOUT);
            Optional<Path> trust = r.string("trust").map(this::resolve);
            OcspSettings ocsp = r.node("ocsp").map(node -> ocsp(node, "ocsp", OCSP_FIELDS)).orElse(OcspSettings.NONE);
            RsaSigning rsaSigning = r.parsed("rsa-signing", RsaSigning::parse, "use auto, libcrypto or boringssl").orElse(RsaSigning.AUTO);
            return new GatehouseConfig(source, listeners, backends, admin, workers, drain, trust, ocsp, certificateOcsp, rsaSigning);
        }

        OcspSettings ocsp(JsonNode node, String path, List<String> fields) {
            Optional<MappingReader> read = MappingReader.of(node, path, problems, fields);
            if (read.isEmpty()) {
                return OcspSettings.NONE;
            }
            MappingReader r = read.get();
            Optional<Boolean> enabled = r.has("enabled") ? Optional.of(r.bool("enabled")) : Optional.empty();
            Optional<java.net.URI> responder = r.parsed("responder", YamlConfigLoader::httpUri, "e.g. http://ipa.example.com/ca/ocsp");
            Optional<OcspSettings.RevokedPolicy> onRevoked = r.parsed("on-revoked", YamlConfigLoader::revokedPolicy,
                    "use staple or stop-serving");
            Optional<Double> refreshAt = r.parsed("refresh-at", YamlConfigLoader::fraction, "e.g. 0.5 for halfway through the validity window");
            Optional<Boolean> nonce = r.has("nonce") ? Optional.of(r.bool("nonce")) : Optional.empty();
            return new OcspSettings(enabled, responder, r.string("responder-cert").map(this::resolve), r.string("staple-file").map(this::resolve),
                    onRevoked, r.string("cache-dir").map(this::resolve), refreshAt, r.parsed("clock-skew", DurationText::parse, null),
                    r.parsed("timeout", DurationText::parse, null), nonce, r.parsed("min-delay", DurationText::parse, null),
                    r.parsed("max-delay", DurationText::parse, null));
        }

        Optional<ListenerConfig> listener(JsonNode node, String path) {
            Optional<MappingReader> read = MappingReader.of(node, path, problems, LISTENER_FIELDS);
            if (read.isEmpty()) {
                return Optional.empty();
            }
            MappingReader r = read.get();
            var name = r.requiredString("name", "give every listener a unique name, e.g. keystone-public");
            var bind = r.has("bind")
                    ? r.parsed("bind", t -> HostPort.parse(t, true), "e.g. \"127.0.0.1:5000\", \"[::1]:5000\" or \"*:5000\"")
                    : r.requiredString("bind", "e.g. \"127.0.0.1:5000\"").map(t -> (HostPort) null);
            var mode = r.has("mode") ? r.parsed("mode", YamlConfigLoader::mode, "use http or tcp") : Optional.of(ListenerMode.HTTP);
            var sendProxy = r.parsed("send-proxy", YamlConfigLoader::proxyVersion, "use v1 or v2, or remove the field");
            boolean redirect = r.has("redirect");
            if (redirect && !r.string("redirect").map(t -> t.trim().equals("https")).orElse(false)) {
                problems.add(r.pathOf("redirect"), "'" + r.string("redirect").orElse("") + "' is not a redirect target", "use redirect: https");
            }
            // Whether a backend is required depends on mode, routes and redirect: the validator decides.
            Optional<String> backend = r.string("backend");
            if (!r.has("certificates") && !redirect) {
                problems.add(r.pathOf("certificates"), "is required", "list at least one certificate, e.g. - pem: /etc/pki/tls/private/service.pem");
            }
            List<CertificateSource> certificates = new ArrayList<>();
            List<JsonNode> items = r.sequence("certificates");
            for (int i = 0; i < items.size(); i++) {
                certificate(items.get(i), r.pathOf("certificates") + "[" + i + "]").ifPresent(certificates::add);
            }
            Optional<String> defaultCertificate = r.string("default-certificate");
            boolean strictSni = r.bool("strict-sni");
            List<HostConfig> hosts = new ArrayList<>();
            List<JsonNode> hostItems = r.sequence("hosts");
            for (int i = 0; i < hostItems.size(); i++) {
                host(hostItems.get(i), r.pathOf("hosts") + "[" + i + "]").ifPresent(hosts::add);
            }
            ListenerTimeouts timeouts = r.node("timeouts").flatMap(t -> MappingReader.of(t, r.pathOf("timeouts"), problems, TIMEOUT_FIELDS))
                    .map(t -> new ListenerTimeouts(
                            t.positiveDuration("request-head", "e.g. 10s").orElse(ListenerTimeouts.DEFAULTS.requestHead()),
                            t.positiveDuration("keep-alive", "e.g. 60s").orElse(ListenerTimeouts.DEFAULTS.keepAlive())))
                    .orElse(ListenerTimeouts.DEFAULTS);
            List<RouteConfig> routes = new ArrayList<>();
            List<JsonNode> routeItems = r.sequence("routes");
            for (int i = 0; i < routeItems.size(); i++) {
                route(routeItems.get(i), r.pathOf("routes") + "[" + i + "]").ifPresent(routes::add);
            }
            List<CidrRange> acceptProxy = new ArrayList<>();
            List<String> ranges = r.stringList("accept-proxy");
            for (int i = 0; i < ranges.size(); i++) {
                try {
                    acceptProxy.add(CidrRange.parse(ranges.get(i)));
                } catch (IllegalArgumentException e) {
                    problems.add(r.pathOf("accept-proxy") + "[" + i + "]", e.getMessage(), "e.g. 10.0.0.0/8 or fd00::/8");
                }
            }
            Optional<SessionTicketConfig> tickets = r.node("session-tickets")
                    .flatMap(t -> MappingReader.of(t, r.pathOf("session-tickets"), problems, SESSION_TICKET_FIELDS))
                    .flatMap(t -> t.requiredString("key-file", "e.g. key-file: /etc/gatehouse/tickets.key (openssl rand -base64 48 > it)")
                            .map(file -> new SessionTicketConfig(resolve(file), t.parsed("grace", DurationText::parse, "e.g. 2h")
                                    .orElse(SessionTicketConfig.DEFAULT_GRACE))));
            boolean http2 = !r.has("http2") || r.bool("http2");
            if (name.isEmpty() || bind.isEmpty() || mode.isEmpty() || (r.has("backend") && backend.isEmpty())
                    || certificates.size() != items.size() || routes.size() != routeItems.size()
                    || acceptProxy.size() != ranges.size() || (r.has("session-tickets") && tickets.isEmpty())
                    || (r.has("send-proxy") && sendProxy.isEmpty()) || hosts.size() != hostItems.size()) {
                return Optional.empty();
            }
            return Optional.of(new ListenerConfig(path, name.get(), bind.get(), mode.get(), certificates, backend, sendProxy,
                    defaultCertificate, strictSni, hosts, timeouts, routes, redirect, acceptProxy, tickets, http2));
        }

        Optional<RouteConfig> route(JsonNode node, String path) {
            Optional<MappingReader> read = MappingReader.of(node, path, problems, ROUTE_FIELDS);
            if (read.isEmpty()) {
                return Optional.empty();
            }
            MappingReader r = read.get();
            var host = r.parsed("host", YamlConfigLoader::hostName, "e.g. compute.example.com or *.example.com");
            var prefix = r.parsed("path-prefix", YamlConfigLoader::pathPrefix, "e.g. /compute");
            boolean strip = r.bool("strip-prefix");
            if (strip && !r.has("path-prefix")) {
                problems.add(r.pathOf("strip-prefix"), "needs path-prefix", "add path-prefix, or remove strip-prefix");
            }
            var backend = r.requiredString("backend", "name one of the entries under backends:");
            if (backend.isEmpty() || (r.has("host") && host.isEmpty()) || (r.has("path-prefix") && prefix.isEmpty())) {
                return Optional.empty();
            }
            return Optional.of(new RouteConfig(path, host, prefix, strip, backend.get()));
        }

        Optional<HostConfig> host(JsonNode node, String path) {
            Optional<MappingReader> read = MappingReader.of(node, path, problems, HOST_FIELDS);
            if (read.isEmpty()) {
                return Optional.empty();
            }
            MappingReader r = read.get();
            var name = r.parsed("name", YamlConfigLoader::hostName, "e.g. keystone.example.com or *.example.com");
            if (!r.has("name")) {
                problems.add(r.pathOf("name"), "is required", "name the virtual host as clients send it in SNI");
            }
            Optional<Path> clientCa = r.string("client-ca").map(this::resolve);
            Optional<ClientAuthMode> clientAuth = r.has("client-auth")
                    ? r.parsed("client-auth", YamlConfigLoader::clientAuth, "use require or optional")
                    : Optional.of(clientCa.isPresent() ? ClientAuthMode.REQUIRE : ClientAuthMode.NONE);
            if (clientAuth.isPresent() && clientAuth.get() != ClientAuthMode.NONE && clientCa.isEmpty()) {
                problems.add(r.pathOf("client-ca"), "is required with client-auth: " + clientAuth.get().yamlName(),
                        "name the CA bundle that issues the clients' certificates");
            }
            List<String> protocols = r.stringList("protocols");
            for (int i = 0; i < protocols.size(); i++) {
                if (!PROTOCOLS.contains(protocols.get(i))) {
                    problems.add(r.pathOf("protocols") + "[" + i + "]", "'" + protocols.get(i) + "' is not offered",
                            "use TLSv1.2 and/or TLSv1.3");
                }
            }
            List<String> ciphers = r.stringList("ciphers");
            if (name.isEmpty() || clientAuth.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(new HostConfig(path, name.get(), clientCa, clientAuth.get(), protocols, ciphers));
        }

        Optional<CertificateSource> certificate(JsonNode node, String path) {
            Optional<MappingReader> read = MappingReader.of(node, path, problems, CERTIFICATE_FIELDS);
            if (read.isEmpty()) {
                return Optional.empty();
            }
            MappingReader r = read.get();
            r.node("ocsp").ifPresent(ocspNode -> certificateOcsp.put(path, ocsp(ocspNode, r.pathOf("ocsp"), CERTIFICATE_OCSP_FIELDS)));
            Optional<String> nickname = r.string("nickname");
            Optional<Path> passwordFile = r.string("password-file").map(this::resolve);
            long kinds = java.util.stream.Stream.of("pem", "cert", "pkcs12", "dir").filter(r::has).count()
                    + (r.has("key") && !r.has("cert") ? 1 : 0);
            if (kinds > 1) {
                problems.add(path, "names more than one kind of source",
                        "use exactly one of pem, cert + key (+ chain), pkcs12 or dir per entry");
                return Optional.empty();
            }
            if (r.has("chain") && !r.has("cert")) {
                problems.add(r.pathOf("chain"), "goes with cert and key", "for a combined file, put the chain inside the pem");
                return Optional.empty();
            }
            if (r.has("pem")) {
                return r.string("pem").map(p -> new CertificateSource.CombinedPem(path, resolve(p), nickname, passwordFile));
            }
            if (r.has("pkcs12")) {
                return r.string("pkcs12").map(p -> new CertificateSource.Pkcs12(path, resolve(p), passwordFile, nickname));
            }
            if (r.has("dir")) {
                if (nickname.isPresent() || passwordFile.isPresent()) {
                    problems.add(path, "dir takes neither nickname nor password-file",
                            "each file in the folder is named after itself; list encrypted or renamed ones separately");
                    return Optional.empty();
                }
                return r.string("dir").map(p -> new CertificateSource.PemDirectory(path, resolve(p)));
            }
            if (r.has("cert") || r.has("key")) {
                var cert = r.requiredString("cert", "name the certificate PEM file");
                var key = r.requiredString("key", "name the private key PEM file");
                var chain = r.string("chain").map(this::resolve);
                if (cert.isEmpty() || key.isEmpty()) {
                    return Optional.empty();
                }
                return Optional.of(new CertificateSource.SeparateFiles(path, resolve(cert.get()), resolve(key.get()), chain, nickname,
                        passwordFile));
            }
            problems.add(path, "names no certificate file", "give pem:, cert: and key:, pkcs12: or dir:");
            return Optional.empty();
        }

        Path resolve(String file) {
            Path p = Path.of(file);
            return p.isAbsolute() || baseDir == null ? p : baseDir.resolve(p).normalize();
        }
    }

    static ListenerMode mode(String text) {
        try {
            return ListenerMode.valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + text + "' is not a mode");
        }
    }

    static java.net.URI httpUri(String text) {
        try {
            java.net.URI uri = new java.net.URI(text.trim());
            if (!"http".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
                throw new IllegalArgumentException("'" + text + "' is not an http:// URL (OCSP responders are plain HTTP, RFC 6960 appendix A)");
            }
            return uri;
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("'" + text + "' is not a URL");
        }
    }

    static OcspSettings.RevokedPolicy revokedPolicy(String text) {
        try {
            return OcspSettings.RevokedPolicy.valueOf(text.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + text + "' is not a policy");
        }
    }

    static double fraction(String text) {
        try {
            double value = Double.parseDouble(text.trim());
            if (value > 0 && value < 1) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("'" + text + "' is not a fraction between 0 and 1");
    }

    static ClientAuthMode clientAuth(String text) {
        try {
            ClientAuthMode mode = ClientAuthMode.valueOf(text.trim().toUpperCase(Locale.ROOT));
            if (mode == ClientAuthMode.NONE) {
                throw new IllegalArgumentException();
            }
            return mode;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + text + "' is not a client-auth mode");
        }
    }

    /** A DNS name as clients send it in SNI, or a wildcard standing for the whole leftmost label. */
    static String hostName(String text) {
        String name = text.trim().toLowerCase(Locale.ROOT);
        if (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        String bare = name.startsWith("*.") ? name.substring(2) : name;
        if (bare.isEmpty() || bare.contains("*") || !bare.matches("[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?(\\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)*")) {
            throw new IllegalArgumentException("'" + text + "' is not a host name (a wildcard may only be the whole leftmost label)");
        }
        return name;
    }

    /** A path prefix without a trailing slash ({@code /compute}); {@code /} alone would match everything. */
    static String pathPrefix(String text) {
        String prefix = text.trim();
        if (!prefix.startsWith("/") || prefix.contains("?") || prefix.contains("#") || prefix.contains(" ")) {
            throw new IllegalArgumentException("'" + text + "' is not a path prefix");
        }
        while (prefix.length() > 1 && prefix.endsWith("/")) {
            prefix = prefix.substring(0, prefix.length() - 1);
        }
        return prefix;
    }

    static ProxyProtocolVersion proxyVersion(String text) {
        try {
            return ProxyProtocolVersion.valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + text + "' is not a PROXY protocol version");
        }
    }
}
