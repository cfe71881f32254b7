package io.gatehouse.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DownstreamHttpCodecTest {

    private final EmbeddedChannel channel = new EmbeddedChannel(new DownstreamHttpCodec(Http1DecoderConfigs.requests()));

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
    }

    /** The backend's 200 to HEAD names the length of a body it does not send; the client must get no body either. */
    @Test
    void aResponseToHeadIsWrittenWithoutItsBody() {
        receive("HEAD /v3 HTTP/1.1\r\nHost: api\r\n\r\nGET /v3 HTTP/1.1\r\nHost: api\r\n\r\n").forEach(ReferenceCountUtil::release);
        assertThat(send(response("hello"))).isEqualTo("HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\n");
        assertThat(send(response("hello"))).isEqualTo("HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\nhello");
    }

    /** Transfer-Encoding and Content-Length together: a front end that read the other framing may have sent more. */
    @Test
    void aRequestWithBothFramingsIsRefused() {
        List<HttpObject> parts = receive("POST /v3 HTTP/1.1\r\nHost: api\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "3\r\nabc\r\n0\r\n\r\n");
        assertThat(parts.get(0)).isInstanceOf(HttpRequest.class);
        assertThat(parts.get(0).decoderResult().isFailure()).isTrue();
        parts.forEach(ReferenceCountUtil::release);
    }

    @Test
    void aPlainRequestLeavesTheConnectionOpen() {
        receive("POST /v3 HTTP/1.1\r\nHost: api\r\nContent-Length: 3\r\n\r\nabc").forEach(ReferenceCountUtil::release);
        send(response("ok"));
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void theHeaderNamesAClientRepeatsAreKeptAcrossRequests() {
        String request = "GET /v3 HTTP/1.1\r\nHost: api\r\nX-Auth-Token: %s\r\nUser-Agent: cli\r\n\r\n";
        List<HttpObject> parts = receive(String.format(request, "one") + String.format(request, "two"));
        HttpRequest first = (HttpRequest) parts.get(0);
        HttpRequest second = (HttpRequest) parts.get(2);
        assertThat(second.headers().get("X-Auth-Token")).isEqualTo("two");
        List<CharSequence> firstNames = new ArrayList<>();
        first.headers().iteratorCharSequence().forEachRemaining(field -> firstNames.add(field.getKey()));
        List<CharSequence> secondNames = new ArrayList<>();
        second.headers().iteratorCharSequence().forEachRemaining(field -> secondNames.add(field.getKey()));
        for (int i = 0; i < firstNames.size(); i++) {
            assertThat((Object) secondNames.get(i)).isSameAs(firstNames.get(i));
        }
        parts.forEach(ReferenceCountUtil::release);
    }

    /** Requests read far ahead of their answers are refused, as Netty's server codec refuses them. */
    @Test
    void moreRequestsAheadOfTheirResponsesThanTheLimitAreRefused() {
        String many = "GET / HTTP/1.1\r\nHost: api\r\n\r\n".repeat(DownstreamHttpCodec.MAX_PIPELINE_DEPTH + 1);
        Assertions.assertThatThrownBy(() -> channel.writeInbound(Unpooled.copiedBuffer(many, StandardCharsets.US_ASCII)))
                .isInstanceOf(DecoderException.class).hasMessageContaining("read ahead");
        List<HttpObject> parts = new ArrayList<>();
        HttpObject part;
        while ((part = channel.readInbound()) != null) {
            parts.add(part);
        }
        assertThat(parts.stream().filter(HttpRequest.class::isInstance)).hasSize(DownstreamHttpCodec.MAX_PIPELINE_DEPTH);
        parts.forEach(ReferenceCountUtil::release);
    }

    private static DefaultFullHttpResponse response(String body) {
        DefaultFullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                Unpooled.copiedBuffer(body, StandardCharsets.US_ASCII));
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length());
        return response;
    }

    private String send(Object response) {
        return CodecChannels.send(channel, response);
    }

    private List<HttpObject> receive(String bytes) {
        return CodecChannels.receive(channel, bytes);
    }
}
