package io.gatehouse.proxy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.proxy.TestPki;
import io.gatehouse.sni.ThrowawayPki;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every finding of {@code gatehouse check}, each on one line with nickname, source, problem and fix. */
class CheckFindingsTest {

    @TempDir
    Path dir;

    TestPki pki;

    record Result(int exitCode, String out, String err) {
    }

    @BeforeEach
    void pki() throws Exception {
        pki = new TestPki(dir);
    }

    private Result check(String yaml, String... options) throws Exception {
        Path file = Files.writeString(dir.resolve("check.yaml"), yaml);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> arguments = new java.util.ArrayList<>(List.of("check", "-c", file.toString()));
        arguments.addAll(List.of(options));
        int code = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), arguments.toArray(String[]::new));
        return new Result(code, out.toString(), err.toString());
    }

    private String listenerWith(String certificates, String extra) {
        return """
                listeners:
                  - name: public
                    bind: "127.0.0.1:13000"
                    certificates: %s
                    backend: app
                %s
                backends: {app: {servers: ["127.0.0.1:5000"]}}
                trust: %s
                """.formatted(certificates, extra, pki.rootPem);
    }

    private Path pem(String name, ThrowawayPki.Issued leaf, boolean withChain) throws Exception {
        return Files.writeString(dir.resolve(name), withChain ? ThrowawayPki.combinedPem(leaf, pki.intermediate)
                : leaf.certificatePem() + leaf.privateKeyPem());
    }

    private ThrowawayPki.Issued leaf(String name, Instant notBefore, Instant notAfter, boolean serverAuth) {
        return pki.pki.server(pki.intermediate, ThrowawayPki.KeyType.EC, name, List.of(name), List.of(), notBefore, notAfter, serverAuth);
    }

    private ThrowawayPki.Issued goodLeaf(String name) {
        return leaf(name, Instant.now().minus(Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(90)), true);
    }

    @Test
    void aHealthyConfigurationPassesAndSaysWhichCertificateIsTheDefault() throws Exception {
        pem("first.pem", goodLeaf("first.example.com"), true);
        pem("second.pem", goodLeaf("second.example.com"), true);
        Result result = check(listenerWith("[{pem: first.pem}, {pem: second.pem}]", "    default-certificate: second"));
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains("  certificate second (default): pem " + dir.resolve("second.pem"))
                .contains("  certificate first: pem ").contains("OK: 1 listener(s), 2 certificate(s), 1 backend(s)")
                .doesNotContain("ERROR").doesNotContain("WARNING");
    }

    @Test
    void anRsaCertificateSaysWhichLibrarySignsForIt() throws Exception {
        Files.writeString(dir.resolve("rsa.pem"), ThrowawayPki.combinedPem(pki.pki.server(pki.intermediate, ThrowawayPki.KeyType.RSA,
                "rsa.example.com", List.of("rsa.example.com"), List.of()), pki.intermediate));
        String yaml = listenerWith("[{pem: rsa.pem}]", "");

        assertThat(check(yaml).out()).containsPattern("; key RSA \\(signs with libcrypto, OpenSSL 3\\.[0-9.]+ .*\\); names \\[rsa.example.com\\]");
        assertThat(check(yaml + "rsa-signing: boringssl\n").out()).contains("; key RSA (signs with BoringSSL); names [rsa.example.com]");
        Result fromTheCommandLine = check(yaml, "--rsa-signing", "boringssl");
        assertThat(fromTheCommandLine.out()).contains("; key RSA (signs with BoringSSL); names");
        Result bad = check(yaml, "--rsa-signing", "fastest");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).contains("--rsa-signing: 'fastest' is not one of auto, libcrypto, boringssl");
    }

    @Test
    void routesAndARedirectListenerAreListed() throws Exception {
        pem("first.pem", goodLeaf("first.example.com"), true);
        Result result = check("""
                listeners:
                  - name: public
                    bind: "127.0.0.1:13000"
                    certificates: [{pem: first.pem}]
                    routes:
                      - {host: compute.example.com, backend: nova}
                      - {path-prefix: /placement, strip-prefix: true, backend: placement}
                  - {name: plain, bind: "127.0.0.1:13080", redirect: https}
                backends:
                  nova: {servers: ["127.0.0.1:8774"]}
                  placement: {servers: ["127.0.0.1:8778"]}
                trust: %s
                """.formatted(pki.rootPem));
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out())
                .contains("listener public: bind 127.0.0.1:13000, mode http, forwards to nova [127.0.0.1:8774]; placement [127.0.0.1:8778]")
                .contains("  route compute.example.com -> nova\n")
                .contains("  route any host /placement (prefix stripped) -> placement\n")
                .contains("listener plain: bind 127.0.0.1:13080, mode redirect, redirects every request to https")
                .contains("OK: 2 listener(s), 1 certificate(s), 2 backend(s)");
    }

    @Test
    void anExpiredCertificateIsAnError() throws Exception {
        Instant notAfter = Instant.now().minus(Duration.ofDays(2));
        pem("old.pem", leaf("old.example.com", notAfter.minus(Duration.ofDays(30)), notAfter, true), true);
        Result result = check(listenerWith("[{pem: old.pem}]", ""));
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.out()).containsPattern("ERROR old \\(pem " + java.util.regex.Pattern.quote(dir.resolve("old.pem").toString())
                + "\\): expired on \\S+ \\(renew it; 'getcert list' shows whether certmonger tracks it\\)")
                .contains("FAILED: 1 error(s), 0 warning(s)");
    }

    @Test
    void aCertificateNotYetValidIsAnError() throws Exception {
        pem("future.pem", leaf("future.example.com", Instant.now().plus(Duration.ofDays(2)), Instant.now().plus(Duration.ofDays(60)), true), true);
        Result result = check(listenerWith("[{pem: future.pem}]", ""));
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.out()).contains("ERROR future (pem ").contains("): not valid until ").contains("check this machine's clock");
    }

    @Test
    void expiryWithinThirtyDaysIsAWarningThatDoesNotFailTheCheck() throws Exception {
        pem("soon.pem", leaf("soon.example.com", Instant.now().minus(Duration.ofDays(80)), Instant.now().plus(Duration.ofDays(10)), true), true);
        Result result = check(listenerWith("[{pem: soon.pem}]", ""));
        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).containsPattern("WARNING soon \\(pem .*\\): expires on \\S+, in (9|10) days \\(renew it before then\\)")
                .contains("OK: 1 listener(s), 1 certificate(s), 1 backend(s), 1 warning(s)");
    }

    @Test
    void aCertificateWithoutServerAuthIsAnError() throws Exception {
        pem("client-only.pem", leaf("client.example.com", Instant.now().minus(Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(90)), false), true);
        Result result = check(listenerWith("[{pem: client-only.pem}]", ""));
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.out()).contains("ERROR client-only (pem ").contains("its extended key usage does not include serverAuth")
                .contains("getcert resubmit -U id-kp-serverAuth");
    }

    @Test
    void aChainMissingItsIntermediateIsAnError() throws Exception {
        pem("leaf-only.pem", goodLeaf("leaf.example.com"), false);
        Result result = check(listenerWith("[{pem: leaf-only.pem}]", ""));
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.out()).contains("ERROR leaf-only (pem ").contains("the chain ends at CN=Gatehouse test intermediate, which is not a CA in " + pki.rootPem)
                .contains("append the intermediate CA certificates to the file");
    }

    @Test
    void aChainFromAnotherCaThanTrustIsAnError() throws Exception {
        ThrowawayPki.Issued otherRoot = pki.pki.root("other root");
        ThrowawayPki.Issued otherLeaf = pki.pki.server(otherRoot, ThrowawayPki.KeyType.EC, List.of("x.example.com"), List.of());
        Files.writeString(dir.resolve("foreign.pem"), ThrowawayPki.combinedPem(otherLeaf));
        Result result = check(listenerWith("[{pem: foreign.pem}]", ""));
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.out()).contains("ERROR foreign (pem ").contains("the chain ends at CN=other root, which is not a CA in " + pki.rootPem);
    }

    @Test
    void duplicateNicknamesAcrossListenersNameBothSources() throws Exception {
        Files.createDirectories(dir.resolve("internal_api"));
        Files.createDirectories(dir.resolve("storage"));
        pem("internal_api/server.pem", goodLeaf("a.example.com"), true);
        pem("storage/server.pem", goodLeaf("b.example.com"), true);
        Result result = check("""
                listeners:
                  - {name: internal_api, bind: "127.0.0.1:13001", certificates: [{pem: internal_api/server.pem}], backend: app}
                  - {name: storage, bind: "127.0.0.1:13002", certificates: [{pem: storage/server.pem}], backend: app}
                backends: {app: {servers: ["127.0.0.1:5000"]}}
                """);
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("listeners[1].certificates[0]: nickname 'server' is used by two different sources: "
                + "listeners[0].certificates[0] (pem " + dir.resolve("internal_api/server.pem") + ") and listeners[1].certificates[0] (pem "
                + dir.resolve("storage/server.pem") + ") (set a distinct nickname: on one of them)");
    }

    @Test
    void aVhostNoCertificateCoversIsAnError() throws Exception {
        pem("vip.pem", goodLeaf("vip.example.com"), true);
        Result result = check(listenerWith("[{pem: vip.pem}]", "    hosts: [{name: nova.example.com, protocols: [TLSv1.3]}]"));
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("listeners[0].hosts[0].name: no certificate of listener public carries nova.example.com,"
                + " so its settings would never apply (add a certificate for that name, or correct the name)");
    }

    @Test
    void anUnknownDefaultCertificateIsAnError() throws Exception {
        pem("vip.pem", goodLeaf("vip.example.com"), true);
        Result result = check(listenerWith("[{pem: vip.pem}]", "    default-certificate: nope"));
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("listeners[0].default-certificate: 'nope' is not a certificate of this listener (use one of vip)");
    }

    @Test
    void twoCertificatesClaimingOneNameWithOneKeyTypeAreAnError() throws Exception {
        pem("one.pem", goodLeaf("same.example.com"), true);
        pem("two.pem", goodLeaf("same.example.com"), true);
        Result result = check(listenerWith("[{pem: one.pem}, {pem: two.pem}]", ""));
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("listener public: certificates 'one' and 'two' both claim same.example.com with a EC key");
    }

    @Test
    void aWrongPasswordNamesTheFileAndTheFix() throws Exception {
        ThrowawayPki.Issued leaf = goodLeaf("enc.example.com");
        Path plain = Files.writeString(dir.resolve("plain.key"), leaf.privateKeyPem());
        Files.writeString(dir.resolve("enc.crt"), leaf.certificatePem() + pki.intermediate.certificatePem());
        var run = io.gatehouse.proxy.ProcessRun.run(List.of("openssl", "pkcs8", "-topk8", "-v2", "aes-256-cbc", "-in", plain.toString(),
                "-out", dir.resolve("enc.key").toString(), "-passout", "pass:right"), null);
        assertThat(run.exitCode()).isZero();
        Files.writeString(dir.resolve("wrong.txt"), "wrong\n");
        Result result = check(listenerWith("[{cert: enc.crt, key: enc.key, password-file: wrong.txt}]", ""));
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("listeners[0].certificates[0].key: the private key in " + dir.resolve("enc.key")
                + " cannot be decrypted with the password given");
    }

    @Test
    void anEncryptedKeyWithoutAPasswordFileAsksForOne() throws Exception {
        ThrowawayPki.Issued leaf = goodLeaf("enc.example.com");
        Path plain = Files.writeString(dir.resolve("plain.key"), leaf.privateKeyPem());
        Files.writeString(dir.resolve("enc.crt"), leaf.certificatePem());
        io.gatehouse.proxy.ProcessRun.run(List.of("openssl", "pkcs8", "-topk8", "-v2", "aes-256-cbc", "-in", plain.toString(),
                "-out", dir.resolve("enc.key").toString(), "-passout", "pass:right"), null);
        Result result = check(listenerWith("[{cert: enc.crt, key: enc.key}]", ""));
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("enc.key holds an encrypted private key (add password-file: naming a file that holds its password)");
    }
}
