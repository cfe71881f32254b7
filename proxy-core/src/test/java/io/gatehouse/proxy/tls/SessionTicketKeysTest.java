package io.gatehouse.proxy.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gatehouse.proxy.Gatehouse;
import io.gatehouse.proxy.GatehouseFixture;
import io.gatehouse.proxy.NoLeaks;
import io.gatehouse.proxy.ProcessRun;
import io.gatehouse.proxy.RecordingBackend;
import io.gatehouse.proxy.TestPki;
import io.gatehouse.proxy.TestResources;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Two Gatehouse instances behind one VIP share a ticket key file, so a session made on one resumes on the other
 * ({@code openssl s_client -sess_out/-sess_in} says Reused). Replacing the file rotates: the new key encrypts,
 * the old one still decrypts.
 */
@ExtendWith(NoLeaks.class)
class SessionTicketKeysTest {

    @TempDir
    Path dir;

    TestPki pki;
    RecordingBackend backend;
    @RegisterExtension
    final TestResources resources = new TestResources();

    @BeforeEach
    void start() throws Exception {
        pki = new TestPki(dir);
        backend = RecordingBackend.start("app");
        resources.add(backend);
    }

    private int instance(Path keyFile) throws Exception {
        Gatehouse gatehouse = GatehouseFixture.start(dir, """
                listeners:
                  - name: front
                    bind: "127.0.0.1:0"
                    certificates:
                      - pem: %s
                    backend: app
                    session-tickets: {key-file: %s}
                backends:
                  app: {servers: ["127.0.0.1:%d"]}
                """.formatted(pki.serverPem, keyFile, backend.port()));
        resources.add(gatehouse);
        return gatehouse.address("front").getPort();
    }

    private static String newKey() {
        byte[] key = new byte[48];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key) + "\n";
    }

    /** Connects, sends one request so the ticket (sent after a TLS 1.3 handshake) is read, and prints s_client's summary. */
    private String connect(int port, String version, String sessionOption, Path session) throws Exception {
        return ProcessRun.run(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port, "-servername", "localhost",
                "-CAfile", pki.rootPem.toString(), "-" + version, sessionOption, session.toString(), "-ign_eof"),
                "GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").stdout();
    }

    @ParameterizedTest
    @ValueSource(strings = {"tls1_2", "tls1_3"})
    void aSessionFromOneInstanceResumesOnAnotherSharingTheKeyFile(String version) throws Exception {
        Path keys = Files.writeString(dir.resolve("tickets.key"), newKey());
        int first = instance(keys);
        int second = instance(keys);
        Path session = dir.resolve("session-" + version);
        assertThat(connect(first, version, "-sess_out", session)).contains("New, TLSv1.");
        assertThat(connect(second, version, "-sess_in", session)).contains("Reused, TLSv1.");

        Path otherKeys = Files.writeString(dir.resolve("other.key"), newKey());
        int stranger = instance(otherKeys);
        assertThat(connect(stranger, version, "-sess_in", session)).as("a node with other keys").contains("New, TLSv1.");
    }

    @ParameterizedTest
    @ValueSource(strings = {"tls1_2", "tls1_3"})
    void replacingTheFileMakesTheNewKeyEncryptWhileTheOldOneStillDecrypts(String version) throws Exception {
        String oldKey = newKey();
        String newKey = newKey();
        Path keys = Files.writeString(dir.resolve("tickets.key"), oldKey);
        int node = instance(keys);
        Path onlyNew = Files.writeString(dir.resolve("only-new.key"), newKey);
        int newOnlyNode = instance(onlyNew);
        Path before = dir.resolve("before-rotation");
        assertThat(connect(node, version, "-sess_out", before)).contains("New, TLSv1.");

        Path replacement = Files.writeString(dir.resolve("tickets.key.tmp"), newKey);
        Files.move(replacement, keys, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        Path after = dir.resolve("after-rotation");
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500)).until(() ->
                connect(node, version, "-sess_out", after).contains("New, TLSv1.")
                        && connect(newOnlyNode, version, "-sess_in", after).contains("Reused, TLSv1."));
        assertThat(connect(node, version, "-sess_in", before)).as("the old key still decrypts").contains("Reused, TLSv1.");
    }
}
