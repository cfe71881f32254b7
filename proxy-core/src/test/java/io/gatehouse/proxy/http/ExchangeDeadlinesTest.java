package io.gatehouse.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.config.BackendTimeouts;
import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ExchangeDeadlinesTest {

    final BackendTimeouts timeouts = new BackendTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(2),
            Optional.of(Duration.ofSeconds(5)));

    @Test
    void theResponseHeaderClockRunsFromTheEndOfTheRequestUntilTheResponseStarts() {
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.freezeTime();
        List<String> fired = new ArrayList<>();
        ExchangeDeadlines deadlines = new ExchangeDeadlines(channel.eventLoop(), (name, limit) -> fired.add(name));
        deadlines.exchangeStarted(timeouts);
        deadlines.requestSent(timeouts);
        channel.advanceTimeBy(1900, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertThat(fired).isEmpty();
        deadlines.responseStarted();
        channel.advanceTimeBy(2000, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertThat(fired).as("the response started in time").isEmpty();
        channel.advanceTimeBy(1200, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertThat(fired).containsExactly("total");
        channel.finishAndReleaseAll();
    }

    @Test
    void anEndedExchangeFiresNothing() {
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.freezeTime();
        List<String> fired = new ArrayList<>();
        ExchangeDeadlines deadlines = new ExchangeDeadlines(channel.eventLoop(), (name, limit) -> fired.add(name));
        deadlines.exchangeStarted(timeouts);
        deadlines.requestSent(timeouts);
        deadlines.exchangeEnded();
        channel.advanceTimeBy(10, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        assertThat(fired).isEmpty();
        deadlines.requestSent(timeouts);
        channel.advanceTimeBy(2, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        assertThat(fired).containsExactly("response-header");
        channel.finishAndReleaseAll();
    }

    @Test
    void eachExchangeGetsItsOwnResponseHeaderDeadlineFromTheOneCheck() {
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.freezeTime();
        List<String> fired = new ArrayList<>();
        ExchangeDeadlines deadlines = new ExchangeDeadlines(channel.eventLoop(), (name, limit) -> fired.add(name));
        deadlines.requestSent(timeouts);
        channel.advanceTimeBy(1500, TimeUnit.MILLISECONDS);
        deadlines.exchangeEnded();
        deadlines.requestSent(timeouts);
        channel.advanceTimeBy(600, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertThat(fired).as("the first exchange's deadline passed, but it had ended").isEmpty();
        channel.advanceTimeBy(1500, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertThat(fired).as("2 s after the second request").containsExactly("response-header");
        channel.advanceTimeBy(10, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        assertThat(fired).as("once").containsExactly("response-header");
        channel.finishAndReleaseAll();
    }

    @Test
    void aRequestSentAgainMovesTheDeadlineInsteadOfAddingOne() {
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.freezeTime();
        List<String> fired = new ArrayList<>();
        ExchangeDeadlines deadlines = new ExchangeDeadlines(channel.eventLoop(), (name, limit) -> fired.add(name));
        deadlines.requestSent(timeouts);
        channel.advanceTimeBy(1500, TimeUnit.MILLISECONDS);
        // The same exchange, tried on another server.
        deadlines.requestSent(timeouts);
        channel.advanceTimeBy(600, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertThat(fired).isEmpty();
        channel.advanceTimeBy(1500, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertThat(fired).as("2 s after it was sent again").containsExactly("response-header");
        channel.finishAndReleaseAll();
    }

    @Test
    void aShorterDeadlineWakesTheCheckEarlierThanALongerOne() {
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.freezeTime();
        List<String> fired = new ArrayList<>();
        ExchangeDeadlines deadlines = new ExchangeDeadlines(channel.eventLoop(), (name, limit) -> fired.add(name));
        deadlines.exchangeStarted(timeouts);
        deadlines.requestSent(timeouts);
        channel.advanceTimeBy(2100, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertThat(fired).as("response-header (2 s) before total (5 s)").containsExactly("response-header");
        channel.finishAndReleaseAll();
    }

    @Test
    void stoppedDeadlinesLeaveNoTimerBehind() {
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.freezeTime();
        List<String> fired = new ArrayList<>();
        ExchangeDeadlines deadlines = new ExchangeDeadlines(channel.eventLoop(), (name, limit) -> fired.add(name));
        deadlines.exchangeStarted(timeouts);
        deadlines.requestSent(timeouts);
        assertThat(channel.runScheduledPendingTasks()).as("a check is pending").isPositive();
        deadlines.stop();
        assertThat(channel.runScheduledPendingTasks()).as("no task is pending").isEqualTo(-1);
        assertThat(fired).isEmpty();
        channel.finishAndReleaseAll();
    }
}
