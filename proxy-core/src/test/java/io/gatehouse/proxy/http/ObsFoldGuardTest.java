package io.gatehouse.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ObsFoldGuardTest {

    /** Feeds {@code wire} in pieces of {@code piece} bytes and returns each decoded request's success. */
    private static List<Boolean> decode(String wire, int piece) {
        ObsFoldGuard guard = new ObsFoldGuard();
        EmbeddedChannel channel = new EmbeddedChannel(guard.byteScanner(), new HttpServerCodec(), guard.requestMarker());
        byte[] bytes = wire.getBytes(StandardCharsets.ISO_8859_1);
        for (int i = 0; i < bytes.length; i += piece) {
            channel.writeInbound(Unpooled.wrappedBuffer(bytes, i, Math.min(piece, bytes.length - i)));
        }
        List<Boolean> results = new ArrayList<>();
        Object msg;
        while ((msg = channel.readInbound()) != null) {
            if (msg instanceof HttpRequest request) {
                results.add(request.decoderResult().isSuccess());
            }
            ReferenceCountUtil.release(msg);
        }
        channel.finishAndReleaseAll();
        return results;
    }

    @ParameterizedTest(name = "in pieces of {0} bytes")
    @ValueSource(ints = {1, 7, 4096})
    void aFoldedHeadAfterBodiesThatLookLikeFoldsIsTheOnlyOneMarked(int piece) {
        String wire = "POST /a HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "8\r\n{\r\n \"a\":\r\n0\r\n\r\n"
                + "PUT /b HTTP/1.1\r\nHost: a\r\nContent-Length: 6\r\n\r\n\r\n x\r\n"
                + "GET /c HTTP/1.1\r\nHost: a\r\nX-Folded: one\r\n\ttwo\r\n\r\n";
        assertThat(decode(wire, piece)).containsExactly(true, true, false);
    }

    @ParameterizedTest(name = "in pieces of {0} bytes")
    @ValueSource(ints = {1, 5, 4096})
    void framingHeadersAreMatchedWhateverTheirCaseAndLookalikesAreIgnored(int piece) {
        String wire = "POST /a HTTP/1.1\r\nHost: a\r\nCONTENT-LENGTH: 8\r\nX-Content-Length: 99\r\n\r\n\r\n x\r\n y"
                + "POST /b HTTP/1.1\r\nHost: a\r\nTransfer-Encoding:  Chunked \r\n\r\n3;name=val\r\nabc\r\n0\r\n\r\n"
                + "GET /c HTTP/1.1\r\nHost: a\r\nX: 1\r\n 2\r\n\r\n";
        assertThat(decode(wire, piece)).containsExactly(true, true, false);
    }

    @ParameterizedTest(name = "in pieces of {0} bytes")
    @ValueSource(ints = {1, 3, 64, 4096})
    void longPlainLinesAreSkippedWithoutLosingTheFramingOrTheFoldsAfterThem(int piece) {
        String token = "gAAAAA" + "x".repeat(300);
        String wire = "\r\nPOST /v3/auth/tokens?" + "q".repeat(200) + " HTTP/1.1\r\nX-Auth-Token: " + token + "\r\nHost: a\r\n"
                + "Content-Length: 9\r\nX-Other: tab\there\r\n\r\n\r\n folded"
                + "GET /b HTTP/1.1\r\nX-Auth-Token: " + token + "\r\n\tcontinued\r\n\r\n";
        assertThat(decode(wire, piece)).containsExactly(true, false);
    }

    @Test
    void aHeadLineLongerThanTheScannerFollowsStopsItAndTheCodecRefusesIt() {
        String wire = "GET / HTTP/1.1\r\nX-Huge: " + "y".repeat(30 * 1024) + "\r\n\r\n";
        assertThat(decode(wire, 4096)).containsExactly(false);
    }

    @Test
    void ordinaryRequestsPass() {
        assertThat(decode("GET / HTTP/1.1\r\nHost: a\r\nX: a b\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n", 4096)).containsExactly(true, true);
    }
}
