package io.gatehouse.proxy.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Bytes into a codec under test and its messages out, and what it wrote. */
final class CodecChannels {

    private CodecChannels() {
    }

    /** Every message the channel's codec decodes from {@code bytes}. */
    static List<HttpObject> receive(EmbeddedChannel channel, String bytes) {
        channel.writeInbound(Unpooled.copiedBuffer(bytes, StandardCharsets.ISO_8859_1));
        List<HttpObject> parts = new ArrayList<>();
        HttpObject part;
        while ((part = channel.readInbound()) != null) {
            parts.add(part);
        }
        return parts;
    }

    /** Writes {@code message} through the channel's codec and returns the bytes it wrote. */
    static String send(EmbeddedChannel channel, Object message) {
        channel.writeOutbound(message);
        StringBuilder written = new StringBuilder();
        ByteBuf bytes;
        while ((bytes = channel.readOutbound()) != null) {
            written.append(bytes.toString(StandardCharsets.ISO_8859_1));
            bytes.release();
        }
        return written.toString();
    }
}
