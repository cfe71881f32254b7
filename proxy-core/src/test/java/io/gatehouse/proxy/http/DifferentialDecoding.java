package io.gatehouse.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;

/**
 * Holds a decoder that reads plain messages itself to Netty's decoder: the same bytes go through both whole, in
 * pieces of 7 bytes and (when short) byte by byte, and the two must decode the same messages from the same piece
 * on. Anything else would be a second parser that a smuggled message could play against the first. Parts are
 * handed back ({@link Reusable}) as soon as they are read, so several messages in one input are read into reused
 * parts.
 */
final class DifferentialDecoding {

    /** Bytes that parsers disagree on, put anywhere in a message. */
    private static final byte[] ODD = {' ', '\t', '\r', '\n', ':', 0, 0x7f, (byte) 0x80, (byte) 0xff, 'a', '0', ',', '"', 0x0b, 0x0c};

    private final Supplier<EmbeddedChannel> ours;
    private final Supplier<EmbeddedChannel> netty;

    /** Each supplier makes a channel with its decoder, ready for inbound bytes. */
    DifferentialDecoding(Supplier<EmbeddedChannel> ours, Supplier<EmbeddedChannel> netty) {
        this.ours = ours;
        this.netty = netty;
    }

    void assertSame(byte[] input) {
        String shown = new String(input, StandardCharsets.ISO_8859_1).replace("\r", "\\r").replace("\n", "\\n");
        int[] pieces = input.length < 300 ? new int[] {input.length, 7, 1} : new int[] {input.length, 7};
        for (int piece : pieces) {
            assertThat(decode(ours, input, piece)).as(shown + " in pieces of " + piece).isEqualTo(decode(netty, input, piece));
        }
    }

    void assertSame(String input) {
        assertSame(input.getBytes(StandardCharsets.ISO_8859_1));
    }

    /**
     * {@code plain} with one odd byte put in at each place in turn, with one byte replaced, and with one byte taken
     * out; then with three bytes replaced at random places, {@code rounds} times.
     */
    void assertSameForChangesTo(String plain, Random random, int rounds) {
        byte[] bytes = plain.getBytes(StandardCharsets.ISO_8859_1);
        for (int at = 0; at < bytes.length; at++) {
            byte odd = ODD[random.nextInt(ODD.length)];
            assertSame(insert(bytes, at, odd));
            assertSame(replace(bytes, at, odd));
            assertSame(remove(bytes, at));
        }
        for (int round = 0; round < rounds; round++) {
            byte[] changed = bytes;
            for (int change = 0; change < 3; change++) {
                changed = replace(changed, random.nextInt(changed.length), ODD[random.nextInt(ODD.length)]);
            }
            assertSame(changed);
        }
    }

    /**
     * What a decoder makes of {@code input} arriving in pieces of {@code piece} bytes, then the connection closing:
     * each piece's messages apart, so that a decoder that answers later than Netty's differs too.
     */
    private static List<String> decode(Supplier<EmbeddedChannel> channels, byte[] input, int piece) {
        EmbeddedChannel channel = channels.get();
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
            decoded.add(part instanceof HttpObject message ? describe(message)
                    : "bytes[" + ((ByteBuf) part).toString(StandardCharsets.ISO_8859_1) + "]");
            ReferenceCountUtil.release(part);
            // As the proxy does: the decoder reads later messages into the parts it had handed back, so any state
            // they kept from an earlier message would show up as a difference from Netty's decoder here.
            Reusable.handBack(part);
        }
    }

    private static String describe(HttpObject part) {
        StringBuilder text = new StringBuilder();
        if (part.decoderResult().isFailure()) {
            text.append("FAILED ").append(part.decoderResult().cause().getClass().getSimpleName()).append(' ');
        }
        if (part instanceof HttpRequest request) {
            text.append(request.method()).append(' ').append(request.uri()).append(' ').append(request.protocolVersion());
        }
        if (part instanceof HttpResponse response) {
            text.append(response.protocolVersion()).append(' ').append(response.status().code()).append(" [")
                    .append(response.status().reasonPhrase()).append(']');
        }
        if (part instanceof HttpRequest || part instanceof HttpResponse) {
            for (Map.Entry<String, String> field : ((io.netty.handler.codec.http.HttpMessage) part).headers().entries()) {
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
