package io.gatehouse.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.proxy.NoLeaks;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestEncoder;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AsciiString;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The plain reading's heads and body pieces are read into again once handed back, and only then: a reused part
 * carries nothing of its earlier message, and a part not handed back is never touched.
 */
@ExtendWith(NoLeaks.class)
class ReusablePartsTest {

    private static final String TOKEN_REQUEST = "POST /v3/auth/tokens HTTP/1.1\r\nHost: keystone\r\nX-First: 1\r\n"
            + "Content-Length: 2\r\n\r\n{}";
    private static final String SERVER_LIST = "GET /v2.1/servers HTTP/1.1\r\nHost: nova\r\n\r\n";

    private final EmbeddedChannel client = new EmbeddedChannel(new ClientRequestDecoder(Http1DecoderConfigs.requests()));

    @AfterEach
    void close() {
        client.finishAndReleaseAll();
    }

    @Test
    void aHandedBackRequestIsReadIntoAgainWithNothingLeftOfTheFirst() {
        List<HttpObject> first = CodecChannels.receive(client, TOKEN_REQUEST);
        HttpRequest head = (HttpRequest) first.get(0);
        // What the proxy does to a head on its way upstream.
        head.setUri("/tokens");
        head.setProtocolVersion(HttpVersion.HTTP_1_0);
        head.headers().add("X-Forwarded-For", "192.0.2.1");
        forwarded(first);

        HttpRequest second = (HttpRequest) CodecChannels.receive(client, SERVER_LIST).get(0);

        assertThat(second).isSameAs(head);
        assertThat(second.method()).isEqualTo(HttpMethod.GET);
        assertThat(second.uri()).isEqualTo("/v2.1/servers");
        assertThat(second.protocolVersion()).isEqualTo(HttpVersion.HTTP_1_1);
        assertThat(second.decoderResult()).isEqualTo(DecoderResult.SUCCESS);
        assertThat(fields(second.headers())).containsExactly("Host: nova");
    }

    @Test
    void aHeadReusedAfterAMessageWithManyFieldsReadsTheNextOneWhole() {
        StringBuilder many = new StringBuilder("GET /many HTTP/1.1\r\nHost: a\r\n");
        for (int i = 0; i < 100; i++) {
            many.append("X-").append(i).append(": ").append(i).append("\r\n");
        }
        List<HttpObject> first = CodecChannels.receive(client, many.append("\r\n").toString());
        assertThat(((HttpRequest) first.get(0)).headers().size()).isEqualTo(101);
        forwarded(first);

        List<HttpObject> second = CodecChannels.receive(client, TOKEN_REQUEST);

        assertThat(second.get(0)).isSameAs(first.get(0));
        assertThat(fields(((HttpRequest) second.get(0)).headers())).containsExactly("Host: keystone", "X-First: 1", "Content-Length: 2");
        release(second);
    }

    @Test
    void aRequestNotHandedBackIsNeverTouched() {
        List<HttpObject> parts = CodecChannels.receive(client, TOKEN_REQUEST);
        release(parts);
        HttpRequest kept = (HttpRequest) parts.get(0);

        HttpRequest next = (HttpRequest) CodecChannels.receive(client, SERVER_LIST).get(0);

        assertThat(next).isNotSameAs(kept);
        assertThat(kept.method()).isEqualTo(HttpMethod.POST);
        assertThat(kept.uri()).isEqualTo("/v3/auth/tokens");
        assertThat(fields(kept.headers())).containsExactly("Host: keystone", "X-First: 1", "Content-Length: 2");
    }

    @Test
    void aPartHandedBackTwiceIsLentToOneMessageOnly() {
        List<HttpObject> first = CodecChannels.receive(client, SERVER_LIST);
        forwarded(first);
        handBack(first);

        List<HttpObject> pipelined = CodecChannels.receive(client, SERVER_LIST + TOKEN_REQUEST);

        assertThat(pipelined.get(0)).isNotSameAs(pipelined.get(2));
        assertThat(((HttpRequest) pipelined.get(0)).method()).isEqualTo(HttpMethod.GET);
        assertThat(((HttpRequest) pipelined.get(2)).method()).isEqualTo(HttpMethod.POST);
        release(pipelined);
    }

    @Test
    void aHeadThatTurnsOutNotPlainLeavesItsSpareClean() {
        forwarded(CodecChannels.receive(client, SERVER_LIST));
        // Read into the spare as far as the Transfer-Encoding field, then left to Netty's decoder.
        List<HttpObject> chunked = CodecChannels.receive(client, "POST /a HTTP/1.1\r\nHost: a\r\nX-Partial: 1\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n");
        assertThat(chunked.get(0)).isNotInstanceOf(Reusable.class);
        release(chunked);

        HttpRequest next = (HttpRequest) CodecChannels.receive(client, SERVER_LIST).get(0);

        assertThat(next).isInstanceOf(Reusable.class);
        assertThat(fields(next.headers())).containsExactly("Host: nova");
    }

    @Test
    void aHandedBackBodyPieceLetsGoOfItsBytesAndHoldsTheNextOnes() {
        List<HttpObject> first = CodecChannels.receive(client, TOKEN_REQUEST);
        LastHttpContent body = (LastHttpContent) first.get(1);
        ByteBuf bytes = body.content();
        assertThat(body.refCnt()).isEqualTo(1);
        body.release();
        handBack(first);
        assertThat(body.content()).isNull();
        assertThat(bytes.refCnt()).isZero();

        List<HttpObject> second = CodecChannels.receive(client, TOKEN_REQUEST.replace("{}", "[]"));

        assertThat(second.get(1)).isSameAs(body);
        assertThat(body.content().toString(StandardCharsets.US_ASCII)).isEqualTo("[]");
        assertThat(body.trailingHeaders().isEmpty()).isTrue();
        release(second);
    }

    @Test
    void aBodyInSeveralPiecesIsReadIntoReusedPiecesOfTheRightKind() {
        String head = "PUT /v2/images/1/file HTTP/1.1\r\nHost: glance\r\nContent-Length: 6\r\n\r\n";
        List<HttpObject> before = List.of();
        for (int round = 0; round < 2; round++) {
            List<HttpObject> parts = CodecChannels.receive(client, head + "abc");
            parts.addAll(CodecChannels.receive(client, "def"));
            if (round == 1) {
                assertThat(parts.get(1)).isSameAs(before.get(1));
                assertThat(parts.get(2)).isSameAs(before.get(2));
            }

            assertThat(parts.get(1)).isInstanceOf(HttpContent.class).isNotInstanceOf(LastHttpContent.class);
            assertThat(parts.get(2)).isInstanceOf(LastHttpContent.class);
            assertThat(((HttpContent) parts.get(1)).content().toString(StandardCharsets.US_ASCII)).isEqualTo("abc");
            assertThat(((HttpContent) parts.get(2)).content().toString(StandardCharsets.US_ASCII)).isEqualTo("def");
            forwarded(parts);
            before = parts;
        }
    }

    @Test
    void aCopyOfAPieceIsNettysOwnAndNeverReused() {
        List<HttpObject> parts = CodecChannels.receive(client, TOKEN_REQUEST);
        LastHttpContent copy = ((LastHttpContent) parts.get(1)).copy();
        forwarded(parts);

        assertThat(copy).isNotInstanceOf(Reusable.class);
        assertThat(copy.content().toString(StandardCharsets.US_ASCII)).isEqualTo("{}");
        copy.release();
    }

    @Test
    void aHandedBackResponseIsReadIntoAgainWithItsOwnStatusAndFields() {
        EmbeddedChannel backend = new EmbeddedChannel(new UpstreamHttpCodec(Http1DecoderConfigs.responses()));
        CodecChannels.send(backend, new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/"));
        CodecChannels.send(backend, new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/"));
        List<HttpObject> created = CodecChannels.receive(backend,
                "HTTP/1.1 201 CREATED\r\nX-Subject-Token: t\r\nContent-Length: 2\r\n\r\n{}");
        HttpResponse first = (HttpResponse) created.get(0);
        forwarded(created);

        List<HttpObject> ok = CodecChannels.receive(backend, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");

        assertThat(ok.get(0)).isSameAs(first);
        assertThat(first.status().code()).isEqualTo(200);
        assertThat(first.status().reasonPhrase()).isEqualTo("OK");
        assertThat(fields(first.headers())).containsExactly("Content-Length: 0");
        backend.finishAndReleaseAll();
    }

    /** The encoders write reused heads' fields from the arrays; the bytes must be those Netty's encoders write. */
    @Test
    void fieldLinesAreWrittenAsNettyWritesThem() {
        HttpHeaders flat = FlatHttpHeaders.FACTORY.newHeaders();
        HttpHeaders netty = new DefaultHttpHeaders();
        AsciiString inTheMiddle = new AsciiString("xxkeystonexx").subSequence(2, 10, false);
        for (HttpHeaders headers : List.of(flat, netty)) {
            headers.add("Host", inTheMiddle).add(AsciiString.of("Accept"), "application/json").add("X-Empty", "")
                    .add("User-Agent", new StringBuilder("openstacksdk/4.0.1"));
        }
        ByteBuf ours = Unpooled.buffer(1);
        ByteBuf theirs = Unpooled.buffer();

        assertThat(FlatHttpHeaders.writeLines(flat, ours)).isTrue();
        new NettyLines().write(netty, theirs);

        assertThat(ours.toString(StandardCharsets.US_ASCII)).isEqualTo(theirs.toString(StandardCharsets.US_ASCII))
                .isEqualTo("Host: keystone\r\nAccept: application/json\r\nX-Empty: \r\nUser-Agent: openstacksdk/4.0.1\r\n");
        assertThat(FlatHttpHeaders.writeLines(netty, ours)).isFalse();
        ours.release();
        theirs.release();
    }

    private static final class NettyLines extends HttpRequestEncoder {
        void write(HttpHeaders headers, ByteBuf buf) {
            encodeHeaders(headers, buf);
        }
    }

    private static List<String> fields(HttpHeaders headers) {
        return headers.entries().stream().map((Map.Entry<String, String> field) -> field.getKey() + ": " + field.getValue()).toList();
    }

    private static void handBack(List<HttpObject> parts) {
        parts.forEach(Reusable::handBack);
    }

    private static void release(List<HttpObject> parts) {
        parts.forEach(part -> {
            if (part instanceof HttpContent content) {
                content.release();
            }
        });
    }

    /** What the proxy does with parts: their bodies are written (which releases them), then they are handed back. */
    private static void forwarded(List<HttpObject> parts) {
        release(parts);
        handBack(parts);
    }
}
