package io.gatehouse.proxy.http;

import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.util.AsciiString;

/**
 * Netty's request decoder, keeping the header names a client repeats in every request ({@link HeaderNameCache}).
 * The proxy uses it inside {@link DownstreamHttpCodec}; public for the forwarding benchmark, which reads requests
 * that nothing answers.
 */
public class NameKeepingRequestDecoder extends HttpRequestDecoder {

    /** A client sends fewer distinct names than a backend, and there are many more clients to keep them for. */
    private static final int NAME_SLOTS = 32;

    private final HeaderNameCache names = new HeaderNameCache(NAME_SLOTS);

    public NameKeepingRequestDecoder(HttpDecoderConfig config) {
        super(config);
    }

    @Override
    protected final AsciiString splitHeaderName(byte[] sb, int start, int length) {
        return names.name(sb, start, length);
    }
}
