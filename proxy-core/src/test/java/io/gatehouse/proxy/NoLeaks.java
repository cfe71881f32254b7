package io.gatehouse.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;

/**
 * Fails a test class when Netty's leak detector reports a ByteBuf that was never released. The surefire and
 * failsafe JVMs run with paranoid detection; leaks are reported when a collected buffer is noticed, so this
 * collects garbage and allocates once more before looking.
 */
public final class NoLeaks implements BeforeAllCallback, AfterAllCallback {

    private ListAppender<ILoggingEvent> appender;

    @Override
    public void beforeAll(ExtensionContext context) {
        appender = new ListAppender<>();
        appender.start();
        ((Logger) LoggerFactory.getLogger(ResourceLeakDetector.class)).addAppender(appender);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        for (int i = 0; i < 3; i++) {
            System.gc();
            ByteBuf probe = PooledByteBufAllocator.DEFAULT.directBuffer(64);
            probe.release();
        }
        ((Logger) LoggerFactory.getLogger(ResourceLeakDetector.class)).detachAppender(appender);
        assertThat(appender.list).as("Netty LEAK reports").extracting(ILoggingEvent::getFormattedMessage)
                .noneMatch(message -> message.contains("LEAK"));
    }
}
