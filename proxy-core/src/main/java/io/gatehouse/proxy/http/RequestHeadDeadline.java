package io.gatehouse.proxy.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The slowloris defence: once the first byte of a request arrives, its whole head must arrive within the deadline.
 * The deadline is total, not idle, so trickling a header line every few seconds does not extend it. A client that
 * misses it gets 408 and the connection is closed.
 *
 * <p>Two handlers share this state: {@link #byteWatcher()} before the HTTP codec sees the first bytes, and
 * {@link #headWatcher()} after it sees the decoded head and the response going out. The clock runs only between
 * exchanges, so a long upload or download is never cut by it.
 */
public final class RequestHeadDeadline {

    private static final String TIMEOUT_BODY = "Request Timeout: the request head took too long.\n";
    private static final byte[] REQUEST_TIMEOUT = ("HTTP/1.1 408 Request Timeout\r\nConnection: close\r\nContent-Type: text/plain\r\n"
            + "Content-Length: " + TIMEOUT_BODY.length() + "\r\n\r\n" + TIMEOUT_BODY).getBytes(StandardCharsets.US_ASCII);

    private final long deadlineNanos;
    private ChannelHandlerContext rawContext;
    private boolean headPending;
    private boolean exchangeInProgress;
    private boolean informational;
    private boolean checkScheduled;
    private long headStartedNanos;

    public RequestHeadDeadline(Duration deadline) {
        this.deadlineNanos = deadline.toNanos();
    }

    /** Goes before the HTTP codec: starts the clock at the first byte of a request. */
    public ChannelHandler byteWatcher() {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void handlerAdded(ChannelHandlerContext ctx) {
                rawContext = ctx;
            }

            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                if (!headPending && !exchangeInProgress && msg instanceof ByteBuf bytes && bytes.isReadable()) {
                    headPending = true;
                    headStartedNanos = now(ctx);
                    scheduleCheck(ctx, deadlineNanos);
                }
                ctx.fireChannelRead(msg);
            }
        };
    }

    /** Goes after the HTTP codec: stops the clock at the decoded head, and knows when the response is complete. */
    public ChannelHandler headWatcher() {
        return new ChannelDuplexHandler() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                if (msg instanceof HttpRequest) {
                    headPending = false;
                    exchangeInProgress = true;
                }
                ctx.fireChannelRead(msg);
            }

            @Override
            public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
                if (msg instanceof HttpResponse response) {
                    informational = response.status().codeClass() == HttpStatusClass.INFORMATIONAL;
                }
                if (msg instanceof LastHttpContent) {
                    if (informational) {
                        informational = false;
                    } else {
                        exchangeInProgress = false;
                    }
                }
                ctx.write(msg, promise);
            }
        };
    }

    private void scheduleCheck(ChannelHandlerContext ctx, long delayNanos) {
        if (checkScheduled) {
            return;
        }
        checkScheduled = true;
        ctx.executor().schedule(this::check, delayNanos, TimeUnit.NANOSECONDS);
    }

    /** One check per deadline, not one timer per request: a busy keep-alive connection schedules rarely. */
    private void check() {
        checkScheduled = false;
        ChannelHandlerContext ctx = rawContext;
        if (!headPending || ctx == null || !ctx.channel().isActive()) {
            return;
        }
        long remaining = deadlineNanos - (now(ctx) - headStartedNanos);
        if (remaining > 0) {
            scheduleCheck(ctx, remaining);
            return;
        }
        headPending = false;
        // Written below the HTTP codec on purpose: no request was decoded, so there is nothing to pair it with.
        ctx.writeAndFlush(Unpooled.wrappedBuffer(REQUEST_TIMEOUT)).addListener(ChannelFutureListener.CLOSE);
    }

    private static long now(ChannelHandlerContext ctx) {
        return ctx.executor().ticker().nanoTime();
    }
}
