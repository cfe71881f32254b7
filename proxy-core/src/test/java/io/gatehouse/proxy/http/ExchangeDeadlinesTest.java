package io.gatehouse.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.config.BackendTimeouts;
import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** On a frozen clock: response-header 2 s, total 5 s. */
class ExchangeDeadlinesTest {

    final BackendTimeouts timeouts = new BackendTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(2),
            Optional.of(Duration.ofSeconds(5)));
    final EmbeddedChannel channel = frozen();
    final List<String> fired = new ArrayList<>();
    final ExchangeDeadlines deadlines = new ExchangeDeadlines(channel.eventLoop(), (name, limit) -> fired.add(name));

    @AfterEach
    void release() {
        channel.finishAndReleaseAll();
    }

    @Test
    void theResponseHeaderClockRunsFromTheEndOfTheRequestUntilTheResponseStarts() {
        deadlines.exchangeStarted(timeouts);
        deadlines.requestSent(timeouts);
        advance(1900);
        assertThat(fired).isEmpty();
        deadlines.responseStarted();
        advance(2000);
        assertThat(fired).as("the response started in time").isEmpty();
        advance(1200);
        assertThat(fired).containsExactly("total");
    }

    @Test
    void anEndedExchangeFiresNothing() {
        deadlines.exchangeStarted(timeouts);
        deadlines.requestSent(timeouts);
        deadlines.exchangeEnded();
        advance(10_000);
        assertThat(fired).isEmpty();
        deadlines.requestSent(timeouts);
        advance(2000);
        assertThat(fired).containsExactly("response-header");
    }

    @Test
    void eachExchangeGetsItsOwnResponseHeaderDeadlineFromTheOneCheck() {
        deadlines.requestSent(timeouts);
        advance(1500);
        deadlines.exchangeEnded();
        deadlines.requestSent(timeouts);
        advance(600);
        assertThat(fired).as("the first exchange's deadline passed, but it had ended").isEmpty();
        advance(1500);
        assertThat(fired).as("2 s after the second request").containsExactly("response-header");
        advance(10_000);
        assertThat(fired).as("once").containsExactly("response-header");
    }

    @Test
    void aRequestSentAgainMovesTheDeadlineInsteadOfAddingOne() {
        deadlines.requestSent(timeouts);
        advance(1500);
        // The same exchange, tried on another server.
        deadlines.requestSent(timeouts);
        advance(600);
        assertThat(fired).isEmpty();
        advance(1500);
        assertThat(fired).as("2 s after it was sent again").containsExactly("response-header");
    }

    @Test
    void aShorterDeadlineWakesTheCheckEarlierThanALongerOne() {
        deadlines.exchangeStarted(timeouts);
        deadlines.requestSent(timeouts);
        advance(2100);
        assertThat(fired).as("response-header (2 s) before total (5 s)").containsExactly("response-header");
    }

    @Test
    void stoppedDeadlinesLeaveNoTimerBehind() {
        deadlines.exchangeStarted(timeouts);
        deadlines.requestSent(timeouts);
        assertThat(channel.runScheduledPendingTasks()).as("a check is pending").isPositive();
        deadlines.stop();
        assertThat(channel.runScheduledPendingTasks()).as("no task is pending").isEqualTo(-1);
        assertThat(fired).isEmpty();
    }

    private void advance(long millis) {
        channel.advanceTimeBy(millis, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
    }

    private static EmbeddedChannel frozen() {
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.freezeTime();
        return channel;
    }
}
