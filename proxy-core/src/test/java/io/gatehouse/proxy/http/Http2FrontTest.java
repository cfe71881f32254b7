package io.gatehouse.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.proxy.Gatehouse;
import io.gatehouse.proxy.GatehouseFixture;
import io.gatehouse.proxy.NoLeaks;
import io.gatehouse.proxy.ProcessRun;
import io.gatehouse.proxy.RawH2;
import io.gatehouse.proxy.RecordingBackend;
import io.gatehouse.proxy.TestPki;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** h2 on the front, HTTP/1.1 to the backend, and the h2 attacks the codec limits close. */
@ExtendWith(NoLeaks.class)
class Http2FrontTest {

    @TempDir
    Path dir;

    TestPki pki;
    RecordingBackend backend;
    Gatehouse gatehouse;
    int port;

    @BeforeEach
    void start() throws Exception {
        pki = new TestPki(dir);
        backend = RecordingBackend.start("app");
        gatehouse = GatehouseFixture.start(dir, GatehouseFixture.singleListener("http", pki, new java.net.InetSocketAddress(backend.port()), ""));
        port = gatehouse.address("front").getPort();
    }

    @AfterEach
    void stop() {
        gatehouse.close();
        backend.close();
    }

    @Test
    void theJdkClientSpeaksH2AndTheBackendGetsHttp11WithForwardedHeaders() throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).sslContext(pki.clientContext()).build();
        HttpResponse<String> get = client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/v3?x=1")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(get.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(get.statusCode()).isEqualTo(200);
        assertThat(get.body()).isEqualTo("app GET /v3?x=1\n");

        byte[] body = new byte[300_000];
        HttpResponse<String> post = client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/v2/images"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(200);
        assertThat(post.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(backend.bodyBytes()).isEqualTo(body.length);
        assertThat(backend.served()).hasSize(2).allSatisfy(seen -> {
            assertThat(seen.headers().get("Host")).isEqualTo("127.0.0.1:" + port);
            assertThat(seen.headers().get("X-Forwarded-Proto")).isEqualTo("https");
            assertThat(seen.headers().get("X-Forwarded-For")).isEqualTo("127.0.0.1");
        });
    }

    @Test
    void curlNegotiatesH2() throws Exception {
        ProcessRun curl = ProcessRun.run(List.of("curl", "-sS", "--http2", "--cacert", pki.rootPem.toString(), "-o", "/dev/null",
                "-w", "%{http_version} %{http_code}", "https://127.0.0.1:" + port + "/"), null);
        assertThat(curl.stdout()).isEqualTo("2 200");
    }

    @Test
    void rapidResetIsAnsweredWithGoawayEnhanceYourCalm() throws Exception {
        try (RawH2 h2 = new RawH2(pki.clientContext(), port)) {
            byte[] block = RawH2.getRequestBlock();
            for (int i = 0, stream = 1; i < 1000; i++, stream += 2) {
                h2.frame(RawH2.HEADERS, RawH2.END_HEADERS | RawH2.END_STREAM, stream, block);
                h2.rstStream(stream, 0x8);
            }
            h2.flush();
            List<RawH2.Frame> frames = h2.readUntilGoawayOr(f -> false);
            assertThat(frames).last().satisfies(last -> {
                assertThat(last.type()).isEqualTo(RawH2.GOAWAY);
                assertThat(last.errorCode()).as("ENHANCE_YOUR_CALM").isEqualTo(0xb);
            });
        } catch (java.net.SocketException writeAfterClose) {
            // the server hung up while frames were still going out: also the defence working
        }
    }

    /**
     * Below the reset limit, streams reset in the same burst as their HEADERS must not reach the backend: each one
     * used to open an upstream connection (and could send its request) before its RST_STREAM was read, so a client
     * could make the proxy connect to a backend far more often than it ever asked for an answer.
     */
    @Test
    void streamsResetInTheSameBurstAsTheirHeadersNeverReachTheBackend() throws Exception {
        try (RawH2 h2 = new RawH2(pki.clientContext(), port)) {
            byte[] block = RawH2.getRequestBlock();
            int stream = 1;
            for (int i = 0; i < 50; i++, stream += 2) {
                h2.frame(RawH2.HEADERS, RawH2.END_HEADERS | RawH2.END_STREAM, stream, block);
                h2.rstStream(stream, 0x8);
            }
            int answered = stream;
            h2.frame(RawH2.HEADERS, RawH2.END_HEADERS | RawH2.END_STREAM, answered, block);
            h2.flush();
            List<RawH2.Frame> frames = h2.readUntilGoawayOr(f -> f.stream() == answered && (f.flags() & RawH2.END_STREAM) != 0);
            assertThat(frames).as("the request after the resets is answered").last()
                    .satisfies(last -> assertThat(last.stream()).isEqualTo(answered));
        }
        assertThat(backend.requests()).as("only the stream that was not reset").hasSize(1);
        assertThat(backend.connections()).as("upstream connections opened").isEqualTo(1);
    }

    /**
     * The h2 side of the Host checks on HTTP/1.1: a host header that names another host than :authority, or an
     * authority that is no host at all, resets the stream before anything is sent upstream (routes are chosen by
     * Host); a host header equal to :authority reaches the backend as one Host.
     */
    @ParameterizedTest(name = "host: {0}")
    @CsvSource({"evil", "a@evil", "'a b'"})
    void aHostHeaderOtherThanTheAuthorityResetsTheStream(String host) throws Exception {
        try (RawH2 h2 = new RawH2(pki.clientContext(), port)) {
            h2.frame(RawH2.HEADERS, RawH2.END_HEADERS | RawH2.END_STREAM, 1, RawH2.getRequestBlock("host", host));
            h2.flush();
            List<RawH2.Frame> frames = h2.readUntilGoawayOr(f -> f.stream() == 1
                    && (f.type() == RawH2.RST_STREAM || (f.flags() & RawH2.END_STREAM) != 0));
            assertThat(frames).last().satisfies(last -> assertThat(last.type()).isEqualTo(RawH2.RST_STREAM));
        }
        assertThat(backend.requests()).isEmpty();
    }

    @Test
    void aHostHeaderEqualToTheAuthorityReachesTheBackendOnce() throws Exception {
        sendOneStreamAndReadItsEnd(RawH2.getRequestBlock("host", "localhost"));
        assertThat(backend.served()).singleElement().satisfies(seen -> assertThat(seen.headers().getAll("Host")).containsExactly("localhost"));
    }

    /**
     * The same request-target bytes HTTP/1.1 refuses (RequestHeadCheck) are refused in an h2 :path: a request must
     * not reach a backend over h2 that it could not over HTTP/1.1, since the backend reads both as HTTP/1.1.
     */
    @ParameterizedTest(name = ":path {0}")
    @ValueSource(strings = {"/a#b", "/a{b}", "/a|b", "/a\"b", "/a\\b", "/a^b", "/a<b>", "/a`b", "/caf\u00e9", "/a\u007fb"})
    void aPathWithBytesHttp11RefusesIsRefusedAndNeverForwarded(String path) throws Exception {
        assertRefusedBeforeTheBackend(RawH2.getRequestBlockFor(path));
    }

    @Test
    void aPercentEncodedPathReachesTheBackendUnchanged() throws Exception {
        sendOneStreamAndReadItsEnd(RawH2.getRequestBlockFor("/v2.1/servers?name=%5Eweb%7C1"));
        assertThat(backend.served()).singleElement().satisfies(seen -> assertThat(seen.uri()).isEqualTo("/v2.1/servers?name=%5Eweb%7C1"));
    }

    @Test
    void aContinuationFloodIsCutOff() throws Exception {
        try (RawH2 h2 = new RawH2(pki.clientContext(), port)) {
            h2.frame(RawH2.HEADERS, 0, 1, RawH2.getRequestBlock());
            try {
                for (int i = 0; i < 20_000; i++) {
                    h2.frame(RawH2.CONTINUATION, 0, 1, new byte[0]);
                }
                h2.flush();
            } catch (java.net.SocketException closed) {
                // cut off mid-flood
            }
            List<RawH2.Frame> frames = h2.readUntilGoawayOr(f -> false);
            assertThat(frames).anySatisfy(f -> {
                assertThat(f.type()).isEqualTo(RawH2.GOAWAY);
                assertThat(f.errorCode()).isNotZero();
            });
        }
        assertThat(backend.served()).isEmpty();
    }

    /**
     * A client that sends PINGs (or SETTINGS) and never reads makes the server queue an ACK for each: with its receive
     * buffer small, the ACKs back up past the kernel's send buffer into Netty's, where 10,000 queued control frames
     * end the connection instead of growing the heap without bound. Without the limit the server takes every PING and
     * the client reads every ACK until its read times out.
     */
    @Test
    void aPingFloodFromAClientThatDoesNotReadIsCutOff() throws Exception {
        int sent = 0;
        try (RawH2 h2 = new RawH2(pki.clientContext(), port, 4096)) {
            byte[] opaque = new byte[8];
            try {
                // Bounded: about 10 MB of PINGs, twice what loopback's buffers held as ACKs before the limit cut in.
                while (sent < 600_000) {
                    h2.frame(RawH2.PING, 0, 0, opaque);
                    sent++;
                }
                h2.flush();
            } catch (java.net.SocketException closed) {
                // cut off mid-flood
            }
            // The GOAWAY sits behind megabytes of unread ACKs, and closing with those unread resets the connection,
            // so what the client sees is the server ending the connection mid-flood.
            List<RawH2.Frame> frames = h2.readUntilGoawayOr(f -> false);
            long acks = frames.stream().filter(f -> f.type() == RawH2.PING).count();
            assertThat(sent).as("PINGs the server took before it ended the connection").isLessThan(600_000);
            assertThat(acks).as("ACKs read after %d PINGs", sent).isLessThan(sent);
        }
    }

    @Test
    void aHeaderValueWithCrLfIsRefusedAndNeverForwarded() throws Exception {
        try (RawH2 h2 = new RawH2(pki.clientContext(), port)) {
            h2.frame(RawH2.HEADERS, RawH2.END_HEADERS | RawH2.END_STREAM, 1,
                    RawH2.getRequestBlock("x-injected", "a\r\nTransfer-Encoding: chunked"));
            h2.flush();
            List<RawH2.Frame> frames = h2.readUntilGoawayOr(f -> f.stream() == 1 && (f.type() == RawH2.RST_STREAM || f.type() == RawH2.HEADERS));
            assertThat(frames).anySatisfy(f -> {
                assertThat(f.stream()).isEqualTo(1);
                if (f.type() == RawH2.HEADERS) {
                    assertThat(f.payload()[0]).as(":status 400, HPACK static index 12").isEqualTo((byte) 0x8c);
                } else {
                    assertThat(f.type()).isEqualTo(RawH2.RST_STREAM);
                }
            });
        }
        assertThat(backend.served()).isEmpty();
    }

    @Test
    void aHeaderValueWithSurroundingWhitespaceIsRefusedAndNeverForwarded() throws Exception {
        assertRefusedBeforeTheBackend(RawH2.getRequestBlock("x-padded", "\tvalue "));
    }

    /** Sends one stream with this header block and reads until the server ends it (or the connection). */
    private void sendOneStreamAndReadItsEnd(byte[] headerBlock) throws Exception {
        try (RawH2 h2 = new RawH2(pki.clientContext(), port)) {
            h2.frame(RawH2.HEADERS, RawH2.END_HEADERS | RawH2.END_STREAM, 1, headerBlock);
            h2.flush();
            h2.readUntilGoawayOr(f -> f.stream() == 1 && (f.flags() & RawH2.END_STREAM) != 0);
        }
    }

    /** Sends one stream with this header block: it must end in PROTOCOL_ERROR or a 400, with nothing sent upstream. */
    private void assertRefusedBeforeTheBackend(byte[] headerBlock) throws Exception {
        try (RawH2 h2 = new RawH2(pki.clientContext(), port)) {
            h2.frame(RawH2.HEADERS, RawH2.END_HEADERS | RawH2.END_STREAM, 1, headerBlock);
            h2.flush();
            List<RawH2.Frame> frames = h2.readUntilGoawayOr(f -> f.stream() == 1 && (f.type() == RawH2.RST_STREAM || f.type() == RawH2.HEADERS));
            assertThat(frames).last().satisfies(f -> assertThat(f.type() == RawH2.RST_STREAM
                    ? f.errorCode() == 0x1 : f.payload()[0] == (byte) 0x8c).as("PROTOCOL_ERROR or 400").isTrue());
        }
        assertThat(backend.requests()).isEmpty();
    }

    @Test
    void theRequestCheckRefusesWhatTheCodecLeavesThrough() {
        io.netty.handler.codec.http.DefaultHttpRequest good = new io.netty.handler.codec.http.DefaultHttpRequest(
                io.netty.handler.codec.http.HttpVersion.HTTP_1_1, io.netty.handler.codec.http.HttpMethod.GET, "/v3");
        good.headers().set("x-ok", "a b");
        assertThat(new H2RequestCheck().problemWith(good)).isNull();
        for (String[] bad : new String[][] {{"hello-world", "a"}, {"/", "a\rb"}, {"/", "a\u0000b"}, {"/", " a"},
                {"/", "a\t"}}) {
            io.netty.handler.codec.http.DefaultHttpRequest request = new io.netty.handler.codec.http.DefaultHttpRequest(
                    io.netty.handler.codec.http.HttpVersion.HTTP_1_1, io.netty.handler.codec.http.HttpMethod.GET, bad[0], false);
            request.headers().set("x-test", bad[1]);
            assertThat(new H2RequestCheck().problemWith(request)).as(bad[0] + " / " + bad[1]).isNotNull();
        }
    }

    @Test
    void alpnOffersH2ThenHttp11AndHttp2FalseOffersOnlyHttp11() throws Exception {
        assertThat(alpn(port, "h2,http/1.1")).contains("ALPN protocol: h2");
        assertThat(alpn(port, "http/1.1")).contains("ALPN protocol: http/1.1");
        try (Gatehouse http1Only = GatehouseFixture.start(dir, GatehouseFixture.singleListener("http", pki,
                new java.net.InetSocketAddress(backend.port()), "    http2: false"))) {
            assertThat(alpn(http1Only.address("front").getPort(), "h2,http/1.1")).contains("ALPN protocol: http/1.1");
        }
    }

    private String alpn(int target, String offer) throws Exception {
        return ProcessRun.run(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + target, "-alpn", offer,
                "-CAfile", pki.rootPem.toString()), "").stdout();
    }

    @Test
    void madeYouResetServerSideResetsAreCountedTooAndEndInGoaway() throws Exception {
        try (RawH2 h2 = new RawH2(pki.clientContext(), port)) {
            byte[] block = RawH2.getRequestBlock();
            byte[] zeroIncrement = new byte[4];
            try {
                for (int i = 0, stream = 1; i < 1000; i++, stream += 2) {
                    // A stream left open, then a WINDOW_UPDATE of 0 on it: RFC 9113 section 6.9 makes the server reset it.
                    h2.frame(RawH2.HEADERS, RawH2.END_HEADERS, stream, block);
                    h2.frame(0x8, 0, stream, zeroIncrement);
                }
                h2.flush();
            } catch (java.net.SocketException closed) {
                // cut off mid-attack
            }
            List<RawH2.Frame> frames = h2.readUntilGoawayOr(f -> false);
            assertThat(frames).filteredOn(f -> f.type() == RawH2.RST_STREAM).isNotEmpty()
                    .allSatisfy(reset -> assertThat(reset.errorCode()).as("PROTOCOL_ERROR, never CANCEL").isEqualTo(0x1));
            assertThat(frames).last().satisfies(last -> {
                assertThat(last.type()).isEqualTo(RawH2.GOAWAY);
                assertThat(last.errorCode()).as("ENHANCE_YOUR_CALM").isEqualTo(0xb);
            });
        }
    }

    @Test
    void streamsBeyondTheConcurrencyLimitAreRefused() throws Exception {
        try (RawH2 h2 = new RawH2(pki.clientContext(), port)) {
            byte[] block = RawH2.getRequestBlock();
            for (int i = 0, stream = 1; i <= 100; i++, stream += 2) {
                h2.frame(RawH2.HEADERS, RawH2.END_HEADERS, stream, block);
            }
            h2.flush();
            List<RawH2.Frame> frames = h2.readUntilGoawayOr(f -> f.type() == RawH2.RST_STREAM);
            assertThat(frames).last().satisfies(last -> {
                assertThat(last.type()).isEqualTo(RawH2.RST_STREAM);
                assertThat(last.stream()).as("the 101st stream").isEqualTo(201);
                assertThat(last.errorCode()).as("REFUSED_STREAM").isEqualTo(0x7);
            });
        }
    }
}
