package io.gatehouse.benchmarks;

import io.gatehouse.proxy.http.Reusable;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpObject;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/** Bytes as a socket would carry them, into and out of the codecs under test. */
final class Wire {

    private Wire() {
    }

    /** A pooled direct buffer, as the transport reads into; benchmarks feed retained duplicates of it. */
    static ByteBuf bytes(String text) {
        byte[] raw = text.getBytes(StandardCharsets.US_ASCII);
        return PooledByteBufAllocator.DEFAULT.directBuffer(raw.length).writeBytes(raw);
    }

    /**
     * Feeds a retained duplicate of {@code bytes} to {@code decoding}, hands each decoded part to {@code onPart} and then
     * to {@code encoding}, and returns how many bytes the encoder wrote.
     */
    static int forward(ByteBuf bytes, EmbeddedChannel decoding, Consumer<HttpObject> onPart, EmbeddedChannel encoding) {
        // writeOne*/flush* with void promises: writeInbound and writeOutbound make a varargs array and a promise per
        // call, harness garbage that -prof gc would count as the path's. The proxy writes with void promises too.
        decoding.writeOneInbound(bytes.retainedDuplicate(), decoding.voidPromise());
        decoding.flushInbound();
        HttpObject part;
        while ((part = decoding.readInbound()) != null) {
            onPart.accept(part);
            encoding.writeOneOutbound(part, encoding.voidPromise());
            // As the proxy handler does once a part is encoded (a request head only once its exchange ended).
            Reusable.handBack(part);
        }
        encoding.flushOutbound();
        return drain(encoding);
    }

    /** Counts and releases what an encoder wrote: the count keeps the work from being optimised away. */
    private static int drain(EmbeddedChannel channel) {
        int written = 0;
        ByteBuf out;
        while ((out = channel.readOutbound()) != null) {
            written += out.readableBytes();
            out.release();
        }
        return written;
    }
}
