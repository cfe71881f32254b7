package io.gatehouse.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Backend responses read as plain must be read exactly as Netty's client codec reads them, from the same piece of
 * input on ({@link DifferentialDecoding}), each answering the requests sent before it.
 */
class PlainResponseReadingTest {

    private static final String KEYSTONE = "HTTP/1.1 201 CREATED\r\nDate: Sat, 28 Nov 2026 12:00:00 GMT\r\nServer: Apache\r\n"
            + "Content-Length: 17\r\nX-Subject-Token: gAAAAABn\r\nVary: X-Auth-Token\r\nContent-Type: application/json\r\n\r\n"
            + "{\"token\": {}}\r\n\r\n";
    private static final String NOVA = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 15\r\n"
            + "OpenStack-API-Version: compute 2.90\r\nx-openstack-request-id: req-0b8e2f6a\r\n\r\n{\"servers\": []}";

    @Test
    void plainResponsesAreReadAsNettyReadsThem() {
        answering(HttpMethod.POST, HttpMethod.GET).assertSame(KEYSTONE + NOVA);
        answering(HttpMethod.GET, HttpMethod.GET, HttpMethod.GET).assertSame(NOVA + NOVA + NOVA);
        answering(HttpMethod.GET).assertSame("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n");
        answering(HttpMethod.GET).assertSame("HTTP/1.1 299 Custom Reason\r\nContent-Length: 2\r\n\r\nok");
    }

    /** Whether a response has a body depends on its request: HEAD, and 204 and 304 to anything, have none. */
    @Test
    void bodilessResponsesAreReadAsNettyReadsThem() {
        answering(HttpMethod.HEAD, HttpMethod.GET).assertSame("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n" + NOVA);
        answering(HttpMethod.HEAD, HttpMethod.GET).assertSame("HTTP/1.1 200 OK\r\n\r\n" + NOVA);
        answering(HttpMethod.GET, HttpMethod.GET).assertSame("HTTP/1.1 204 No Content\r\n\r\n" + NOVA);
        answering(HttpMethod.GET, HttpMethod.GET).assertSame("HTTP/1.1 304 Not Modified\r\nContent-Length: 9\r\n\r\n" + NOVA);
    }

    @Test
    void responsesThatAreNotPlainAreLeftToNetty() {
        for (String response : List.of(
                "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nread until the close",
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n" + NOVA,
                "HTTP/1.1 100 Continue\r\n\r\n" + NOVA,
                "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n"
                        + "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n",
                "HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok",
                "HTTP/1.1 200\r\nContent-Length: 2\r\n\r\nok",
                "HTTP/1.1 200 \r\nContent-Length: 2\r\n\r\nok",
                "HTTP/1.1 200 Two  Spaces\r\nContent-Length: 2\r\n\r\nok",
                "HTTP/1.1 2000 OK\r\nContent-Length: 2\r\n\r\nok",
                "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nok!",
                "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\ncut short by the close",
                "HTTP/1.1 200 OK\r\nX-Bad: caf\u00e9\r\nContent-Length: 2\r\n\r\nok" + NOVA,
                "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokHTTP/1.1 200 OK\r\nX: a\r\n b\r\nContent-Length: 0\r\n\r\n" + NOVA)) {
            answering(HttpMethod.GET, HttpMethod.GET, HttpMethod.GET).assertSame(response);
        }
        answering(HttpMethod.CONNECT).assertSame("HTTP/1.1 200 Connection Established\r\n\r\ntunnelled bytes");
    }

    @Test
    void everySmallChangeToAPlainResponseIsReadAsNettyReadsIt() {
        Random random = new Random(1128);
        answering(HttpMethod.POST, HttpMethod.GET).assertSameForChangesTo(KEYSTONE + NOVA, random, 300);
        answering(HttpMethod.HEAD, HttpMethod.GET).assertSameForChangesTo("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n" + NOVA, random, 100);
    }

    /** A backend repeats its reason phrases too: "201 CREATED" is made once per connection, not once per response. */
    @Test
    void aRepeatedOwnReasonPhraseIsOneStatus() {
        EmbeddedChannel channel = channel(() -> new UpstreamHttpCodec(Http1DecoderConfigs.responses()), HttpMethod.POST, HttpMethod.POST);
        channel.writeInbound(Unpooled.copiedBuffer(KEYSTONE + KEYSTONE, StandardCharsets.ISO_8859_1));
        HttpResponse first = channel.readInbound();
        channel.readInbound();
        HttpResponse second = channel.readInbound();
        assertThat(first.status().reasonPhrase()).isEqualTo("CREATED");
        assertThat(second.status()).isSameAs(first.status());
        channel.finishAndReleaseAll();
    }

    private static DifferentialDecoding answering(HttpMethod... methods) {
        return new DifferentialDecoding(
                () -> channel(() -> new UpstreamHttpCodec(Http1DecoderConfigs.responses()), methods),
                () -> channel(() -> new HttpClientCodec(Http1DecoderConfigs.responses(), false, false), methods));
    }

    /** A codec that has sent one request per method, so that it reads the responses as answers to them. */
    private static EmbeddedChannel channel(Supplier<ChannelHandler> codec, HttpMethod... methods) {
        EmbeddedChannel channel = new EmbeddedChannel(codec.get());
        for (HttpMethod method : methods) {
            CodecChannels.send(channel, new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, "/"));
        }
        return channel;
    }
}
