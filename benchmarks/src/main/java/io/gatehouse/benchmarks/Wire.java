package io.gatehouse.benchmarks;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;

/** Bytes as a socket would carry them, into and out of the codecs under test. */
final class Wire {

    private Wire() {
    }

    /** A pooled direct buffer, as the transport reads into; benchmarks feed retained duplicates of it. */
    static ByteBuf bytes(String text) {
        byte[] raw = text.getBytes(StandardCharsets.US_ASCII);
        return PooledByteBufAllocator.DEFAULT.directBuffer(raw.length).writeBytes(raw);
    }

    /** Counts and releases what an encoder wrote: the count keeps the work from being optimised away. */
    static int drain(EmbeddedChannel channel) {
        int written = 0;
        ByteBuf out;
        while ((out = channel.readOutbound()) != null) {
            written += out.readableBytes();
            out.release();
        }
        return written;
    }
}
