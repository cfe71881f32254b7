package io.gatehouse.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gatehouse.proxy.Gatehouse;
import io.gatehouse.proxy.GatehouseFixture;
import io.gatehouse.proxy.NoLeaks;
import io.gatehouse.proxy.RawHttp;
import io.gatehouse.proxy.RecordingBackend;
import io.gatehouse.proxy.TestPki;
import io.gatehouse.proxy.TestResources;
import io.gatehouse.sni.ThrowawayPki;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyProxiedProtocol;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** PROXY protocol in both directions, and re-encryption to backends with good, wrong-host and untrusted certificates. */
@ExtendWith(NoLeaks.class)
class ProxyProtocolAndBackendTlsTest {

    @TempDir
    Path dir;

    TestPki pki;
    SSLContext tls;
    @RegisterExtension
    final TestResources resources = new TestResources();

    @BeforeEach
    void pki() throws Exception {
        pki = new TestPki(dir);
        tls = pki.clientContext();
    }

    private int start(String extraListener, String backendYaml) throws Exception {
        Gatehouse gatehouse = GatehouseFixture.start(dir, """
                listeners:
                  - name: front
                    bind: "127.0.0.1:0"
                    certificates:
                      - pem: %s
                    backend: app
                %s
                backends:
                  app:
                %s
                """.formatted(pki.serverPem, extraListener, backendYaml));
        resources.add(gatehouse);
        return gatehouse.address("front").getPort();
    }

    @Test
    void sendProxyV2GivesEachClientItsOwnUpstreamConnectionNamingItsAddress() throws Exception {
        RecordingBackend backend = resources.add(RecordingBackend.startExpectingProxyHeader("app"));
        int port = start("", """
                    servers: ["127.0.0.1:%d"]
                    send-proxy: v2
                """.formatted(backend.port()));
        int[] clientPorts = new int[2];
        for (int client = 0; client < 2; client++) {
            try (SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket("127.0.0.1", port)) {
                socket.setSoTimeout(10_000);
                clientPorts[client] = socket.getLocalPort();
                OutputStream out = socket.getOutputStream();
                out.write("GET /1 HTTP/1.1\r\nHost: a\r\n\r\nGET /2 HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n".getBytes());
                out.flush();
                assertThat(RawHttp.readAll(socket.getInputStream())).contains("app GET /1").contains("app GET /2");
            }
        }
        // Two requests per client on one connection each: never a connection shared across clients.
        assertThat(backend.connections()).isEqualTo(2);
        assertThat(backend.proxyHeaders()).extracting(HAProxyMessage::sourceAddress, HAProxyMessage::sourcePort)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("127.0.0.1", clientPorts[0]),
                        org.assertj.core.groups.Tuple.tuple("127.0.0.1", clientPorts[1]));
        assertThat(backend.proxyHeaders()).allSatisfy(h -> {
            assertThat(h.protocolVersion().name()).isEqualTo("V2");
            assertThat(h.proxiedProtocol()).isEqualTo(HAProxyProxiedProtocol.TCP4);
        });
    }

    @Test
    void aTrustedBalancersProxyV2HeaderBecomesTheClientAddressInXForwardedFor() throws Exception {
        RecordingBackend backend = resources.add(RecordingBackend.start("app"));
        int port = start("    accept-proxy: [127.0.0.0/8]", """
                    servers: ["127.0.0.1:%d"]
                """.formatted(backend.port()));
        try (Socket raw = new Socket("127.0.0.1", port)) {
            raw.getOutputStream().write(proxyV2("203.0.113.7", 40000, "127.0.0.1", port));
            try (SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket(raw, "127.0.0.1", port, true)) {
                socket.setSoTimeout(10_000);
                socket.getOutputStream().write("GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n".getBytes());
                assertThat(RawHttp.readAll(socket.getInputStream())).startsWith("HTTP/1.1 200");
            }
        }
        assertThat(backend.served()).singleElement().satisfies(seen ->
                assertThat(seen.headers().get("X-Forwarded-For")).isEqualTo("203.0.113.7"));
    }

    @Test
    void aProxyHeaderFromAnUntrustedSourceIsNeverParsedAndItsOwnAddressIsUsed() throws Exception {
        RecordingBackend backend = resources.add(RecordingBackend.start("app"));
        int port = start("    accept-proxy: [10.0.0.0/8]", """
                    servers: ["127.0.0.1:%d"]
                """.formatted(backend.port()));
        assertThat(RawHttp.get(tls, port, "a", "/")).startsWith("HTTP/1.1 200");
        assertThat(backend.served()).singleElement().satisfies(seen ->
                assertThat(seen.headers().get("X-Forwarded-For")).isEqualTo("127.0.0.1"));
        try (Socket raw = new Socket("127.0.0.1", port)) {
            raw.getOutputStream().write(proxyV2("203.0.113.7", 40000, "127.0.0.1", port));
            SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket(raw, "127.0.0.1", port, true);
            socket.setSoTimeout(10_000);
            assertThatThrownBy(socket::startHandshake).isInstanceOf(java.io.IOException.class);
        }
        assertThat(backend.served()).hasSize(1);
    }

    /** The PROXY protocol v2 header for a TCP4 connection (haproxy.org/download/2.9/doc/proxy-protocol.txt, section 2.2). */
    static byte[] proxyV2(String source, int sourcePort, String destination, int destinationPort) throws Exception {
        ByteBuffer header = ByteBuffer.allocate(28);
        header.put(new byte[] {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A});
        header.put((byte) 0x21).put((byte) 0x11).putShort((short) 12);
        header.put(InetAddress.getByName(source).getAddress()).put(InetAddress.getByName(destination).getAddress());
        header.putShort((short) sourcePort).putShort((short) destinationPort);
        return header.array();
    }

    // ---- re-encryption ----

    private RecordingBackend tlsBackend(ThrowawayPki.Issued certificate, ThrowawayPki.Issued issuer) throws Exception {
        SslContext context = SslContextBuilder.forServer(certificate.keys().getPrivate(), certificate.certificate(), issuer.certificate())
                .build();
        return resources.add(RecordingBackend.startTls("secure", context));
    }

    @Test
    void aBackendWhoseCertificateMatchesItsAddressAndChainsToTheCaIsUsed() throws Exception {
        RecordingBackend backend = tlsBackend(pki.server, pki.intermediate);
        int port = start("", """
                    servers: ["127.0.0.1:%d"]
                    tls: {ca: %s}
                """.formatted(backend.port(), pki.rootPem));
        assertThat(RawHttp.get(tls, port, "a", "/secure")).startsWith("HTTP/1.1 200").contains("secure GET /secure");
    }

    @Test
    void theSniNameIsWhatIsVerifiedWhenGiven() throws Exception {
        ThrowawayPki.Issued named = pki.pki.server(pki.intermediate, ThrowawayPki.KeyType.EC, List.of("keystone.internal.example.com"),
                List.of());
        RecordingBackend backend = tlsBackend(named, pki.intermediate);
        int port = start("", """
                    servers: ["127.0.0.1:%d"]
                    tls: {ca: %s, sni: keystone.internal.example.com}
                """.formatted(backend.port(), pki.rootPem));
        assertThat(RawHttp.get(tls, port, "a", "/")).startsWith("HTTP/1.1 200");
    }

    @Test
    void aBackendCertificateForAnotherHostIsRefusedWith502AndNothingIsSent() throws Exception {
        ThrowawayPki.Issued other = pki.pki.server(pki.intermediate, ThrowawayPki.KeyType.EC, List.of("other.example.com"), List.of());
        RecordingBackend backend = tlsBackend(other, pki.intermediate);
        int port = start("", """
                    servers: ["127.0.0.1:%d"]
                    tls: {ca: %s}
                """.formatted(backend.port(), pki.rootPem));
        assertThat(RawHttp.get(tls, port, "a", "/")).startsWith("HTTP/1.1 502");
        assertThat(backend.requests()).isEmpty();
    }

    @Test
    void aBackendCertificateFromAnUntrustedCaIsRefusedWith502() throws Exception {
        TestPki stranger = new TestPki(Files.createDirectory(dir.resolve("stranger")));
        RecordingBackend backend = tlsBackend(stranger.server, stranger.intermediate);
        int port = start("", """
                    servers: ["127.0.0.1:%d"]
                    tls: {ca: %s}
                """.formatted(backend.port(), pki.rootPem));
        assertThat(RawHttp.get(tls, port, "a", "/")).startsWith("HTTP/1.1 502");
        assertThat(backend.requests()).isEmpty();
    }

    @Test
    void withoutACaTheSystemTrustStoreDecidesAndATestCaIsNotInIt() throws Exception {
        RecordingBackend backend = tlsBackend(pki.server, pki.intermediate);
        int port = start("", """
                    servers: ["127.0.0.1:%d"]
                    tls: {}
                """.formatted(backend.port()));
        assertThat(RawHttp.get(tls, port, "a", "/")).startsWith("HTTP/1.1 502");
        assertThat(backend.requests()).isEmpty();
    }

    @Test
    void verifyFalseAcceptsAnyCertificate() throws Exception {
        TestPki stranger = new TestPki(Files.createDirectory(dir.resolve("stranger")));
        RecordingBackend backend = tlsBackend(stranger.server, stranger.intermediate);
        int port = start("", """
                    servers: ["127.0.0.1:%d"]
                    tls: {verify: false}
                """.formatted(backend.port()));
        assertThat(RawHttp.get(tls, port, "a", "/")).startsWith("HTTP/1.1 200");
    }
}
