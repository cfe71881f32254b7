package io.gatehouse.proxy.http;

import io.netty.channel.ChannelHandler;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2Settings;
import java.time.Duration;

/**
 * The h2 connection codec with the limits that keep a client from making the server work for free. Each limit
 * names the attack it closes.
 */
public final class Http2Front {

    /** RFC 9113 section 6.5.2 leaves it unlimited; HAProxy's default is 100. Past it, streams are refused. */
    static final int MAX_CONCURRENT_STREAMS = 100;
    /** Same bound as the HTTP/1.1 head (16 KiB); also bounds a CONTINUATION chain's decoded size. */
    static final int MAX_HEADER_LIST_SIZE = 16384;
    /** CVE-2023-44487 (rapid reset) and CVE-2025-55163 (MadeYouReset): resets per window, either side. */
    static final int MAX_RESETS = 200;
    static final int RESET_WINDOW_SECONDS = 30;
    /** SETTINGS and PING floods: control frames queued for a client that does not read its ACKs. */
    static final int MAX_QUEUED_CONTROL_FRAMES = 10_000;
    /** Empty DATA frames without END_STREAM in a row: cost the server, carry nothing. */
    static final int MAX_CONSECUTIVE_EMPTY_DATA = 2;
    /** CVE-2026-33871: zero-length CONTINUATION frames in one header block. */
    static final int MAX_SMALL_CONTINUATIONS = 16;

    private Http2Front() {
    }

    public static Http2FrameCodec codec(Duration drainTimeout) {
        return Http2FrameCodecBuilder.forServer()
                .validateHeaders(true)
                .validateRequiredPseudoHeaders(true)
                .initialSettings(Http2Settings.defaultSettings()
                        .maxConcurrentStreams(MAX_CONCURRENT_STREAMS)
                        .maxHeaderListSize(MAX_HEADER_LIST_SIZE))
                .decoderEnforceMaxRstFramesPerWindow(MAX_RESETS, RESET_WINDOW_SECONDS)
                .encoderEnforceMaxRstFramesPerWindow(MAX_RESETS, RESET_WINDOW_SECONDS)
                .encoderEnforceMaxQueuedControlFrames(MAX_QUEUED_CONTROL_FRAMES)
                .decoderEnforceMaxConsecutiveEmptyDataFrames(MAX_CONSECUTIVE_EMPTY_DATA)
                .decoderEnforceMaxSmallContinuationFrames(MAX_SMALL_CONTINUATIONS)
                // CVE-2026-50560: a client's tiny SETTINGS_MAX_HEADER_LIST_SIZE is advice, not a reason to fail
                // a response the backend already produced.
                .encoderIgnoreMaxHeaderListSize(true)
                .gracefulShutdownTimeoutMillis(drainTimeout.toMillis())
                .build();
    }

    /** Converts stream frames to the HTTP/1.1 objects the proxy handler speaks, validating header names. */
    public static ChannelHandler streamToHttp() {
        return new io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec(true, true);
    }
}
