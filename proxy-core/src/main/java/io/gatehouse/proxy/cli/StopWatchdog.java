package io.gatehouse.proxy.cli;

import io.gatehouse.proxy.ThreadStacks;
import java.time.Duration;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last resort after SIGTERM: a stop that has not finished by its deadline is stuck somewhere. Waiting for the
 * supervisor's SIGKILL would end the process without a trace, so this logs every thread's stack, to show where it
 * was stuck, and halts with exit code 1.
 */
final class StopWatchdog {

    /**
     * Beyond the drain timeout: closing the connections takes up to 2 s, the event loops' bounded shutdown up to
     * 10 s; the rest is margin.
     */
    static final Duration MARGIN = Duration.ofSeconds(20);

    private static final Logger LOG = LoggerFactory.getLogger(StopWatchdog.class);

    private final Thread thread;

    private StopWatchdog(Duration limit, IntConsumer halt) {
        thread = new Thread(() -> {
            try {
                Thread.sleep(limit.toMillis());
            } catch (InterruptedException disarmed) {
                return;
            }
            LOG.error("stop did not finish within {}s of the signal; halting with exit code {}. Where each thread was:\n{}",
                    limit.toSeconds(), ExitCodes.RUNTIME_ERROR, ThreadStacks.all());
            halt.accept(ExitCodes.RUNTIME_ERROR);
        }, "gatehouse-stop-watchdog");
        // A daemon: a stop that finishes in time exits without waiting for it.
        thread.setDaemon(true);
    }

    /** Calls {@code halt} unless {@link #disarm()} comes within {@code limit}. */
    static StopWatchdog arm(Duration limit, IntConsumer halt) {
        StopWatchdog watchdog = new StopWatchdog(limit, halt);
        watchdog.thread.start();
        return watchdog;
    }

    void disarm() {
        thread.interrupt();
    }

    /** For tests: waits until the watchdog has either halted or been disarmed. */
    boolean awaitEnd(Duration timeout) throws InterruptedException {
        thread.join(timeout.toMillis());
        return !thread.isAlive();
    }
}
