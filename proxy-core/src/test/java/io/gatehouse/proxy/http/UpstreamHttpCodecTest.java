package io.gatehouse.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class UpstreamHttpCodecTest {

    private final EmbeddedChannel channel = new EmbeddedChannel(new UpstreamHttpCodec(Http1DecoderConfigs.responses()));

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
    }

    /**
     * A response to HEAD announces a body it does not carry. Read without its method, the 204 behind it would be taken
     * for that body, and a pooled connection would hand one client the next client's response.
     */
    @Test
    void aResponseToHeadHasNoBodySoTheNextResponseIsReadAsOne() {
        send(HttpMethod.HEAD);
        send(HttpMethod.GET);
        List<HttpObject> parts = receive("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n"
                + "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello");
        assertThat(parts).hasSize(4);
        assertThat(parts.get(1)).isInstanceOf(LastHttpContent.class);
        assertThat(((HttpContent) parts.get(1)).content().readableBytes()).isZero();
        assertThat(parts.get(2)).isInstanceOf(HttpResponse.class);
        assertThat(((HttpContent) parts.get(3)).content().toString(StandardCharsets.US_ASCII)).isEqualTo("hello");
        parts.forEach(ReferenceCountUtil::release);
    }

    /** 100 Continue answers no request on its own: the HEAD it precedes still pairs with the final response. */
    @Test
    void anInformationalResponseDoesNotUseUpItsRequestsMethod() {
        send(HttpMethod.HEAD);
        List<HttpObject> parts = receive("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n");
        assertThat(parts).hasSize(4);
        assertThat(((HttpResponse) parts.get(2)).status().code()).isEqualTo(200);
        assertThat(((HttpContent) parts.get(3)).content().readableBytes()).isZero();
        assertThat(channel.inboundMessages()).isEmpty();
        parts.forEach(ReferenceCountUtil::release);
    }

    /** The same names in the next response are the same objects; field values and spellings stay each response's. */
    @Test
    void theHeaderNamesABackendRepeatsAreKeptAcrossResponses() {
        String response = "HTTP/1.1 201 CREATED\r\nX-Subject-Token: %s\r\nx-openstack-request-id: req-%s\r\nContent-Length: 0\r\n\r\n";
        send(HttpMethod.POST);
        send(HttpMethod.POST);
        List<HttpObject> parts = receive(String.format(response, "one", "1") + String.format(response, "two", "2")
                + "HTTP/1.1 200 OK\r\nX-SUBJECT-TOKEN: three\r\nContent-Length: 0\r\n\r\n");
        List<Map.Entry<String, String>> first = ((HttpResponse) parts.get(0)).headers().entries();
        HttpResponse second = (HttpResponse) parts.get(2);
        HttpResponse third = (HttpResponse) parts.get(4);
        assertThat(second.headers().get("X-Subject-Token")).isEqualTo("two");
        assertThat(first.get(0).getValue()).isEqualTo("one");
        assertThat(nameObjects((HttpResponse) parts.get(0))).isEqualTo(nameObjects(second));
        assertThat(third.headers().entries().get(0).getKey()).isEqualTo("X-SUBJECT-TOKEN");
        parts.forEach(ReferenceCountUtil::release);
    }

    @Test
    void aNameCacheThatIsFullStillGivesEveryNameAsSent() {
        RepeatedText cache = new RepeatedText(64, 64, 4096);
        for (int i = 0; i < 100; i++) {
            byte[] name = ("X-Name-" + i).getBytes(StandardCharsets.US_ASCII);
            assertThat(cache.text(name, 0, name.length).toString()).isEqualTo("X-Name-" + i);
        }
        byte[] padded = "..X-Name-3..".getBytes(StandardCharsets.US_ASCII);
        assertThat(cache.text(padded, 2, 8).toString()).isEqualTo("X-Name-3");
        assertThat((Object) cache.text(padded, 2, 8)).isSameAs(cache.text("X-Name-3".getBytes(StandardCharsets.US_ASCII), 0, 8));
    }

    /** The hash reads a text's ends only: texts that differ only in the middle share a chain, never a kept text. */
    @Test
    void textsThatDifferOnlyInTheMiddleAreEachKeptAsSent() {
        RepeatedText cache = new RepeatedText(64, 64, 4096);
        List<AsciiString> first = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            byte[] text = etag(i).getBytes(StandardCharsets.US_ASCII);
            first.add(cache.text(text, 0, text.length));
        }
        for (int i = 0; i < 20; i++) {
            byte[] text = etag(i).getBytes(StandardCharsets.US_ASCII);
            AsciiString again = cache.text(text, 0, text.length);
            assertThat(again.toString()).isEqualTo(etag(i));
            assertThat((Object) again).isSameAs(first.get(i));
        }
    }

    /** Entity tags of one length that differ only in their middle. */
    private static String etag(int i) {
        return "W/\"5f3a-" + (10 + i) + "-6c1e0b2d\"";
    }

    /** A kept text is given back only for the very same bytes: a difference at any position of any length shows. */
    @Test
    void aTextDifferentInAnyOneByteIsNotTakenForAKeptOne() {
        for (int length = 1; length <= 40; length++) {
            RepeatedText cache = new RepeatedText(64, 64, 4096);
            byte[] kept = "abcdefghijklmnopqrstuvwxyz0123456789ABCD".substring(0, length).getBytes(StandardCharsets.US_ASCII);
            AsciiString first = cache.text(kept, 0, length);
            for (int at = 0; at < length; at++) {
                byte[] other = kept.clone();
                other[at] = '-';
                // At an offset, as a text lies in a head.
                byte[] head = new byte[length + 3];
                System.arraycopy(other, 0, head, 3, length);
                assertThat(cache.text(head, 3, length).toString()).isEqualTo(new String(other, StandardCharsets.US_ASCII));
            }
            assertThat((Object) cache.text(kept.clone(), 0, length)).as("length %d", length).isSameAs(first);
        }
    }

    /** Past its byte budget, or past its longest text, a cache keeps nothing more but still gives every text as sent. */
    @Test
    void aCacheKeepsNoMoreThanItsBudget() {
        RepeatedText cache = new RepeatedText(64, 8, 10);
        byte[] first = "abcdef".getBytes(StandardCharsets.US_ASCII);
        byte[] second = "ghijkl".getBytes(StandardCharsets.US_ASCII);
        byte[] tooLong = "mnopqrstu".getBytes(StandardCharsets.US_ASCII);
        assertThat((Object) cache.text(first, 0, 6)).isSameAs(cache.text(first, 0, 6));
        assertThat((Object) cache.text(second, 0, 6)).isNotSameAs(cache.text(second, 0, 6));
        assertThat(cache.text(second, 0, 6).toString()).isEqualTo("ghijkl");
        assertThat((Object) cache.text(tooLong, 0, 9)).isNotSameAs(cache.text(tooLong, 0, 9));
    }

    private static List<Object> nameObjects(HttpResponse response) {
        List<Object> names = new ArrayList<>();
        response.headers().iteratorCharSequence().forEachRemaining(field -> names.add(System.identityHashCode(field.getKey())));
        return names;
    }

    private void send(HttpMethod method) {
        CodecChannels.send(channel, new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, "/"));
    }

    private List<HttpObject> receive(String bytes) {
        return CodecChannels.receive(channel, bytes);
    }
}
