package io.gatehouse.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class YamlConfigLoaderTest {

    @TempDir
    Path dir;

    @BeforeEach
    void certificateFiles() throws IOException {
        Files.writeString(dir.resolve("keystone.pem"), "placeholder; parsed by the sni module");
        Files.writeString(dir.resolve("a.crt"), "x");
        Files.writeString(dir.resolve("a.key"), "x");
    }

    private Path yaml(String text) throws IOException {
        Path file = dir.resolve("gatehouse.yaml");
        Files.writeString(file, text);
        return file;
    }

    private ConfigException loadFails(String text) throws IOException {
        Path file = yaml(text);
        return catchThrowableOfType(ConfigException.class, () -> new YamlConfigLoader().load(file));
    }

    @Test
    void theDocumentedExampleLoadsWithRelativePathsResolvedAgainstTheYamlFolder() throws Exception {
        GatehouseConfig config = new YamlConfigLoader().load(yaml("""
                listeners:
                  - name: keystone-public
                    bind: "127.0.0.1:5000"
                    mode: http
                    certificates:
                      - pem: keystone.pem
                      - { cert: a.crt, key: a.key, nickname: second }
                    backend: keystone
                backends:
                  keystone:
                    servers: ["127.0.0.1:35357", "[::1]:35357"]
                admin:
                  bind: "127.0.0.1:9100"
                drain-timeout: 3s
                """));
        ListenerConfig listener = config.listeners().get(0);
        assertThat(listener.name()).isEqualTo("keystone-public");
        assertThat(listener.bind()).isEqualTo(new HostPort("127.0.0.1", 5000));
        assertThat(listener.mode()).isEqualTo(ListenerMode.HTTP);
        assertThat(listener.certificates().get(0))
                .isEqualTo(new CertificateSource.CombinedPem("listeners[0].certificates[0]", dir.resolve("keystone.pem"), Optional.empty()));
        assertThat(listener.certificates().get(1)).isInstanceOfSatisfying(CertificateSource.SeparateFiles.class, s -> {
            assertThat(s.key()).isEqualTo(dir.resolve("a.key"));
            assertThat(s.nickname()).contains("second");
        });
        assertThat(config.backends().get("keystone").servers()).containsExactly(new HostPort("127.0.0.1", 35357), new HostPort("::1", 35357));
        assertThat(config.admin()).contains(new AdminConfig(new HostPort("127.0.0.1", 9100)));
        assertThat(config.drainTimeout()).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void modeDefaultsToHttp() throws Exception {
        GatehouseConfig config = new YamlConfigLoader().load(yaml("""
                listeners:
                  - {name: a, bind: "127.0.0.1:0", certificates: [{pem: keystone.pem}], backend: b}
                backends: {b: {servers: ["127.0.0.1:1"]}}
                """));
        assertThat(config.listeners().get(0).mode()).isEqualTo(ListenerMode.HTTP);
    }

    @Test
    void anUnknownFieldIsNamedByItsPathWithTheKnownFields() throws Exception {
        ConfigException e = loadFails("""
                listeners:
                  - name: a
                    bind: "127.0.0.1:5000"
                    modee: tcp
                    certificates: [{pem: keystone.pem}]
                    backend: b
                backends: {b: {servers: ["127.0.0.1:1"]}}
                """);
        assertThat(e.problems()).containsExactly("listeners[0].modee: unknown field (known fields here are name, bind, mode,"
                + " certificates, default-certificate, strict-sni, hosts, backend, send-proxy, timeouts, routes, redirect, accept-proxy,"
                + " session-tickets, http2; check the spelling)");
    }

    @Test
    void everyProblemIsReportedAtOnceEachWithItsPath() throws Exception {
        ConfigException e = loadFails("""
                listeners:
                  - name: a
                    bind: "localhost"
                    mode: htp
                    certificates: [{pem: missing.pem}]
                    backend: nowhere
                  - name: a
                    bind: "127.0.0.1:5001"
                    certificates: []
                    backend: b
                backends: {b: {servers: ["*:1"]}}
                """);
        assertThat(e.problems()).anySatisfy(p -> assertThat(p).startsWith("listeners[0].bind: 'localhost' has no port"))
                .anySatisfy(p -> assertThat(p).startsWith("listeners[0].mode: 'htp' is not a mode (use http or tcp)"))
                .anySatisfy(p -> assertThat(p).startsWith("listeners[1].certificates: is empty"))
                .anySatisfy(p -> assertThat(p).startsWith("backends.b.servers[0]: '*:1' needs a host name or address here"));
    }

    @Test
    void aMissingCertificateFileAndAnUndefinedBackendAreNamed() throws Exception {
        ConfigException e = loadFails("""
                listeners:
                  - {name: a, bind: "127.0.0.1:5000", certificates: [{pem: missing.pem}], backend: nowhere}
                backends: {b: {servers: ["127.0.0.1:1"]}}
                """);
        assertThat(e.problems()).containsExactlyInAnyOrder(
                "listeners[0].certificates[0].pem: " + dir.resolve("missing.pem")
                        + " does not exist (check the path, or that certmonger has written the file)",
                "listeners[0].backend: 'nowhere' is not defined under backends: (use one of b)");
        assertThat(e.source()).isEqualTo(dir.resolve("gatehouse.yaml").toString());
    }

    @Test
    void anUnreadableCertificateFileIsNamed() throws Exception {
        Path locked = dir.resolve("locked.pem");
        Files.writeString(locked, "x");
        assertThat(locked.toFile().setReadable(false, false)).isTrue();
        org.junit.jupiter.api.Assumptions.assumeFalse(Files.isReadable(locked), "running as a user who reads everything");
        ConfigException e = loadFails("""
                listeners:
                  - {name: a, bind: "127.0.0.1:5000", certificates: [{pem: locked.pem}], backend: b}
                backends: {b: {servers: ["127.0.0.1:1"]}}
                """);
        assertThat(e.problems()).singleElement().asString().contains("locked.pem is not readable");
    }

    @Test
    void aMissingConfigFileIsOneClearProblem() {
        Path missing = dir.resolve("nope.yaml");
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> new YamlConfigLoader().load(missing));
        assertThat(e.problems()).containsExactly("--config: " + missing + " does not exist (check the path)");
    }

    @Test
    void invalidYamlNamesTheLine() throws Exception {
        ConfigException e = loadFails("listeners:\n  - name: a\n   bind: [\n");
        assertThat(e.problems()).singleElement().asString().startsWith("line ").contains("not valid YAML");
    }

    @Test
    void aDuplicateKeyIsRefusedRatherThanSilentlyOverridden() throws Exception {
        ConfigException e = loadFails("""
                listeners:
                  - {name: a, bind: "127.0.0.1:5000", bind: "127.0.0.1:5001", certificates: [{pem: keystone.pem}], backend: b}
                backends: {b: {servers: ["127.0.0.1:1"]}}
                """);
        assertThat(e.problems()).singleElement().asString().contains("Duplicate field 'bind'");
    }

    @Test
    void pemAndSeparateFilesTogetherAreAmbiguous() throws Exception {
        ConfigException e = loadFails("""
                listeners:
                  - {name: a, bind: "127.0.0.1:5000", certificates: [{pem: keystone.pem, key: a.key}], backend: b}
                backends: {b: {servers: ["127.0.0.1:1"]}}
                """);
        assertThat(e.problems()).singleElement().asString().startsWith("listeners[0].certificates[0]: names more than one kind of source");
    }

    @Test
    void listenerNamesAreUnique() throws Exception {
        ConfigException e = loadFails("""
                listeners:
                  - {name: a, bind: "127.0.0.1:5000", certificates: [{pem: keystone.pem}], backend: b}
                  - {name: a, bind: "127.0.0.1:5001", certificates: [{pem: keystone.pem}], backend: b}
                backends: {b: {servers: ["127.0.0.1:1"]}}
                """);
        assertThat(e.problems()).containsExactly("listeners[1].name: 'a' is already the name of listeners[0] (give every listener a unique name)");
    }

    @Test
    void twoListenersOnOneAddressClash() throws Exception {
        ConfigException e = loadFails("""
                listeners:
                  - {name: a, bind: "127.0.0.1:5000", certificates: [{pem: keystone.pem}], backend: b}
                  - {name: c, bind: "127.0.0.1:5000", certificates: [{pem: keystone.pem}], backend: b}
                backends: {b: {servers: ["127.0.0.1:1"]}}
                """);
        assertThat(e.problems()).containsExactly("listeners[1].bind: 127.0.0.1:5000 is also bound by listeners[0]"
                + " (give each listener its own address or port)");
    }

    @Test
    void anEmptyFileSaysWhatIsNeeded() throws Exception {
        assertThat(loadFails("").problems()).containsExactly("(top): the file is empty (it needs at least a listeners: list)");
    }

    @Test
    void everyCertificateSourceAndVhostSettingLoads() throws Exception {
        Files.writeString(dir.resolve("bundle.p12"), "x");
        Files.writeString(dir.resolve("pw.txt"), "x");
        Files.writeString(dir.resolve("clients.pem"), "x");
        Files.createDirectories(dir.resolve("certs"));
        GatehouseConfig config = new YamlConfigLoader().load(yaml("""
                listeners:
                  - name: public
                    bind: "127.0.0.1:13000"
                    certificates:
                      - {pem: keystone.pem, password-file: pw.txt}
                      - {pkcs12: bundle.p12, password-file: pw.txt}
                      - {dir: certs}
                    default-certificate: keystone
                    strict-sni: true
                    hosts:
                      - {name: Secure.Example.COM., client-ca: clients.pem}
                      - {name: "*.example.org", client-auth: optional, client-ca: clients.pem, protocols: [TLSv1.3], ciphers: [TLS_AES_128_GCM_SHA256]}
                    backend: b
                backends: {b: {servers: ["127.0.0.1:1"]}}
                trust: clients.pem
                """));
        ListenerConfig listener = config.listeners().get(0);
        assertThat(listener.certificates()).containsExactly(
                new CertificateSource.CombinedPem("listeners[0].certificates[0]", dir.resolve("keystone.pem"), Optional.empty(),
                        Optional.of(dir.resolve("pw.txt"))),
                new CertificateSource.Pkcs12("listeners[0].certificates[1]", dir.resolve("bundle.p12"), Optional.of(dir.resolve("pw.txt")),
                        Optional.empty()),
                new CertificateSource.PemDirectory("listeners[0].certificates[2]", dir.resolve("certs")));
        assertThat(listener.defaultCertificate()).contains("keystone");
        assertThat(listener.strictSni()).isTrue();
        assertThat(listener.hosts()).containsExactly(
                new HostConfig("listeners[0].hosts[0]", "secure.example.com", Optional.of(dir.resolve("clients.pem")), ClientAuthMode.REQUIRE,
                        java.util.List.of(), java.util.List.of()),
                new HostConfig("listeners[0].hosts[1]", "*.example.org", Optional.of(dir.resolve("clients.pem")), ClientAuthMode.OPTIONAL,
                        java.util.List.of("TLSv1.3"), java.util.List.of("TLS_AES_128_GCM_SHA256")));
        assertThat(config.trust()).contains(dir.resolve("clients.pem"));
    }

    @Test
    void badVhostSettingsAreNamedEachWithItsFix() throws Exception {
        ConfigException e = loadFails("""
                listeners:
                  - name: public
                    bind: "127.0.0.1:13000"
                    certificates: [{pem: keystone.pem}]
                    strict-sni: yes please
                    hosts:
                      - {name: "a.*.example.com"}
                      - {name: b.example.com, client-auth: require}
                      - {name: c.example.com, protocols: [TLSv1.1]}
                      - {name: d.example.com, client-auth: sometimes, client-ca: keystone.pem}
                      - {name: c.example.com}
                    backend: b
                backends: {b: {servers: ["127.0.0.1:1"]}}
                """);
        assertThat(e.problems()).contains(
                "listeners[0].strict-sni: 'yes please' is not true or false",
                "listeners[0].hosts[0].name: 'a.*.example.com' is not a host name (a wildcard may only be the whole leftmost label)"
                        + " (e.g. keystone.example.com or *.example.com)",
                "listeners[0].hosts[1].client-ca: is required with client-auth: require (name the CA bundle that issues the clients' certificates)",
                "listeners[0].hosts[2].protocols[0]: 'TLSv1.1' is not offered (use TLSv1.2 and/or TLSv1.3)",
                "listeners[0].hosts[3].client-auth: 'sometimes' is not a client-auth mode (use require or optional)");
    }

    @Test
    void aDirTakesNoNicknameAndAChainNeedsACert() throws Exception {
        Files.createDirectories(dir.resolve("certs"));
        ConfigException e = loadFails("""
                listeners:
                  - name: public
                    bind: "127.0.0.1:13000"
                    certificates:
                      - {dir: certs, nickname: x}
                      - {pem: keystone.pem, chain: a.crt}
                      - {dir: keystone.pem}
                    backend: b
                backends: {b: {servers: ["127.0.0.1:1"]}}
                """);
        assertThat(e.problems()).containsExactly(
                "listeners[0].certificates[0]: dir takes neither nickname nor password-file (each file in the folder is named after itself;"
                        + " list encrypted or renamed ones separately)",
                "listeners[0].certificates[1].chain: goes with cert and key (for a combined file, put the chain inside the pem)");
    }

    @Test
    void theOcspBlockLoadsGloballyAndPerCertificate() throws Exception {
        Files.writeString(dir.resolve("responder.pem"), "x");
        Files.writeString(dir.resolve("keystone.der"), "x");
        GatehouseConfig config = new YamlConfigLoader().load(yaml("""
                listeners:
                  - name: public
                    bind: "127.0.0.1:13000"
                    certificates:
                      - {pem: keystone.pem, ocsp: {staple-file: keystone.der, on-revoked: stop-serving}}
                    backend: b
                backends: {b: {servers: ["127.0.0.1:1"]}}
                ocsp: {responder: "http://ipa.example.com/ca/ocsp", responder-cert: responder.pem, cache-dir: cache, refresh-at: 0.25,
                       clock-skew: 2m, timeout: 3s, min-delay: 30s, max-delay: 2h, nonce: true}
                """));
        OcspSettings global = config.ocsp();
        assertThat(global.responder()).contains(java.net.URI.create("http://ipa.example.com/ca/ocsp"));
        assertThat(global.responderCert()).contains(dir.resolve("responder.pem"));
        assertThat(global.cacheDir()).contains(dir.resolve("cache"));
        assertThat(global.refreshAt()).contains(0.25);
        assertThat(global.minDelay()).contains(Duration.ofSeconds(30));
        assertThat(global.nonce()).contains(true);
        OcspSettings own = config.certificateOcsp().get("listeners[0].certificates[0]");
        OcspSettings effective = global.overriddenBy(own);
        assertThat(effective.stapleFile()).contains(dir.resolve("keystone.der"));
        assertThat(effective.onRevoked()).contains(OcspSettings.RevokedPolicy.STOP_SERVING);
        assertThat(effective.responder()).isEqualTo(global.responder());
    }

    @Test
    void badOcspSettingsAreNamed() throws Exception {
        ConfigException e = loadFails("""
                listeners:
                  - name: public
                    bind: "127.0.0.1:13000"
                    certificates: [{pem: keystone.pem, ocsp: {cache-dir: x, staple-file: missing.der}}]
                    backend: b
                backends: {b: {servers: ["127.0.0.1:1"]}}
                ocsp: {responder: "https://ipa.example.com/ocsp", refresh-at: 2, on-revoked: ignore}
                """);
        assertThat(e.problems()).contains(
                "listeners[0].certificates[0].ocsp.cache-dir: unknown field (known fields here are enabled, responder, responder-cert,"
                        + " staple-file, on-revoked; check the spelling)",
                "ocsp.responder: 'https://ipa.example.com/ocsp' is not an http:// URL (OCSP responders are plain HTTP, RFC 6960 appendix A)"
                        + " (e.g. http://ipa.example.com/ca/ocsp)",
                "ocsp.refresh-at: '2' is not a fraction between 0 and 1 (e.g. 0.5 for halfway through the validity window)",
                "ocsp.on-revoked: 'ignore' is not a policy (use staple or stop-serving)");
    }

    @Test
    void rsaSigningIsAutoUnlessChosen() throws Exception {
        String listener = """
                listeners:
                  - {name: a, bind: "127.0.0.1:0", certificates: [{pem: keystone.pem}], backend: b}
                backends: {b: {servers: ["127.0.0.1:1"]}}
                """;
        assertThat(new YamlConfigLoader().load(yaml(listener)).rsaSigning()).isEqualTo(RsaSigning.AUTO);
        assertThat(new YamlConfigLoader().load(yaml(listener + "rsa-signing: BoringSSL\n")).rsaSigning()).isEqualTo(RsaSigning.BORINGSSL);
        assertThat(new YamlConfigLoader().load(yaml(listener + "rsa-signing: libcrypto\n")).rsaSigning()).isEqualTo(RsaSigning.LIBCRYPTO);
        assertThat(loadFails(listener + "rsa-signing: openssl\n").problems())
                .containsExactly("rsa-signing: 'openssl' is not one of auto, libcrypto, boringssl (use auto, libcrypto or boringssl)");
    }

    @Test
    void listenerTimeoutsLoadWithDefaultsForWhatIsLeftOut() throws Exception {
        GatehouseConfig config = new YamlConfigLoader().load(yaml("""
                listeners:
                  - {name: a, bind: "127.0.0.1:0", certificates: [{pem: keystone.pem}], backend: b, timeouts: {request-head: 3s}}
                  - {name: c, bind: "127.0.0.1:0", certificates: [{pem: keystone.pem}], backend: b}
                backends: {b: {servers: ["127.0.0.1:1"]}}
                """));
        assertThat(config.listeners().get(0).timeouts()).isEqualTo(new ListenerTimeouts(Duration.ofSeconds(3), Duration.ofSeconds(60)));
        assertThat(config.listeners().get(1).timeouts()).isEqualTo(ListenerTimeouts.DEFAULTS);
        assertThat(loadFails("""
                listeners:
                  - {name: a, bind: "127.0.0.1:0", certificates: [{pem: keystone.pem}], backend: b, timeouts: {request-head: soon}}
                backends: {b: {servers: ["127.0.0.1:1"]}}
                """).problems()).containsExactly("listeners[0].timeouts.request-head: 'soon' is not a duration"
                + " (expected a number with ms, s, m or h, e.g. 10s) (e.g. 10s)");
    }

    @Test
    void aZeroListenerTimeoutIsRefusedAsBackendTimeoutsAre() throws Exception {
        // 0s used to load as the default silently; an operator who wrote it meant something else.
        assertThat(loadFails("""
                listeners:
                  - {name: a, bind: "127.0.0.1:0", certificates: [{pem: keystone.pem}], backend: b, timeouts: {keep-alive: 0s}}
                backends: {b: {servers: ["127.0.0.1:1"]}}
                """).problems()).containsExactly(
                "listeners[0].timeouts.keep-alive: is zero (give a positive duration, or remove the field for the default)");
    }
}
