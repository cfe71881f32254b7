package io.gatehouse.proxy.http;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.DefaultHttp2ResetFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameStreamException;

/**
 * Answers a stream error the client caused (a zero WINDOW_UPDATE, DATA past the window, a malformed header block)
 * with RST_STREAM carrying that error, instead of letting the stream close with CANCEL. Netty counts the resets a
 * server sends, except CANCEL and NO_ERROR, and sends GOAWAY past the limit: that is the defence against
 * MadeYouReset (CVE-2025-55163), and it only works if the reset says what went wrong.
 */
public final class H2StreamErrorReset extends ChannelInboundHandlerAdapter {

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // Http2MultiplexHandler hands the child the codec's StreamException, then closes the child forcibly (CANCEL)
        // unless a reset already went out: so it must be written here, now.
        Http2Error error = cause instanceof Http2FrameStreamException frameError ? frameError.error()
                : cause instanceof Http2Exception.StreamException streamError ? streamError.error() : null;
        if (error != null) {
            ctx.writeAndFlush(new DefaultHttp2ResetFrame(error)).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        ctx.fireExceptionCaught(cause);
    }
}
