package io.gatehouse.proxy.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gatehouse.ocsp.testing.TestOcspResponder;
import io.gatehouse.ocsp.testing.TestOcspResponder.Fault;
import io.gatehouse.proxy.Gatehouse;
import io.gatehouse.proxy.GatehouseFixture;
import io.gatehouse.proxy.NoLeaks;
import io.gatehouse.proxy.ProcessRun;
import io.gatehouse.proxy.TestPki;
import io.gatehouse.proxy.cli.Main;
import io.gatehouse.proxy.demo.DemoBackend;
import io.gatehouse.sni.ThrowawayPki;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SSLSocket;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** OCSP stapling end to end: real listeners, a live responder, openssl and JDK clients asking for the staple. */
@ExtendWith(NoLeaks.class)
class OcspStaplingTest {

    static final Duration DEADLINE = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    TestPki pki;
    DemoBackend backend;
    TestOcspResponder responder;
    Gatehouse gatehouse;

    @BeforeEach
    void start() throws Exception {
        pki = new TestPki(dir);
        backend = DemoBackend.start("127.0.0.1", 0);
    }

    @AfterEach
    void stop() {
        if (gatehouse != null) {
            gatehouse.close();
        }
        if (responder != null) {
            responder.close();
        }
        backend.close();
    }

    /** A certificate for localhost whose AIA names {@code ocspUri}, written as a combined PEM. */
    private ThrowawayPki.Issued certificate(URI ocspUri, boolean mustStaple) throws Exception {
        ThrowawayPki.Issued leaf = pki.pki.serverWithOcsp(pki.intermediate, ThrowawayPki.KeyType.EC, List.of("localhost"), ocspUri, mustStaple);
        Files.writeString(dir.resolve("keystone.pem"), ThrowawayPki.combinedPem(leaf, pki.intermediate));
        return leaf;
    }

    private Gatehouse startGatehouse(String ocspBlock, String certificateExtra) throws Exception {
        return GatehouseFixture.start(dir, """
                listeners:
                  - {name: public, bind: "127.0.0.1:0", certificates: [{pem: keystone.pem%s}], backend: app}
                backends: {app: {servers: ["127.0.0.1:%d"]}}
                admin: {bind: "127.0.0.1:0"}
                ocsp: {cache-dir: %s, min-delay: 200ms, max-delay: 2s, timeout: 1s%s}
                trust: %s
                """.formatted(certificateExtra, backend.address().getPort(), dir.resolve("ocsp-cache"), ocspBlock, pki.rootPem));
    }

    private int port() {
        return gatehouse.address("public").getPort();
    }

    /** What {@code openssl s_client -status} reports about the staple, and any alert (which it prints to stderr). */
    private String opensslStatus() throws Exception {
        ProcessRun run = ProcessRun.run(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port(), "-servername", "localhost",
                "-status", "-CAfile", pki.rootPem.toString()), "");
        return run.stdout() + run.stderr();
    }

    private void awaitStaple(Predicate<String> condition) {
        await().atMost(DEADLINE).pollInterval(Duration.ofMillis(200)).until(() -> condition.test(opensslStatus()));
    }

    private String admin(String path) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + gatehouse.adminAddress().orElseThrow().getPort() + path);
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    record CheckRun(int exitCode, String out) {
    }

    /** {@code gatehouse check} of a one-listener configuration serving keystone.pem. */
    private CheckRun check() throws Exception {
        Path config = Files.writeString(dir.resolve("check.yaml"), """
                listeners:
                  - {name: public, bind: "127.0.0.1:0", certificates: [{pem: keystone.pem}], backend: app}
                backends: {app: {servers: ["127.0.0.1:1"]}}
                trust: %s
                """.formatted(pki.rootPem));
        StringWriter out = new StringWriter();
        int code = Main.execute(new PrintWriter(out, true), new PrintWriter(new StringWriter(), true), "check", "-c", config.toString());
        return new CheckRun(code, out.toString());
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Test
    void aGoodResponseIsStapledAndVerifiesForOpensslAndTheJdkClient() throws Exception {
        responder = new TestOcspResponder(pki.pki, pki.intermediate);
        ThrowawayPki.Issued leaf = certificate(responder.uri(), false);
        gatehouse = startGatehouse("", "");
        awaitStaple(out -> out.contains("OCSP Response Status: successful") && out.contains("Cert Status: good"));

        try (SSLSocket socket = (SSLSocket) pki.clientContext().getSocketFactory().createSocket("localhost", port())) {
            socket.startHandshake();
            List<byte[]> staples = ((ExtendedSSLSession) socket.getSession()).getStatusResponses();
            assertThat(staples).hasSize(1);
            BasicOCSPResp basic = (BasicOCSPResp) new OCSPResp(staples.get(0)).getResponseObject();
            assertThat(basic.getResponses()[0].getCertStatus()).isEqualTo(CertificateStatus.GOOD);
        }

        // The staple on disk is the one sent; openssl verifies it against the chain on its own.
        Path cached = dir.resolve("ocsp-cache/keystone.ocsp");
        Files.writeString(dir.resolve("leaf.pem"), leaf.certificatePem());
        Files.writeString(dir.resolve("issuer.pem"), pki.intermediate.certificatePem());
        Files.writeString(dir.resolve("chain-and-root.pem"), pki.intermediate.certificatePem() + pki.root.certificatePem());
        ProcessRun verify = ProcessRun.run(List.of("openssl", "ocsp", "-respin", cached.toString(), "-issuer", dir.resolve("issuer.pem").toString(),
                "-cert", dir.resolve("leaf.pem").toString(), "-CAfile", dir.resolve("chain-and-root.pem").toString()), null);
        assertThat(verify.stderr() + verify.stdout()).contains("Response verify OK").contains(": good");
        assertThat(admin("/metrics")).contains("gatehouse_ocsp_stapling{nickname=\"keystone\"} 1.0");
    }

    @Test
    void aRealOpensslResponderWithATestTimeCaDatabaseIsStapledThroughTheResponderOverride() throws Exception {
        ThrowawayPki.Issued leaf = certificate(URI.create("http://unreachable.invalid/ocsp"), false);
        ThrowawayPki.Issued signer = pki.pki.ocspResponder(pki.intermediate, "openssl responder");
        Files.writeString(dir.resolve("responder.pem"), signer.certificatePem());
        Files.writeString(dir.resolve("responder.key"), signer.privateKeyPem());
        Files.writeString(dir.resolve("issuer.pem"), pki.intermediate.certificatePem());
        String expiry = java.time.format.DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'").withZone(java.time.ZoneOffset.UTC)
                .format(leaf.certificate().getNotAfter().toInstant());
        String serial = leaf.certificate().getSerialNumber().toString(16).toUpperCase(java.util.Locale.ROOT);
        Files.writeString(dir.resolve("index.txt"), "V\t" + expiry + "\t\t" + (serial.length() % 2 == 0 ? serial : "0" + serial)
                + "\tunknown\t/CN=localhost\n");
        Process openssl = new ProcessBuilder("openssl", "ocsp", "-index", dir.resolve("index.txt").toString(), "-port", "0",
                "-rsigner", dir.resolve("responder.pem").toString(), "-rkey", dir.resolve("responder.key").toString(),
                "-CA", dir.resolve("issuer.pem").toString(), "-nmin", "10", "-ignore_err").redirectErrorStream(true).start();
        try {
            java.io.BufferedReader out = new java.io.BufferedReader(new java.io.InputStreamReader(openssl.getInputStream()));
            String accept = out.readLine();
            assertThat(accept).startsWith("ACCEPT ");
            int opensslPort = Integer.parseInt(accept.replaceAll(".*:(\\d+) .*", "$1"));
            gatehouse = startGatehouse(", responder: \"http://127.0.0.1:" + opensslPort + "/\"", "");
            awaitStaple(status -> status.contains("Cert Status: good") && status.contains("CN = openssl responder"));
        } finally {
            openssl.destroy();
        }
    }

    @Test
    void theListenerServesAtOnceWhileTheResponderIsDownAndStaplesWhenItStarts() throws Exception {
        int responderPort = freePort();
        certificate(URI.create("http://127.0.0.1:" + responderPort + "/ocsp"), false);
        gatehouse = startGatehouse("", "");
        assertThat(opensslStatus()).contains("OCSP response: no response sent").contains("Verify return code: 0 (ok)");
        responder = new TestOcspResponder(pki.pki, pki.intermediate, responderPort);
        awaitStaple(out -> out.contains("Cert Status: good"));
    }

    @Test
    void slowGarbageMisSignedAndExpiredResponsesAreNeverStapledAndAreCountedByReason() throws Exception {
        responder = new TestOcspResponder(pki.pki, pki.intermediate);
        certificate(responder.uri(), false);
        for (Fault fault : List.of(Fault.SLOW, Fault.GARBAGE, Fault.WRONG_KEY, Fault.EXPIRED, Fault.OTHER_SERIAL)) {
            responder.fault(fault);
            if (gatehouse == null) {
                gatehouse = startGatehouse("", "");
            }
            String outcome = switch (fault) {
                case SLOW -> "unreachable";
                case GARBAGE -> "malformed";
                case WRONG_KEY -> "signature";
                case EXPIRED -> "expired";
                default -> "cert_id";
            };
            await().atMost(DEADLINE).until(() -> admin("/metrics").contains("gatehouse_ocsp_responses_total{nickname=\"keystone\",outcome=\""
                    + outcome + "\"}"));
            assertThat(opensslStatus()).contains("OCSP response: no response sent");
        }
        responder.releaseSlowRequests();
        responder.fault(Fault.NONE);
        awaitStaple(out -> out.contains("Cert Status: good"));
    }

    @Test
    void aRevokedCertificateIsStapledAsRevokedAndSaidLoudly() throws Exception {
        responder = new TestOcspResponder(pki.pki, pki.intermediate);
        ThrowawayPki.Issued leaf = certificate(responder.uri(), false);
        responder.revoke(leaf.certificate());
        gatehouse = startGatehouse("", "");
        awaitStaple(out -> out.contains("Cert Status: revoked"));
        assertThat(admin("/healthz")).contains("\"nickname\":\"keystone\",\"status\":\"revoked\"").contains("\"revoked_at\":");
        assertThat(admin("/metrics")).contains("gatehouse_ocsp_revoked{nickname=\"keystone\"} 1.0");
    }

    @Test
    void stopServingRefusesHandshakesForARevokedCertificate() throws Exception {
        responder = new TestOcspResponder(pki.pki, pki.intermediate);
        ThrowawayPki.Issued leaf = certificate(responder.uri(), false);
        responder.revoke(leaf.certificate());
        gatehouse = startGatehouse(", on-revoked: stop-serving", "");
        await().atMost(DEADLINE).until(() -> admin("/healthz").contains("\"status\":\"revoked\""));
        assertThat(opensslStatus()).contains("alert handshake failure").contains("no peer certificate available");
        assertThat(admin("/metrics")).contains("gatehouse_tls_handshake_failures_total{listener=\"public\",reason=\"revoked\"}");
    }

    @Test
    void aRenewedResponderCertificateBetweenRefreshesKeepsTheStapleFlowing() throws Exception {
        responder = new TestOcspResponder(pki.pki, pki.intermediate);
        responder.validity(Duration.ofSeconds(2));
        certificate(responder.uri(), false);
        gatehouse = startGatehouse("", "");
        awaitStaple(out -> out.contains("Cert Status: good"));
        responder.renewSigner("test OCSP responder renewed");
        int before = responder.requests();
        await().atMost(DEADLINE).until(() -> responder.requests() >= before + 2);
        String metrics = admin("/metrics");
        assertThat(metrics).doesNotContain("outcome=\"signature\"");
        awaitStaple(out -> out.contains("Cert Status: good") && out.contains("test OCSP responder renewed"));
    }

    @Test
    void theLastGoodStapleKeepsBeingSentThroughAResponderOutage() throws Exception {
        responder = new TestOcspResponder(pki.pki, pki.intermediate);
        certificate(responder.uri(), false);
        gatehouse = startGatehouse("", "");
        awaitStaple(out -> out.contains("Cert Status: good"));
        responder.fault(Fault.HTTP_500);
        // max-delay is 2s, so refreshes are attempted and fail while the hour-long response stays valid.
        await().atMost(DEADLINE).until(() -> admin("/metrics").matches("(?s).*outcome=\"unreachable\"} [2-9].*"));
        assertThat(opensslStatus()).contains("Cert Status: good");
    }

    @Test
    void disablingStaplingAsksNoResponder() throws Exception {
        responder = new TestOcspResponder(pki.pki, pki.intermediate);
        certificate(responder.uri(), false);
        gatehouse = startGatehouse(", enabled: false", "");
        assertThat(opensslStatus()).contains("OCSP response: no response sent");
        assertThat(responder.requests()).isZero();
        assertThat(admin("/healthz")).contains("\"ocsp\":[]");
    }

    @Test
    void checkReportsARevokedCertificateAsAnError() throws Exception {
        responder = new TestOcspResponder(pki.pki, pki.intermediate);
        ThrowawayPki.Issued leaf = certificate(responder.uri(), false);
        responder.revoke(leaf.certificate());
        CheckRun check = check();
        assertThat(check.exitCode()).isEqualTo(2);
        assertThat(check.out()).contains("last response revoked").contains("ERROR keystone (pem " + dir.resolve("keystone.pem")
                + "): its OCSP responder says it was revoked at ");
    }

    @Test
    void anExpiredStapleStopsBeingSentAndIsCounted() throws Exception {
        responder = new TestOcspResponder(pki.pki, pki.intermediate);
        responder.validity(Duration.ofSeconds(3));
        certificate(responder.uri(), false);
        gatehouse = startGatehouse("", "");
        awaitStaple(out -> out.contains("Cert Status: good"));
        responder.fault(Fault.HTTP_500);
        await().atMost(DEADLINE).until(() -> admin("/metrics").contains("gatehouse_ocsp_staple_expired_total{nickname=\"keystone\"} 1.0"));
        assertThat(opensslStatus()).contains("OCSP response: no response sent");
    }

    @Test
    void aRestartWhileTheResponderIsDownStaplesFromTheDiskCache() throws Exception {
        responder = new TestOcspResponder(pki.pki, pki.intermediate);
        certificate(responder.uri(), false);
        gatehouse = startGatehouse("", "");
        awaitStaple(out -> out.contains("Cert Status: good"));
        await().atMost(DEADLINE).until(() -> Files.exists(dir.resolve("ocsp-cache/keystone.ocsp")));
        gatehouse.close();
        responder.close();
        responder = null;
        gatehouse = startGatehouse("", "");
        awaitStaple(out -> out.contains("Cert Status: good"));
    }

    @Test
    void anOperatorStapleFileIsVerifiedAndStapledWithoutAskingTheResponder() throws Exception {
        responder = new TestOcspResponder(pki.pki, pki.intermediate);
        ThrowawayPki.Issued leaf = certificate(responder.uri(), false);
        Files.write(dir.resolve("keystone.der"), responder.goodResponseFor(leaf.certificate()));
        gatehouse = startGatehouse("", ", ocsp: {staple-file: keystone.der}");
        awaitStaple(out -> out.contains("Cert Status: good"));
        assertThat(responder.requests()).isZero();
    }

    @Test
    void checkShowsTheResponderTheStatusItsAgeAndNextUpdateAndWarnsForMustStaple() throws Exception {
        responder = new TestOcspResponder(pki.pki, pki.intermediate);
        certificate(responder.uri(), false);
        CheckRun check = check();
        assertThat(check.exitCode()).isZero();
        assertThat(check.out()).containsPattern("    ocsp: responder " + responder.uri() + "; source responder; last response good, produced \\S+"
                + " \\(\\d+ min ago\\), next update \\S+; stapling");

        int down = freePort();
        certificate(URI.create("http://127.0.0.1:" + down + "/ocsp"), true);
        check = check();
        assertThat(check.exitCode()).isZero();
        assertThat(check.out()).contains("; no valid response (").contains("; must-staple")
                .contains("WARNING keystone (pem " + dir.resolve("keystone.pem") + "): it is must-staple (TLS Feature status_request)"
                        + " but no valid OCSP response is available");
    }
}
