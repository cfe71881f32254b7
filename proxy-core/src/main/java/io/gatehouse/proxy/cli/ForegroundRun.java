package io.gatehouse.proxy.cli;

import io.gatehouse.proxy.Gatehouse;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * Keeps a started Gatehouse running until SIGTERM or SIGINT, then drains it. Handling the signals ourselves,
 * rather than in a shutdown hook, lets a clean drain exit 0 as systemd and container runtimes expect.
 */
final class ForegroundRun {

    private static final Logger LOG = LoggerFactory.getLogger(ForegroundRun.class);

    private ForegroundRun() {
    }

    static int untilSignalled(Gatehouse gatehouse, Duration drainTimeout) throws InterruptedException {
        CountDownLatch stop = new CountDownLatch(1);
        String[] received = new String[1];
        for (String name : new String[] {"TERM", "INT"}) {
            Signal.handle(new Signal(name), signal -> {
                received[0] = "SIG" + signal.getName();
                stop.countDown();
            });
        }
        stop.await();
        LOG.info("signal received signal={} drain_timeout={}s", received[0], drainTimeout.toSeconds());
        StopWatchdog watchdog = StopWatchdog.arm(drainTimeout.plus(StopWatchdog.MARGIN), code -> Runtime.getRuntime().halt(code));
        gatehouse.drainAndStop(drainTimeout);
        watchdog.disarm();
        return ExitCodes.OK;
    }
}
