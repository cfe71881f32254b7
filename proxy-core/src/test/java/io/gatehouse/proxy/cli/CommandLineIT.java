package io.gatehouse.proxy.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gatehouse.proxy.GatehouseProcess;
import io.gatehouse.proxy.TestPki;
import io.gatehouse.proxy.demo.DemoBackend;
import io.gatehouse.sni.ThrowawayPki;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command-line contract, run against the shaded jar as operators and devstack-style tooling run it. */
class CommandLineIT {

    @TempDir
    static Path dir;

    static TestPki pki;
    static DemoBackend backend;

    @BeforeAll
    static void start() throws Exception {
        pki = new TestPki(dir);
        backend = DemoBackend.start("127.0.0.1", 0);
    }

    @AfterAll
    static void stop() {
        backend.close();
    }

    static HttpClient client() throws Exception {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(pki.clientContext()).build();
    }

    static String get(InetSocketAddress address, String path) throws Exception {
        String host = address.getAddress() instanceof java.net.Inet6Address ? "[::1]" : "127.0.0.1";
        HttpResponse<String> response = client().send(HttpRequest.newBuilder(URI.create("https://" + host + ":" + address.getPort() + path))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    /** Stops with SIGTERM and checks the clean exit and that paranoid leak detection saw nothing. */
    static void stopCleanly(GatehouseProcess gatehouse) throws InterruptedException {
        gatehouse.terminate();
        assertThat(gatehouse.awaitExit(Duration.ofSeconds(30))).as(gatehouse.stderr()).isZero();
        assertThat(gatehouse.stderr()).contains("signal received signal=SIGTERM").contains("stopped").doesNotContain("LEAK");
    }

    @Test
    void studFormAsDevstackStartsItTerminatesTlsAndRelays() throws Exception {
        try (GatehouseProcess gatehouse = GatehouseProcess.start(dir, List.of(),
                "--tls", "-f", "127.0.0.1,0", "-b", "127.0.0.1," + backend.address().getPort(), pki.serverPem.toString())) {
            InetSocketAddress front = gatehouse.awaitListener();
            assertThat(get(front, "/stud")).contains("GET /stud HTTP/1.1");
            assertThat(gatehouse.stderr()).contains("mode=tcp");
            stopCleanly(gatehouse);
        }
    }

    @Test
    void hitchFormWithAWildcardFrontendServesIpv4AndIpv6() throws Exception {
        try (GatehouseProcess gatehouse = GatehouseProcess.start(dir, List.of(),
                "--frontend=[*]:0", "--backend=[127.0.0.1]:" + backend.address().getPort(), "--workers", "1", pki.serverPem.toString())) {
            int port = gatehouse.awaitListener().getPort();
            assertThat(get(new InetSocketAddress("127.0.0.1", port), "/v4")).contains("GET /v4");
            assertThat(get(new InetSocketAddress("::1", port), "/v6")).contains("GET /v6");
            stopCleanly(gatehouse);
        }
    }

    private Path yaml(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    private String httpListenerYaml(String bind, String pem, String backendServer) {
        return """
                listeners:
                  - name: keystone-public
                    bind: "%s"
                    mode: http
                    certificates:
                      - pem: %s
                    backend: keystone
                backends:
                  keystone:
                    servers: ["%s"]
                admin:
                  bind: "127.0.0.1:0"
                """.formatted(bind, pem, backendServer);
    }

    @Test
    void sigtermLetsAnInFlightDownloadFinishWhileRefusingNewConnections() throws Exception {
        Path config = yaml("drain.yaml", httpListenerYaml("127.0.0.1:0", pki.serverPem.toString(), "127.0.0.1:" + backend.address().getPort()));
        try (GatehouseProcess gatehouse = GatehouseProcess.start(dir, List.of(), "run", "--config", config.toString(), "--drain-timeout", "20s")) {
            InetSocketAddress front = gatehouse.awaitListeners(1).get("keystone-public");
            long size = 64L * 1024 * 1024;
            HttpResponse<InputStream> response = client().send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + front.getPort()
                    + "/bytes/" + size)).build(), HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                long read = body.readNBytes(1024 * 1024).length;
                gatehouse.terminate();
                await().atMost(Duration.ofSeconds(10)).until(() -> gatehouse.stderr().contains("draining"));
                await().atMost(Duration.ofSeconds(10)).until(() -> refusesConnections(front));
                byte[] buffer = new byte[256 * 1024];
                int n;
                while ((n = body.read(buffer)) > 0) {
                    read += n;
                }
                assertThat(read).isEqualTo(size);
            }
            assertThat(gatehouse.awaitExit(Duration.ofSeconds(30))).isZero();
            assertThat(gatehouse.stderr()).contains("stopped").doesNotContain("drain deadline reached").doesNotContain("LEAK");
        }
    }

    private static boolean refusesConnections(InetSocketAddress address) {
        try (Socket socket = new Socket()) {
            socket.connect(address, 1000);
            return false;
        } catch (ConnectException e) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void checkReportsAGoodConfigurationAndExits0() throws Exception {
        Path config = yaml("good.yaml", httpListenerYaml("127.0.0.1:5000", pki.serverPem.toString(), "127.0.0.1:35357")
                + "trust: " + pki.rootPem + "\n");
        try (GatehouseProcess check = GatehouseProcess.start(dir, List.of(), "check", "-c", config.toString())) {
            assertThat(check.awaitExit(Duration.ofSeconds(30))).as(check.stderr()).isZero();
            assertThat(check.stdout()).contains("listener keystone-public: bind 127.0.0.1:5000, mode http, forwards to keystone [127.0.0.1:35357]")
                    .contains("certificate server (default): pem " + pki.serverPem)
                    .contains("names [localhost]").contains("chain of 2")
                    .contains("OK: 1 listener(s), 1 certificate(s), 1 backend(s)");
        }
        // check binds nothing: the port it validated is still free.
        try (ServerSocket stillFree = new ServerSocket(5000, 1, java.net.InetAddress.getLoopbackAddress())) {
            assertThat(stillFree.isBound()).isTrue();
        } catch (java.net.BindException busy) {
            // Another process on this machine holds 5000; the check above still proves the exit code and report.
        }
    }

    @Test
    void checkReportsEveryProblemOfABadConfigurationAndExits2() throws Exception {
        Path config = yaml("bad.yaml", """
                listeners:
                  - name: a
                    bind: "127.0.0.1:5000"
                    modee: http
                    certificates: [{pem: missing.pem}]
                    backend: nowhere
                """);
        try (GatehouseProcess check = GatehouseProcess.start(dir, List.of(), "check", "-c", config.toString())) {
            assertThat(check.awaitExit(Duration.ofSeconds(30))).isEqualTo(2);
            assertThat(check.stderr()).contains("gatehouse: configuration error in " + config)
                    .contains("listeners[0].modee: unknown field")
                    .contains("listeners[0].certificates[0].pem: " + dir.resolve("missing.pem") + " does not exist")
                    .contains("listeners[0].backend: 'nowhere' is not defined under backends:")
                    .doesNotContain("\tat ");
        }
    }

    /**
     * A JVM that cannot reach libcrypto (here: JNA has no folder to unpack its stub into, as on a read-only root
     * file system): auto signs RSA with BoringSSL and says why, without JNA's own stack trace; libcrypto refuses.
     */
    @Test
    void withoutLibCryptoAutoFallsBackToBoringSslAndLibCryptoRefusesToStart() throws Exception {
        TestPki rsa = new TestPki(Files.createDirectories(dir.resolve("rsa")), ThrowawayPki.KeyType.RSA);
        Path config = yaml("rsa.yaml", httpListenerYaml("127.0.0.1:5000", rsa.serverPem.toString(), "127.0.0.1:35357")
                + "trust: " + rsa.rootPem + "\n");
        // A folder inside a file: JNA can neither find nor make it.
        List<String> noLibCrypto = List.of("-Djna.tmpdir=" + config.resolve("jna"));

        try (GatehouseProcess check = GatehouseProcess.start(dir, noLibCrypto, "check", "-c", config.toString())) {
            assertThat(check.awaitExit(Duration.ofSeconds(30))).as(check.stderr()).isZero();
            assertThat(check.stdout()).contains("key RSA (signs with BoringSSL, slower for RSA, because libcrypto.so.3 could not be loaded (");
            assertThat(check.stderr()).doesNotContain("\tat ").doesNotContain("JNA");
        }
        try (GatehouseProcess check = GatehouseProcess.start(dir, noLibCrypto, "check", "-c", config.toString(), "--rsa-signing", "libcrypto")) {
            assertThat(check.awaitExit(Duration.ofSeconds(30))).isEqualTo(2);
            assertThat(check.stderr()).contains("rsa-signing: libcrypto: libcrypto.so.3 could not be loaded (")
                    .contains("or set rsa-signing: auto or boringssl").doesNotContain("\tat ");
        }
        try (GatehouseProcess check = GatehouseProcess.start(dir, List.of(), "check", "-c", config.toString(), "--rsa-signing", "libcrypto")) {
            assertThat(check.awaitExit(Duration.ofSeconds(30))).as(check.stderr()).isZero();
            assertThat(check.stdout()).contains("key RSA (signs with libcrypto, OpenSSL 3.");
        }
    }

    /** One bad input: the exit code, a message naming the field and the fix, and no stack trace. */
    private void assertRefused(Path config, int exitCode, String... messageParts) throws Exception {
        try (GatehouseProcess run = GatehouseProcess.start(dir, List.of(), "run", "-c", config.toString())) {
            assertThat(run.awaitExit(Duration.ofSeconds(30))).as(run.stderr()).isEqualTo(exitCode);
            assertThat(run.stderr()).contains(messageParts).doesNotContain("\tat ").doesNotContain("listener ready");
        }
    }

    @Test
    void aMissingCertificateFileIsAConfigurationError() throws Exception {
        assertRefused(yaml("missing.yaml", httpListenerYaml("127.0.0.1:0", dir.resolve("nope.pem").toString(), "127.0.0.1:1")), 2,
                "listeners[0].certificates[0].pem: " + dir.resolve("nope.pem") + " does not exist (check the path");
    }

    @Test
    void aKeyThatDoesNotMatchItsCertificateIsAConfigurationError() throws Exception {
        ThrowawayPki.Issued other = pki.pki.server(pki.intermediate, ThrowawayPki.KeyType.EC, List.of("other"), List.of());
        Path pem = pki.writeCombined("mismatch.pem", pki.server.certificatePem() + other.privateKeyPem());
        assertRefused(yaml("mismatch.yaml", httpListenerYaml("127.0.0.1:0", pem.toString(), "127.0.0.1:1")), 2,
                "listeners[0].certificates[0].pem: the private key in " + pem + " does not match any certificate there");
    }

    @Test
    void anEmptyPemIsAConfigurationError() throws Exception {
        Path pem = pki.writeCombined("empty.pem", "");
        assertRefused(yaml("empty.yaml", httpListenerYaml("127.0.0.1:0", pem.toString(), "127.0.0.1:1")), 2,
                "listeners[0].certificates[0].pem: " + pem + " contains no PEM certificate or key");
    }

    @Test
    void anUnknownFieldIsAConfigurationErrorNamingItsPath() throws Exception {
        assertRefused(yaml("unknown.yaml", httpListenerYaml("127.0.0.1:0", pki.serverPem.toString(), "127.0.0.1:1")
                .replace("    mode: http", "    mood: http")), 2, "listeners[0].mood: unknown field");
    }

    @Test
    void anUnresolvableBackendIsAConfigurationError() throws Exception {
        assertRefused(yaml("unresolvable.yaml", httpListenerYaml("127.0.0.1:0", pki.serverPem.toString(), "no-such-host.invalid:35357")), 2,
                "backends.keystone.servers[0]: 'no-such-host.invalid' cannot be resolved");
    }

    @Test
    void aPortInUseIsARuntimeErrorAndNothingIsLeftHalfStarted() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Path config = yaml("busy.yaml", """
                    listeners:
                      - {name: free, bind: "127.0.0.1:0", certificates: [{pem: %1$s}], backend: b}
                      - {name: busy, bind: "127.0.0.1:%2$d", certificates: [{pem: %1$s}], backend: b}
                    backends: {b: {servers: ["127.0.0.1:1"]}}
                    """.formatted(pki.serverPem, taken.getLocalPort()));
            try (GatehouseProcess run = GatehouseProcess.start(dir, List.of(), "run", "-c", config.toString())) {
                assertThat(run.awaitExit(Duration.ofSeconds(30))).as(run.stderr()).isEqualTo(1);
                assertThat(run.stderr()).contains("gatehouse: cannot start: listeners[1].bind: 127.0.0.1:" + taken.getLocalPort()
                        + " is already in use").contains("Nothing was left running.").doesNotContain("\tat ");
            }
        }
    }

    @Test
    void debugAddsTheStackTrace() throws Exception {
        Path config = yaml("debug.yaml", httpListenerYaml("127.0.0.1:0", dir.resolve("nope.pem").toString(), "127.0.0.1:1"));
        try (GatehouseProcess run = GatehouseProcess.start(dir, List.of(), "run", "-c", config.toString(), "--debug")) {
            assertThat(run.awaitExit(Duration.ofSeconds(30))).isEqualTo(2);
            assertThat(run.stderr()).contains("\tat io.gatehouse.");
        }
    }

    @Test
    void usageErrorsExit2WithAPointerToHelp() throws Exception {
        try (GatehouseProcess run = GatehouseProcess.start(dir, List.of(), "run", "-c", "x.yaml", "--no-such-flag")) {
            assertThat(run.awaitExit(Duration.ofSeconds(30))).isEqualTo(2);
            assertThat(run.stderr()).contains("gatehouse: Unknown option: '--no-such-flag'").contains("gatehouse run --help");
        }
    }

    @Test
    void theAdminEndpointReportsHealth() throws Exception {
        Path config = yaml("admin.yaml", httpListenerYaml("127.0.0.1:0", pki.serverPem.toString(), "127.0.0.1:" + backend.address().getPort()));
        try (GatehouseProcess gatehouse = GatehouseProcess.start(dir, List.of(), "run", "-c", config.toString())) {
            gatehouse.awaitListener();
            await().atMost(Duration.ofSeconds(10)).until(() -> gatehouse.stderr().contains("admin ready address="));
            String address = gatehouse.stderr().replaceAll("(?s).*admin ready address=(\\S+).*", "$1");
            HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://" + address + "/healthz"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).contains("\"status\":\"ok\"").contains("\"name\":\"keystone-public\"")
                    .contains("\"default_certificate\":\"server\"");
            stopCleanly(gatehouse);
        }
    }

}
