package io.gatehouse.proxy.http;

import io.gatehouse.config.BackendTimeouts;
import io.netty.util.concurrent.EventExecutor;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * The upstream timeouts of one exchange: {@code total} from its start, {@code response-header} from the end of
 * the request to the response head. Each fires at most once, on the exchange's event loop, with its name.
 */
final class ExchangeDeadlines {

    private final EventExecutor executor;
    private final BiConsumer<String, Duration> onTimeout;
    private ScheduledFuture<?> responseHead;
    private ScheduledFuture<?> total;

    ExchangeDeadlines(EventExecutor executor, BiConsumer<String, Duration> onTimeout) {
        this.executor = executor;
        this.onTimeout = onTimeout;
    }

    void exchangeStarted(BackendTimeouts timeouts) {
        timeouts.total().ifPresent(limit -> total = schedule("total", limit));
    }

    void requestSent(BackendTimeouts timeouts) {
        responseHead = schedule("response-header", timeouts.responseHeader());
    }

    void responseStarted() {
        cancel(responseHead);
        responseHead = null;
    }

    void exchangeEnded() {
        responseStarted();
        cancel(total);
        total = null;
    }

    private ScheduledFuture<?> schedule(String name, Duration limit) {
        return executor.schedule(() -> onTimeout.accept(name, limit), limit.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static void cancel(ScheduledFuture<?> deadline) {
        if (deadline != null) {
            deadline.cancel(false);
        }
    }
}
