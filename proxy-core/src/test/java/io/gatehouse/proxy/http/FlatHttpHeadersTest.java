package io.gatehouse.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FlatHttpHeadersTest {

    private static final List<String> NAMES = List.of("Host", "host", "Connection", "CONNECTION", "Content-Length",
            "X-Forwarded-For", "x-forwarded-for", "Accept", "X-Auth-Token");
    private static final List<String> VALUES = List.of("keep-alive", "close", "Keep-Alive , Upgrade", "a,b,  c", "",
            "api.example.com:5000", "gAAAA", "gzip ,chunked");

    /**
     * Netty's own headers are the reference: the same operations on both must read back the same, or the codecs
     * and Gatehouse's handlers would see a different message than before.
     */
    @Test
    void everyOperationReadsBackAsNettysHeadersDo() {
        Random random = new Random(20261128);
        for (int round = 0; round < 200; round++) {
            HttpHeaders flat = new FlatHttpHeaders();
            HttpHeaders netty = new DefaultHttpHeaders();
            for (int step = 0; step < 30; step++) {
                String name = NAMES.get(random.nextInt(NAMES.size()));
                String value = VALUES.get(random.nextInt(VALUES.size()));
                switch (random.nextInt(4)) {
                    case 0, 1 -> {
                        flat.add(name, value);
                        netty.add(name, value);
                    }
                    case 2 -> {
                        flat.set(name, value);
                        netty.set(name, value);
                    }
                    default -> {
                        flat.remove(name);
                        netty.remove(name);
                    }
                }
                assertSameReadings(flat, netty);
            }
        }
    }

    private static void assertSameReadings(HttpHeaders flat, HttpHeaders netty) {
        assertThat(flat.size()).isEqualTo(netty.size());
        assertThat(flat.isEmpty()).isEqualTo(netty.isEmpty());
        assertThat(flat.entries()).isEqualTo(netty.entries());
        assertThat(walk(flat)).isEqualTo(walk(netty));
        assertThat(flat.names()).containsExactlyInAnyOrderElementsOf(netty.names());
        for (String name : NAMES) {
            assertThat(flat.get(name)).as(name).isEqualTo(netty.get(name));
            assertThat(flat.getAll(name)).as(name).isEqualTo(netty.getAll(name));
            assertThat(flat.contains(name)).as(name).isEqualTo(netty.contains(name));
            for (String token : List.of("keep-alive", "KEEP-ALIVE", "upgrade", "b", "c", "chunked", "")) {
                assertThat(flat.containsValue(name, token, true)).as(name + " " + token).isEqualTo(netty.containsValue(name, token, true));
                assertThat(flat.containsValue(name, token, false)).as(name + " " + token).isEqualTo(netty.containsValue(name, token, false));
            }
        }
    }

    /** What the encoders see: each entry read as it is yielded, since the walk reuses one entry object. */
    private static List<String> walk(HttpHeaders headers) {
        List<String> fields = new ArrayList<>();
        for (Iterator<Map.Entry<CharSequence, CharSequence>> it = headers.iteratorCharSequence(); it.hasNext(); ) {
            Map.Entry<CharSequence, CharSequence> field = it.next();
            fields.add(field.getKey() + ": " + field.getValue());
        }
        return fields;
    }

    @Test
    void removingKeepsTheOrderOfTheFieldsThatStay() {
        HttpHeaders headers = new FlatHttpHeaders().add("A", "1").add("X-Hop", "2").add("B", "3").add("x-hop", "4").add("C", "5");
        headers.remove("X-HOP");
        assertThat(walk(headers)).containsExactly("A: 1", "B: 3", "C: 5");
    }

    @Test
    void namesAndValuesAreValidatedAsNettyValidatesThem() {
        HttpHeaders headers = new FlatHttpHeaders();
        assertThatThrownBy(() -> headers.add("Bad Name", "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> headers.add("Name:", "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> headers.add("X-Split", "a\r\nInjected: yes")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> headers.set("X-Nul", "a\0b")).isInstanceOf(IllegalArgumentException.class);
        assertThat(headers.isEmpty()).isTrue();
    }

    @Test
    void trailersRefuseTheFieldsThatFrameAMessage() {
        HttpHeaders trailers = FlatHttpHeaders.TRAILERS_FACTORY.newHeaders();
        assertThatThrownBy(() -> trailers.add("Content-Length", "5")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> trailers.add("Transfer-Encoding", "chunked")).isInstanceOf(IllegalArgumentException.class);
        trailers.add("X-Checksum", "abc");
        assertThat(trailers.get("x-checksum")).isEqualTo("abc");
    }

    @Test
    void aCopyChangesIndependently() {
        HttpHeaders original = new FlatHttpHeaders().add("A", "1");
        HttpHeaders copy = original.copy().add("B", "2");
        original.remove("A");
        assertThat(walk(copy)).containsExactly("A: 1", "B: 2");
        assertThat(original.isEmpty()).isTrue();
    }

    @Test
    void numbersAndDatesReadAsNettyReadsThem() {
        HttpHeaders headers = new FlatHttpHeaders().addInt("Content-Length", 42).add("Max-Forwards", "x")
                .add("Date", "Sat, 28 Nov 2026 12:00:00 GMT");
        assertThat(headers.getInt("content-length")).isEqualTo(42);
        assertThat(headers.getInt("Max-Forwards", 7)).isEqualTo(7);
        assertThat(headers.getTimeMillis("Date")).isEqualTo(1795867200000L);
        assertThat(headers.getShort("Content-Length", (short) 1)).isEqualTo((short) 42);
        assertThat(headers.getShort("Max-Forwards")).isNull();
        assertThat(headers.getTimeMillis("Max-Forwards", 9L)).isEqualTo(9L);
    }

    /** The proxy's decoders build messages and trailers on these headers, and a bad field still fails the message. */
    @Test
    void theProxysRequestDecoderBuildsFlatHeadersAndStillRefusesABadField() {
        EmbeddedChannel channel = new EmbeddedChannel(new HttpRequestDecoder(Http1DecoderConfigs.requests()));
        channel.writeInbound(Unpooled.copiedBuffer("POST /v3 HTTP/1.1\r\nHost: api\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "3\r\nabc\r\n0\r\nX-Checksum: 1\r\n\r\n"
                + "GET / HTTP/1.1\r\nHost: api\r\nX-Bad: a\u0001b\r\n\r\n", StandardCharsets.ISO_8859_1));
        HttpRequest good = channel.readInbound();
        assertThat(good.headers()).isInstanceOf(FlatHttpHeaders.class);
        assertThat(good.decoderResult().isSuccess()).isTrue();
        Object content = channel.readInbound();
        ReferenceCountUtil.release(content);
        LastHttpContent last = channel.readInbound();
        assertThat(last.trailingHeaders()).isInstanceOf(FlatHttpHeaders.class);
        assertThat(last.trailingHeaders().get("X-Checksum")).isEqualTo("1");
        last.release();
        HttpRequest bad = channel.readInbound();
        assertThat(bad.decoderResult().isFailure()).isTrue();
        channel.finishAndReleaseAll();
    }
}
