package io.gatehouse.proxy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class StopWatchdogTest {

    private final AtomicInteger haltedWith = new AtomicInteger(-1);

    @Test
    void aStopThatOverrunsItsDeadlineHaltsWithExitCodeOne() throws InterruptedException {
        StopWatchdog watchdog = StopWatchdog.arm(Duration.ofMillis(50), haltedWith::set);
        assertThat(watchdog.awaitEnd(Duration.ofSeconds(10))).isTrue();
        assertThat(haltedWith).hasValue(ExitCodes.RUNTIME_ERROR);
    }

    @Test
    void aStopThatFinishesInTimeDisarmsItAndNothingHalts() throws InterruptedException {
        StopWatchdog watchdog = StopWatchdog.arm(Duration.ofSeconds(30), haltedWith::set);
        watchdog.disarm();
        assertThat(watchdog.awaitEnd(Duration.ofSeconds(10))).isTrue();
        assertThat(haltedWith).hasValue(-1);
    }
}
