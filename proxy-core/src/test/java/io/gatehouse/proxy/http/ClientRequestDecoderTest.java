package io.gatehouse.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The plain-request reading must accept exactly what Netty's decoder accepts and read it the same way: anything else
 * would be a second parser that a smuggled request could play against the first. Every input here goes through
 * both decoders whole, in pieces of 7 bytes and (when short) byte by byte, and the two must decode the same
 * messages from the same piece on.
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

    /** Bytes that parsers disagree on, put anywhere in a request. */
    private static final byte[] ODD = {' ', '\t', '\r', '\n', ':', 0, 0x7f, (byte) 0x80, (byte) 0xff, 'a', '0', ',', '"', 0x0b, 0x0c};

    @Test
    void plainRequestsAreReadAsNettyReadsThem() {
        for (String request : PLAIN) {
            assertSameAsNetty(bytes(request));
            assertSameAsNetty(bytes(request + request + "GET /next HTTP/1.1\r\nHost: api\r\n\r\n"));
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
            assertSameAsNetty(bytes(request));
        }
    }

    /**
     * Each plain request with one odd byte put in at each place in turn, with one byte replaced, and with one byte
     * taken out; then with three bytes replaced at random places.
     */
    @Test
    void everyOneByteChangeToAPlainRequestIsReadAsNettyReadsIt() {
        Random random = new Random(1128);
        for (String request : PLAIN) {
            byte[] plain = bytes(request);
            for (int at = 0; at < plain.length; at++) {
                byte odd = ODD[random.nextInt(ODD.length)];
                assertSameAsNetty(insert(plain, at, odd));
                assertSameAsNetty(replace(plain, at, odd));
                assertSameAsNetty(remove(plain, at));
            }
            for (int round = 0; round < 300; round++) {
                byte[] changed = plain;
                for (int change = 0; change < 3; change++) {
                    changed = replace(changed, random.nextInt(changed.length), ODD[random.nextInt(ODD.length)]);
                }
                assertSameAsNetty(changed);
            }
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

    private static void assertSameAsNetty(byte[] input) {
        String shown = new String(input, StandardCharsets.ISO_8859_1).replace("\r", "\\r").replace("\n", "\\n");
        int[] pieces = input.length < 300 ? new int[] {input.length, 7, 1} : new int[] {input.length, 7};
        for (int piece : pieces) {
            assertThat(decode(() -> new ClientRequestDecoder(Http1DecoderConfigs.requests()), input, piece)).as(shown + " in pieces of " + piece)
                    .isEqualTo(decode(() -> new HttpRequestDecoder(Http1DecoderConfigs.requests()), input, piece));
        }
    }

    /**
     * What a decoder makes of {@code input} arriving in pieces of {@code piece} bytes, then the connection closing:
     * each piece's messages apart, so that a decoder that answers later than Netty's differs too.
     */
    private static List<String> decode(Supplier<ChannelHandler> decoder, byte[] input, int piece) {
        EmbeddedChannel channel = new EmbeddedChannel(decoder.get());
        List<String> decoded = new ArrayList<>();
        for (int at = 0; at < input.length; at += piece) {
            channel.writeInbound(Unpooled.wrappedBuffer(input, at, Math.min(piece, input.length - at)));
            readAll(channel, decoded);
            decoded.add("--");
        }
        channel.finish();
        readAll(channel, decoded);
        return decoded;
    }

    private static void readAll(EmbeddedChannel channel, List<String> decoded) {
        Object part;
        while ((part = channel.readInbound()) != null) {
            decoded.add(describe((HttpObject) part));
            ReferenceCountUtil.release(part);
        }
    }

    private static String describe(HttpObject part) {
        StringBuilder text = new StringBuilder();
        if (part.decoderResult().isFailure()) {
            text.append("FAILED ").append(part.decoderResult().cause().getClass().getSimpleName()).append(' ');
        }
        if (part instanceof HttpRequest request) {
            text.append(request.method()).append(' ').append(request.uri()).append(' ').append(request.protocolVersion());
            for (Map.Entry<String, String> field : request.headers().entries()) {
                text.append(" | ").append(field.getKey()).append(": ").append(field.getValue());
            }
        }
        if (part instanceof HttpContent content) {
            ByteBuf bytes = content.content();
            text.append(" body[").append(bytes.toString(StandardCharsets.ISO_8859_1)).append(']');
            if (part instanceof LastHttpContent last) {
                text.append(" end").append(last.trailingHeaders().entries());
            }
        }
        return text.toString();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] insert(byte[] input, int at, byte b) {
        byte[] changed = new byte[input.length + 1];
        System.arraycopy(input, 0, changed, 0, at);
        changed[at] = b;
        System.arraycopy(input, at, changed, at + 1, input.length - at);
        return changed;
    }

    private static byte[] replace(byte[] input, int at, byte b) {
        byte[] changed = input.clone();
        changed[at] = b;
        return changed;
    }

    private static byte[] remove(byte[] input, int at) {
        byte[] changed = new byte[input.length - 1];
        System.arraycopy(input, 0, changed, 0, at);
        System.arraycopy(input, at + 1, changed, at, input.length - at - 1);
        return changed;
    }
}
