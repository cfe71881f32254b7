package io.gatehouse.proxy.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.gatehouse.proxy.Gatehouse;
import io.gatehouse.proxy.GatehouseFixture;
import io.gatehouse.proxy.NoLeaks;
import io.gatehouse.proxy.ProcessRun;
import io.gatehouse.proxy.TestPki;
import io.gatehouse.proxy.demo.DemoBackend;
import io.gatehouse.sni.ThrowawayPki;
import java.io.FileOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slf4j.LoggerFactory;

/** Which certificate a real client gets, for every source type and selection rule, on real listeners. */
@ExtendWith(NoLeaks.class)
class CertificateSelectionTest {

    @TempDir
    static Path dir;

    static TestPki pki;
    static ThrowawayPki.Issued clientCa;
    static DemoBackend backend;
    static Gatehouse gatehouse;

    @BeforeAll
    static void start() throws Exception {
        pki = new TestPki(dir);
        ThrowawayPki mint = pki.pki;
        Files.writeString(dir.resolve("password.txt"), "s3cret\n");

        write("vip-ec.pem", combined(server(ThrowawayPki.KeyType.EC, List.of("overcloud.example.com"), List.of("127.0.0.1"))));
        ThrowawayPki.Issued vipRsa = server(ThrowawayPki.KeyType.RSA, List.of("overcloud.example.com"), List.of());
        write("vip-rsa.crt", vipRsa.certificatePem());
        write("vip-rsa.key", vipRsa.privateKeyPem());
        write("chain.pem", pki.intermediate.certificatePem());

        ThrowawayPki.Issued wildcard = server(ThrowawayPki.KeyType.EC, List.of("*.cloud.example.com"), List.of());
        KeyStore p12 = KeyStore.getInstance("PKCS12");
        p12.load(null, null);
        p12.setKeyEntry("wildcard", wildcard.keys().getPrivate(), "s3cret".toCharArray(),
                new X509Certificate[] {wildcard.certificate(), pki.intermediate.certificate()});
        try (FileOutputStream out = new FileOutputStream(dir.resolve("wild.p12").toFile())) {
            p12.store(out, "s3cret".toCharArray());
        }

        ThrowawayPki.Issued keystone = server(ThrowawayPki.KeyType.EC, List.of("keystone.example.com"), List.of());
        write("keystone.crt", keystone.certificatePem() + pki.intermediate.certificatePem());
        write("keystone.plain.key", keystone.privateKeyPem());
        openssl("pkcs8", "-topk8", "-v2", "aes-256-cbc", "-in", "keystone.plain.key", "-out", "keystone.key", "-passout", "pass:s3cret");

        ThrowawayPki.Issued nova = server(ThrowawayPki.KeyType.RSA, List.of("nova.example.com"), List.of());
        write("nova.plain.key", nova.privateKeyPem());
        openssl("rsa", "-in", "nova.plain.key", "-aes256", "-traditional", "-out", "nova.key", "-passout", "pass:s3cret");
        assertThat(Files.readString(dir.resolve("nova.key"))).contains("Proc-Type: 4,ENCRYPTED");
        write("nova.pem", nova.certificatePem() + Files.readString(dir.resolve("nova.key")) + pki.intermediate.certificatePem());

        Files.createDirectories(dir.resolve("certs"));
        write("certs/glance.pem", combined(server(ThrowawayPki.KeyType.EC, List.of("glance.example.com"), List.of())));
        write("certs/placement.pem", combined(server(ThrowawayPki.KeyType.EC, List.of("placement.example.com"), List.of())));
        write("certs/placement.pem.bak", "ignored, as HAProxy ignores it");

        write("default.pem", combined(server(ThrowawayPki.KeyType.EC, List.of("default.example.com"), List.of())));
        write("internal.pem", combined(server(ThrowawayPki.KeyType.EC, List.of("overcloud.example.com"), List.of())));
        write("vhosts.pem", combined(server(ThrowawayPki.KeyType.EC,
                List.of("secure.example.com", "open.example.com", "legacy.example.com"), List.of())));

        clientCa = mint.root("client CA");
        write("client-ca.pem", clientCa.certificatePem());

        backend = DemoBackend.start("127.0.0.1", 0);
        gatehouse = GatehouseFixture.start(dir, """
                listeners:
                  - name: public
                    bind: "127.0.0.1:0"
                    certificates:
                      - pem: vip-ec.pem
                      - {cert: vip-rsa.crt, key: vip-rsa.key, chain: chain.pem, nickname: vip-rsa}
                      - {pkcs12: wild.p12, password-file: password.txt}
                      - {cert: keystone.crt, key: keystone.key, password-file: password.txt}
                      - {pem: nova.pem, password-file: password.txt}
                      - dir: certs
                      - pem: default.pem
                    default-certificate: default
                    backend: app
                  - name: internal_api
                    bind: "127.0.0.1:0"
                    certificates: [{pem: internal.pem}]
                    strict-sni: true
                    backend: app
                  - name: vhosts
                    bind: "127.0.0.1:0"
                    certificates: [{pem: vhosts.pem}]
                    hosts:
                      - {name: secure.example.com, client-ca: client-ca.pem, client-auth: require}
                      - {name: legacy.example.com, protocols: [TLSv1.2], ciphers: [TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384]}
                    backend: app
                backends:
                  app: {servers: ["127.0.0.1:%d"]}
                """.formatted(backend.address().getPort()));
    }

    @AfterAll
    static void stop() {
        gatehouse.close();
        backend.close();
    }

    private static ThrowawayPki.Issued server(ThrowawayPki.KeyType type, List<String> names, List<String> ips) {
        return pki.pki.server(pki.intermediate, type, names.isEmpty() ? ips.get(0) : names.get(0), names, ips);
    }

    private static String combined(ThrowawayPki.Issued issued) {
        return ThrowawayPki.combinedPem(issued, pki.intermediate);
    }

    private static void write(String name, String text) throws Exception {
        Files.writeString(dir.resolve(name), text);
    }

    /** Encrypted keys are made by openssl itself, as operators' files are. */
    private static void openssl(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("openssl"));
        for (String arg : args) {
            command.add(arg.endsWith(".key") ? dir.resolve(arg).toString() : arg);
        }
        ProcessRun run = ProcessRun.run(command, null);
        assertThat(run.exitCode()).as(run.stderr()).isZero();
    }

    private static int port(String listener) {
        return gatehouse.address(listener).getPort();
    }

    /** Handshakes as the JDK client (ECDSA-capable) with {@code sni}, or none, and returns the served leaf. */
    static X509Certificate served(String listener, String sni, SSLContext context) throws Exception {
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port(listener))) {
            socket.setSoTimeout(10_000);
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setServerNames(sni == null ? List.of() : List.of(new SNIHostName(sni)));
            socket.setSSLParameters(parameters);
            socket.startHandshake();
            return (X509Certificate) socket.getSession().getPeerCertificates()[0];
        }
    }

    static X509Certificate served(String listener, String sni) throws Exception {
        return served(listener, sni, pki.clientContext());
    }

    static String cn(X509Certificate certificate) {
        return certificate.getSubjectX500Principal().getName().replaceFirst("^CN=", "");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "overcloud.example.com, overcloud.example.com, EC",
            "keystone.example.com, keystone.example.com, EC",
            "nova.example.com, nova.example.com, RSA",
            "glance.example.com, glance.example.com, EC",
            "placement.example.com, placement.example.com, EC",
            "a.cloud.example.com, *.cloud.example.com, EC",
            "A.CLOUD.Example.COM, *.cloud.example.com, EC",
            "a.b.cloud.example.com, default.example.com, EC",
            "cloud.example.com, default.example.com, EC",
            "unknown.example.org, default.example.com, EC"})
    void eachSourceTypeServesItsNamesAndWildcardsCoverOnlyTheLeftmostLabel(String sni, String expectedCn, String keyType) throws Exception {
        X509Certificate leaf = served("public", sni);
        assertThat(cn(leaf)).isEqualTo(expectedCn);
        assertThat(leaf.getPublicKey().getAlgorithm()).isEqualTo(keyType);
    }

    @Test
    void aClientWithoutSniGetsTheCertificateWhoseIpSanIsTheListenerAddress() throws Exception {
        X509Certificate leaf = served("public", null);
        assertThat(cn(leaf)).isEqualTo("overcloud.example.com");
        assertThat(leaf.getSubjectAlternativeNames()).anySatisfy(san -> assertThat(List.copyOf(san)).isEqualTo(List.of(7, "127.0.0.1")));
    }

    @Test
    void theSameHostnameCarriesADifferentCertificateOnAnotherListener() throws Exception {
        X509Certificate publicLeaf = served("public", "overcloud.example.com");
        X509Certificate internalLeaf = served("internal_api", "overcloud.example.com");
        assertThat(cn(internalLeaf)).isEqualTo(cn(publicLeaf));
        assertThat(internalLeaf.getSerialNumber()).isNotEqualTo(publicLeaf.getSerialNumber());
        assertThat(internalLeaf.getPublicKey()).isNotEqualTo(publicLeaf.getPublicKey());
    }

    @Test
    void strictSniRefusesAnUnknownNameWithUnrecognizedName() throws Exception {
        ProcessRun run = ProcessRun.run(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port("internal_api"),
                "-servername", "unknown.example.org"), "");
        assertThat(run.exitCode()).isNotZero();
        assertThat(run.stdout() + run.stderr()).contains("unrecognized name").contains("alert number 112");
    }

    @Test
    void aLenientListenerServesTheDefaultForAnUnknownName() throws Exception {
        ProcessRun run = ProcessRun.run(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port("public"),
                "-servername", "unknown.example.org", "-CAfile", pki.rootPem.toString()), "");
        assertThat(run.stdout()).contains("subject=CN = default.example.com").contains("Verify return code: 0 (ok)");
    }

    @Test
    void strictSniStillServesKnownNames() throws Exception {
        assertThat(cn(served("internal_api", "overcloud.example.com"))).isEqualTo("overcloud.example.com");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "-tls1_3 -sigalgs rsa_pss_rsae_sha256:rsa_pkcs1_sha256 | 2048",
            "-tls1_2 -cipher ECDHE-RSA-AES128-GCM-SHA256 | 2048",
            "-tls1_3 | 256",
            "-tls1_2 -cipher ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256 | 256"})
    void aDualCertificateNameServesRsaToRsaOnlyClientsAndEcdsaToTheRest(String options, String keyBits) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port("public"),
                "-servername", "overcloud.example.com", "-CAfile", pki.rootPem.toString(), "-verify_return_error"));
        command.addAll(List.of(options.trim().split(" ")));
        ProcessRun run = ProcessRun.run(command, "");
        assertThat(run.stdout()).contains("Server public key is " + keyBits + " bit").contains("Verify return code: 0 (ok)");
    }

    @Test
    void aMutualTlsVhostAcceptsAClientCertificateFromItsCa() throws Exception {
        ThrowawayPki.Issued client = pki.pki.client(clientCa, "horizon");
        X509Certificate leaf = served("vhosts", "secure.example.com", clientContext(client));
        assertThat(cn(leaf)).isEqualTo("secure.example.com");
    }

    @Test
    void aMutualTlsVhostRejectsClientsWithoutACertificateOrFromAnotherCaAndLogsTheVhost() throws Exception {
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        Logger logger = (Logger) LoggerFactory.getLogger("io.gatehouse.proxy.HandshakeOutcomeLogger");
        logger.addAppender(log);
        try {
            assertThatThrownBy(() -> exchange("vhosts", "secure.example.com", pki.clientContext()))
                    .isInstanceOf(java.io.IOException.class);
            ThrowawayPki.Issued stranger = pki.pki.client(pki.pki.root("some other CA"), "stranger");
            assertThatThrownBy(() -> exchange("vhosts", "secure.example.com", clientContext(stranger)))
                    .isInstanceOf(java.io.IOException.class);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(log.list)
                    .extracting(ILoggingEvent::getFormattedMessage)
                    .filteredOn(m -> m.startsWith("client certificate rejected listener=vhosts vhost=secure.example.com"))
                    .hasSizeGreaterThanOrEqualTo(2));
        } finally {
            logger.detachAppender(log);
        }
    }

    @Test
    void anotherVhostOnTheSameCertificateNeedsNoClientCertificate() throws Exception {
        assertThat(exchange("vhosts", "open.example.com", pki.clientContext())).startsWith("HTTP/1.1 200");
    }

    @Test
    void aVhostLimitedToTls12RefusesTls13WhileItsNeighbourAcceptsIt() throws Exception {
        ProcessRun legacy = ProcessRun.run(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port("vhosts"),
                "-servername", "legacy.example.com", "-tls1_3"), "");
        assertThat(legacy.stdout()).contains("Cipher is (NONE)");
        ProcessRun legacy12 = ProcessRun.run(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port("vhosts"),
                "-servername", "legacy.example.com", "-tls1_2", "-CAfile", pki.rootPem.toString()), "");
        assertThat(legacy12.stdout()).contains("TLSv1.2").contains("Verify return code: 0 (ok)");
        ProcessRun open = ProcessRun.run(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port("vhosts"),
                "-servername", "open.example.com", "-tls1_3", "-CAfile", pki.rootPem.toString()), "");
        assertThat(open.stdout()).contains("TLSv1.3").contains("Verify return code: 0 (ok)");
    }

    @Test
    void aVhostCipherListIsEnforced() throws Exception {
        ProcessRun refused = ProcessRun.run(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port("vhosts"),
                "-servername", "legacy.example.com", "-tls1_2", "-cipher", "ECDHE-ECDSA-AES128-GCM-SHA256"), "");
        assertThat(refused.stdout()).contains("Cipher is (NONE)");
        ProcessRun accepted = ProcessRun.run(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port("vhosts"),
                "-servername", "legacy.example.com", "-tls1_2", "-cipher", "ECDHE-ECDSA-AES256-GCM-SHA384"), "");
        assertThat(accepted.stdout()).contains("Cipher is ECDHE-ECDSA-AES256-GCM-SHA384");
        ProcessRun neighbour = ProcessRun.run(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port("vhosts"),
                "-servername", "open.example.com", "-tls1_2", "-cipher", "ECDHE-ECDSA-AES128-GCM-SHA256"), "");
        assertThat(neighbour.stdout()).contains("Cipher is ECDHE-ECDSA-AES128-GCM-SHA256");
    }

    /** One GET over a fresh TLS connection; in TLS 1.3 a rejected client certificate surfaces on the first read. */
    private static String exchange(String listener, String sni, SSLContext context) throws Exception {
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port(listener))) {
            socket.setSoTimeout(10_000);
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setServerNames(List.of(new SNIHostName(sni)));
            socket.setSSLParameters(parameters);
            socket.getOutputStream().write(("GET / HTTP/1.1\r\nHost: " + sni + "\r\nConnection: close\r\n\r\n").getBytes());
            byte[] response = socket.getInputStream().readAllBytes();
            if (response.length == 0) {
                throw new java.io.EOFException("closed without a response");
            }
            return new String(response, java.nio.charset.StandardCharsets.ISO_8859_1);
        }
    }

    private static SSLContext clientContext(ThrowawayPki.Issued client) throws Exception {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("client", client.keys().getPrivate(), new char[0], new X509Certificate[] {client.certificate()});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, new char[0]);
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("root", pki.root.certificate());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return context;
    }
}
