package io.gatehouse.proxy;

/**
 * Every handler name Gatehouse puts in a pipeline, in pipeline order. No handler is added without a name from here.
 *
 * <p>Downstream, http mode: from a trusted balancer {@code proxy-header-decoder}, {@code proxy-header-received}; then
 * {@code tls-engine-release}, {@code tls-sni} (replaced by the SslHandler once the ClientHello is read),
 * {@code handshake-log}, {@code protocol-selector} (replaced by ALPN's choice). HTTP/1.1: {@code request-head-deadline}, {@code obs-fold-scan},
 * {@code http-codec}, {@code obs-fold-mark}, {@code request-head-check}, {@code request-head-received}, {@code idle},
 * {@code forwarded-headers},
 * {@code http-proxy} (replaced by {@code relay} after a websocket upgrade). h2: {@code h2-codec}, {@code idle},
 * {@code h2-drain}, {@code h2-multiplex}; each stream: {@code h2-stream-errors}, {@code h2-to-http}, {@code h2-request-check},
 * {@code forwarded-headers}, {@code http-proxy}.
 * Downstream, redirect listener: {@code request-head-deadline}, {@code http-codec}, {@code request-head-check},
 * {@code request-head-received}, {@code idle}, {@code redirect}.
 * Downstream, tcp mode: {@code tls-engine-release}, {@code tls-sni}, {@code handshake-log}, {@code tcp-connect}, then
 * {@code relay} once the upstream is connected.
 * Upstream (both modes): {@code proxy-protocol} and {@code proxy-header-writer} when the backend is sent PROXY,
 * {@code upstream-tls} when it re-encrypts; then http mode: {@code http-codec}, {@code idle}, {@code upstream-response};
 * tcp mode: {@code relay}. Health checks: {@code http-codec}, {@code health-check}.
 */
public final class PipelineNames {

    public static final String TLS_ENGINE_RELEASE = "tls-engine-release";
    public static final String TLS_SNI = "tls-sni";
    public static final String HANDSHAKE_LOG = "handshake-log";
    public static final String REQUEST_HEAD_DEADLINE = "request-head-deadline";
    public static final String OBS_FOLD_SCAN = "obs-fold-scan";
    public static final String HTTP_CODEC = "http-codec";
    public static final String OBS_FOLD_MARK = "obs-fold-mark";
    public static final String REQUEST_HEAD_CHECK = "request-head-check";
    public static final String REQUEST_HEAD_RECEIVED = "request-head-received";
    public static final String IDLE = "idle";
    public static final String FORWARDED_HEADERS = "forwarded-headers";
    public static final String HTTP_PROXY = "http-proxy";
    public static final String UPSTREAM_RESPONSE = "upstream-response";
    public static final String TCP_CONNECT = "tcp-connect";
    public static final String PROXY_PROTOCOL = "proxy-protocol";
    public static final String PROXY_HEADER_WRITER = "proxy-header-writer";
    public static final String PROXY_HEADER_DECODER = "proxy-header-decoder";
    public static final String PROXY_HEADER_RECEIVED = "proxy-header-received";
    public static final String UPSTREAM_TLS = "upstream-tls";
    public static final String PROTOCOL_SELECTOR = "protocol-selector";
    public static final String H2_CODEC = "h2-codec";
    public static final String H2_MULTIPLEX = "h2-multiplex";
    public static final String H2_STREAM_ERRORS = "h2-stream-errors";
    public static final String H2_TO_HTTP = "h2-to-http";
    public static final String H2_REQUEST_CHECK = "h2-request-check";
    public static final String H2_DRAIN = "h2-drain";
    public static final String REDIRECT = "redirect";
    public static final String HEALTH_CHECK = "health-check";
    public static final String RESPONSE_DEADLINE = "response-deadline";
    public static final String RELAY = "relay";
    public static final String CHUNKED_WRITER = "chunked-writer";
    public static final String EXPECT_CONTINUE = "expect-continue";
    public static final String ADMIN = "admin";
    public static final String AGGREGATOR = "aggregator";

    private PipelineNames() {
    }
}
