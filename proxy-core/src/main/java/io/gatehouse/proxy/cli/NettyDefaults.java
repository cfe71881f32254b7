package io.gatehouse.proxy.cli;

import io.netty.util.ResourceLeakDetector;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Netty's process-wide settings that Gatehouse chooses differently for production, each only when the operator has
 * not set it with {@code -D}.
 *
 * <p>Buffer leak detection: Netty samples one buffer in 128 by default and records a stack trace for each, which
 * cost about a sixth of the CPU per keep-alive request in a profile. Gatehouse turns it off; an operator chasing a
 * leak turns it back on with {@code JAVA_OPTS=-Dio.netty.leakDetection.level=simple}. The tests run with paranoid.
 */
final class NettyDefaults {

    static final String LEAK_DETECTION_PROPERTY = "io.netty.leakDetection.level";
    /** The older spelling Netty still reads. */
    private static final String LEGACY_LEAK_DETECTION_PROPERTY = "io.netty.leakDetectionLevel";

    private NettyDefaults() {
    }

    /** Applies the defaults to this process; called once, first thing in {@code main}. */
    static void apply() {
        leakDetectionLevel(System::getProperty).ifPresent(ResourceLeakDetector::setLevel);
    }

    /** The level to set, or empty where the operator chose one. */
    static Optional<ResourceLeakDetector.Level> leakDetectionLevel(UnaryOperator<String> properties) {
        if (properties.apply(LEAK_DETECTION_PROPERTY) != null || properties.apply(LEGACY_LEAK_DETECTION_PROPERTY) != null) {
            return Optional.empty();
        }
        return Optional.of(ResourceLeakDetector.Level.DISABLED);
    }
}
