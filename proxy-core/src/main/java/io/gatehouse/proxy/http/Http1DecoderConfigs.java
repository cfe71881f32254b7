package io.gatehouse.proxy.http;

import io.netty.handler.codec.http.HttpDecoderConfig;

/**
 * How Gatehouse's HTTP/1.1 decoders parse: as strictly toward backends as toward clients. The strict settings are
 * Netty's defaults, but a process-wide property can turn them off, so they are pinned here. Public for the
 * forwarding benchmarks, which must parse as the proxy does.
 */
public final class Http1DecoderConfigs {

    // Decoders copy what they need when built: these are never handed out, only copies of them.
    private static final HttpDecoderConfig REQUESTS = strict()
            .setMaxInitialLineLength(8192)
            .setMaxHeaderSize(16384)
            .setMaxChunkSize(65536);

    /** Headers may be larger in responses: keystone's tokens carry the service catalog. */
    private static final HttpDecoderConfig RESPONSES = strict()
            .setMaxInitialLineLength(8192)
            .setMaxHeaderSize(65536)
            .setMaxChunkSize(65536);

    private Http1DecoderConfigs() {
    }

    /** For requests from clients. */
    public static HttpDecoderConfig requests() {
        return REQUESTS.clone();
    }

    /** For responses from backends. */
    public static HttpDecoderConfig responses() {
        return RESPONSES.clone();
    }

    private static HttpDecoderConfig strict() {
        return new HttpDecoderConfig()
                // Validating also resets both factories, so it comes first.
                .setValidateHeaders(true)
                .setHeadersFactory(FlatHttpHeaders.FACTORY)
                .setTrailersFactory(FlatHttpHeaders.TRAILERS_FACTORY)
                // Bare CR or LF as a line end is refused, not guessed at (request smuggling, RFC 9112 section 2.2).
                .setStrictLineParsing(true)
                // Transfer-Encoding other than a final chunked is refused (RFC 9112 section 6.3).
                .setUseRfc9112TransferEncoding(true);
    }
}
