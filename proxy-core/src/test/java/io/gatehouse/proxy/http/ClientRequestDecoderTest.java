package io.gatehouse.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The plain-request reading must accept exactly what Netty's decoder accepts and read it the same way, from the same
 * piece of input on ({@link DifferentialDecoding}).
 */
class ClientRequestDecoderTest {

    private static final List<String> PLAIN = List.of(
            "GET /v3 HTTP/1.1\r\nHost: api.example.com:5000\r\nAccept: application/json\r\n\r\n",
            "POST /v3/auth/tokens HTTP/1.1\r\nHost: overcloud:13000\r\nUser-Agent: keystoneauth1/5.9.1\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 0\r\nConnection: keep-alive\r\n\r\n",
            "DELETE /v2.1/servers/42?force=true HTTP/1.1\r\nHost: nova\r\nX-Auth-Token: gAAAAABnXXXX\r\nX-Empty:\r\nX-Spaces:   a b\t \r\n\r\n",
            "OPTIONS * HTTP/1.1\r\nHost: api\r\n\r\n",
            "HEAD http://api/v3 HTTP/1.1\r\nHost: api\r\nHost: other\r\n\r\n",
            "GET / HTTP/1.1\r\n\r\n",
            "POST /v3/auth/tokens HTTP/1.1\r\nHost: api\r\nContent-Type: application/json\r\nContent-Length: 27\r\n\r\n"
                    + "{\"auth\": {\"methods\": []}}");

    private static final DifferentialDecoding DIFFERENTIAL = new DifferentialDecoding(
            () -> new EmbeddedChannel(new ClientRequestDecoder(Http1DecoderConfigs.requests())),
            () -> new EmbeddedChannel(new HttpRequestDecoder(Http1DecoderConfigs.requests())));

    @Test
    void plainRequestsAreReadAsNettyReadsThem() {
        for (String request : PLAIN) {
            DIFFERENTIAL.assertSame(request);
            DIFFERENTIAL.assertSame(request + request + "GET /next HTTP/1.1\r\nHost: api\r\n\r\n");
        }
    }

    /** Whatever is not plain goes to Netty's decoder, which must find it exactly where it would have. */
    @Test
    void requestsThatAreNotPlainAreLeftToNetty() {
        for (String request : List.of(
                "POST /v3 HTTP/1.1\r\nHost: api\r\nContent-Length: 5\r\n\r\nhelloGET /after HTTP/1.1\r\nHost: api\r\n\r\n",
                "POST /v3 HTTP/1.1\r\nHost: api\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n",
                "POST /v3 HTTP/1.1\r\nHost: api\r\nContent-Length: 0\r\nContent-Length: 0\r\n\r\n",
                "POST /v3 HTTP/1.1\r\nHost: api\r\nContent-Length: 00\r\n\r\n",
                "POST /v3 HTTP/1.1\r\nHost: api\r\nContent-Length: 05\r\n\r\nhello",
                "POST /v3 HTTP/1.1\r\nHost: api\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\nhello",
                "POST /v3 HTTP/1.1\r\nHost: api\r\nContent-Length: 5, 5\r\n\r\nhello",
                "POST /v3 HTTP/1.1\r\nHost: api\r\nContent-Length: 99999999999999999999\r\n\r\nhello",
                "POST /v3 HTTP/1.1\r\nHost: api\r\nContent-Length: 100\r\n\r\ncut short by the close",
                "PUT /v2/images/1/file HTTP/1.1\r\nHost: glance\r\nContent-Length: 70000\r\n\r\n" + "i".repeat(70000)
                        + "GET /after HTTP/1.1\r\nHost: a\r\n\r\n",
                "POST /v3 HTTP/1.1\r\nHost: api\r\nContent-Length: 0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
                "GET /v3 HTTP/1.0\r\nHost: api\r\n\r\n",
                "get /v3 HTTP/1.1\r\nHost: api\r\n\r\n",
                "PROPFIND /dav HTTP/1.1\r\nHost: api\r\n\r\n",
                "\r\nGET /v3 HTTP/1.1\r\nHost: api\r\n\r\n",
                "GET /v3 HTTP/1.1\r\nHost: api\r\nX-Folded: a\r\n b\r\n\r\n",
                "GET /v3 HTTP/1.1\r\nHost : api\r\n\r\n",
                "GET /caf\u00e9 HTTP/1.1\r\nHost: api\r\n\r\n",
                "GET /v3 HTTP/1.1\r\nHost: api\r\nX-Latin: caf\u00e9\r\n\r\n",
                "GET /v3 HTTP/1.1\nHost: api\n\n",
                "GET  /v3 HTTP/1.1\r\nHost: api\r\n\r\n",
                "GET /v3 HTTP/1.1\r\nHost: api\r\n\r\nGET /bad\u0000 HTTP/1.1\r\n\r\nGET /after-refusal HTTP/1.1\r\nHost: a\r\n\r\n",
                "GET /" + "a".repeat(9000) + " HTTP/1.1\r\nHost: api\r\n\r\n",
                "GET / HTTP/1.1\r\nX-Big: " + "b".repeat(17000) + "\r\n\r\n",
                "GET / HTTP/1.1\r\nHost: a\r\nX-Long: " + "c".repeat(5000) + "\r\n\r\nGET /after HTTP/1.1\r\nHost: a\r\n\r\n")) {
            DIFFERENTIAL.assertSame(request);
        }
    }

    /** Every byte value in a field name and in a field value: the plain reading's own checks stand in for Netty's. */
    @Test
    void everyByteInAFieldIsAcceptedOrRefusedAsNettyDoes() {
        for (int b = 0; b < 256; b++) {
            if (b == '\r' || b == '\n') {
                continue; // line ends, covered by the one-byte changes below
            }
            byte[] name = ("GET /v3 HTTP/1.1\r\nHost: api\r\nX-" + (char) b + "y: v\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
            byte[] value = ("GET /v3 HTTP/1.1\r\nHost: api\r\nX-Y: a" + (char) b + "z\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
            DIFFERENTIAL.assertSame(name);
            DIFFERENTIAL.assertSame(value);
        }
    }

    /** Each plain request with every one-byte change, and with random three-byte changes. */
    @Test
    void everySmallChangeToAPlainRequestIsReadAsNettyReadsIt() {
        Random random = new Random(1128);
        for (String request : PLAIN) {
            DIFFERENTIAL.assertSameForChangesTo(request, random, 300);
        }
    }

    @Test
    void aRepeatedRequestIsReadIntoTheSameTextObjects() {
        EmbeddedChannel channel = new EmbeddedChannel(new ClientRequestDecoder(Http1DecoderConfigs.requests()));
        String request = "GET /v3/projects HTTP/1.1\r\nHost: api\r\nX-Auth-Token: gAAAAAB\r\n\r\n";
        channel.writeInbound(Unpooled.copiedBuffer(request + request, StandardCharsets.US_ASCII));
        HttpRequest first = channel.readInbound();
        channel.readInbound();
        HttpRequest second = channel.readInbound();
        assertThat(second.uri()).isSameAs(first.uri());
        List<Object> firstFields = new ArrayList<>();
        first.headers().iteratorCharSequence().forEachRemaining(field -> {
            firstFields.add(field.getKey());
            firstFields.add(field.getValue());
        });
        List<Object> secondFields = new ArrayList<>();
        second.headers().iteratorCharSequence().forEachRemaining(field -> {
            secondFields.add(field.getKey());
            secondFields.add(field.getValue());
        });
        assertThat(secondFields).hasSize(4);
        for (int i = 0; i < secondFields.size(); i++) {
            assertThat(secondFields.get(i)).isSameAs(firstFields.get(i));
        }
        channel.finishAndReleaseAll();
    }
}
