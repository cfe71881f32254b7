package io.gatehouse.proxy;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Ticker;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Fires {@link IdleStateEvent#ALL_IDLE_STATE_EVENT} when a connection has read nothing and been asked to write
 * nothing for the timeout, then again after each further timeout.
 *
 * <p>Netty's {@code IdleStateHandler} does the same but notes a write when it completes, so it adds a listener to
 * every write and turns every void promise into a real one: four of each per proxied request, which showed in
 * keep-alive profiles. Noting a write when it is asked for is enough here: a connection whose writes stall stops
 * being asked to write (its peer's backpressure), so it still goes idle.
 */
public final class IdleTimeout extends ChannelDuplexHandler {

    private final long timeoutNanos;
    private Ticker ticker;
    private long lastActivity;
    /** Between a read and its read-complete: a slow large read is not idleness. */
    private boolean reading;
    private Future<?> check;
    /** The channel went inactive or the handler left the pipeline: the timer must not start again. */
    private boolean stopped;

    public IdleTimeout(Duration timeout) {
        if (timeout.isZero() || timeout.isNegative()) {
            throw new IllegalArgumentException("an idle timeout must be positive: " + timeout);
        }
        this.timeoutNanos = timeout.toNanos();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (ctx.channel().isActive() && ctx.channel().isRegistered()) {
            start(ctx);
        }
    }

    @Override
    public void channelRegistered(ChannelHandlerContext ctx) {
        if (ctx.channel().isActive()) {
            start(ctx);
        }
        ctx.fireChannelRegistered();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        start(ctx);
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        stop();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        stop();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        reading = true;
        ctx.fireChannelRead(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (reading) {
            reading = false;
            lastActivity = ticker.nanoTime();
        }
        ctx.fireChannelReadComplete();
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (ticker != null) {
            lastActivity = ticker.nanoTime();
        }
        ctx.write(msg, promise);
    }

    private void start(ChannelHandlerContext ctx) {
        if (stopped || check != null) {
            return;
        }
        ticker = ctx.executor().ticker();
        lastActivity = ticker.nanoTime();
        schedule(ctx, timeoutNanos);
    }

    private void stop() {
        stopped = true;
        if (check != null) {
            check.cancel(false);
        }
    }

    private void schedule(ChannelHandlerContext ctx, long delayNanos) {
        check = ctx.executor().schedule(() -> check(ctx), delayNanos, TimeUnit.NANOSECONDS);
    }

    /** One check per timeout, not a timer per read or write: a busy connection reschedules rarely. */
    private void check(ChannelHandlerContext ctx) {
        if (stopped || !ctx.channel().isOpen()) {
            return;
        }
        long remaining = reading ? timeoutNanos : timeoutNanos - (ticker.nanoTime() - lastActivity);
        if (remaining > 0) {
            schedule(ctx, remaining);
            return;
        }
        schedule(ctx, timeoutNanos);
        ctx.fireUserEventTriggered(IdleStateEvent.ALL_IDLE_STATE_EVENT);
    }
}
