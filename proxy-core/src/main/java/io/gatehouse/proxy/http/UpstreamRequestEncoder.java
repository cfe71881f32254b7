package io.gatehouse.proxy.http;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequestEncoder;

/**
 * Netty's request encoder, writing {@link FlatHttpHeaders} without an iterator per request. The encoding half of
 * {@link UpstreamHttpCodec}; public for the forwarding benchmark, which has no responses to pair with requests.
 */
public class UpstreamRequestEncoder extends HttpRequestEncoder {

    @Override
    protected final void encodeHeaders(HttpHeaders headers, ByteBuf buf) {
        if (!FlatHttpHeaders.writeLines(headers, buf)) {
            super.encodeHeaders(headers, buf);
        }
    }
}
