package io.gatehouse.proxy.http;

import io.gatehouse.config.BackendTimeouts;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Ticker;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * The upstream timeouts of one exchange: {@code total} from its start, {@code response-header} from the end of
 * the request to the response head. Each fires at most once per exchange, on the exchange's event loop, with its
 * name.
 *
 * <p>A deadline is a time noted, not a timer: one check per connection wakes at the earliest deadline and, if the
 * exchange it was set for has ended or its deadline moved on, goes back to sleep until the next one. A timer per
 * request (scheduled, then cancelled) took two priority-queue operations and three objects on every request of a
 * busy keep-alive connection. {@link RequestHeadDeadline} and {@code IdleTimeout} check the same way.
 */
final class ExchangeDeadlines {

    private static final long UNSET = Long.MAX_VALUE;

    private final EventExecutor executor;
    private final Ticker ticker;
    private final BiConsumer<String, Duration> onTimeout;
    private final Runnable check = this::check;
    private long responseHeadAt = UNSET;
    private Duration responseHeadLimit;
    private long totalAt = UNSET;
    private Duration totalLimit;
    /** The pending check, and when it wakes; null when none is pending. */
    private ScheduledFuture<?> pending;
    private long pendingAt;

    ExchangeDeadlines(EventExecutor executor, BiConsumer<String, Duration> onTimeout) {
        this.executor = executor;
        this.ticker = executor.ticker();
        this.onTimeout = onTimeout;
    }

    void exchangeStarted(BackendTimeouts timeouts) {
        if (timeouts.total().isPresent()) {
            totalLimit = timeouts.total().get();
            totalAt = ticker.nanoTime() + totalLimit.toNanos();
            wakeBy(totalAt);
        }
    }

    void requestSent(BackendTimeouts timeouts) {
        responseHeadLimit = timeouts.responseHeader();
        responseHeadAt = ticker.nanoTime() + responseHeadLimit.toNanos();
        wakeBy(responseHeadAt);
    }

    void responseStarted() {
        responseHeadAt = UNSET;
    }

    void exchangeEnded() {
        responseHeadAt = UNSET;
        totalAt = UNSET;
    }

    /** Stops checking for good: the connection is gone, and a pending check need not keep it reachable. */
    void stop() {
        exchangeEnded();
        if (pending != null) {
            pending.cancel(false);
            pending = null;
        }
    }

    /** Makes sure a check wakes no later than {@code at}. */
    private void wakeBy(long at) {
        if (pending != null) {
            if (pendingAt <= at) {
                return;
            }
            pending.cancel(false);
        }
        pendingAt = at;
        pending = executor.schedule(check, Math.max(0, at - ticker.nanoTime()), TimeUnit.NANOSECONDS);
    }

    private void check() {
        pending = null;
        long now = ticker.nanoTime();
        if (responseHeadAt <= now) {
            responseHeadAt = UNSET;
            onTimeout.accept("response-header", responseHeadLimit);
        }
        // The handler may have ended the exchange, or started the next one, in the callback above.
        if (totalAt <= now) {
            totalAt = UNSET;
            onTimeout.accept("total", totalLimit);
        }
        long next = Math.min(responseHeadAt, totalAt);
        if (next != UNSET) {
            wakeBy(next);
        }
    }
}
