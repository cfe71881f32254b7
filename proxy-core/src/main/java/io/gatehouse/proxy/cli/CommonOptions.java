package io.gatehouse.proxy.cli;

import ch.qos.logback.classic.Level;
import io.gatehouse.config.DurationText;
import io.gatehouse.config.GatehouseConfig;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;

/** Options every command shares. */
final class CommonOptions {

    @Option(names = "--debug", description = "Log at DEBUG and print stack traces with errors.")
    boolean debug;

    @Option(names = "--workers", paramLabel = "N", description = "Event-loop threads (default: the number of cores, or workers: in the YAML).")
    Integer workers;

    @Option(names = "--drain-timeout", paramLabel = "DURATION",
            description = "On SIGTERM/SIGINT, how long in-flight requests may finish, e.g. 10s, 500ms (default: 10s, or drain-timeout: in the YAML).")
    String drainTimeout;

    void applyLogging() {
        if (debug) {
            ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).setLevel(Level.DEBUG);
        }
    }

    /** Command-line values win over the YAML's. Throws IllegalArgumentException naming the bad option. */
    GatehouseConfig applyTo(GatehouseConfig config) {
        GatehouseConfig result = config;
        if (workers != null) {
            if (workers < 1) {
                throw new IllegalArgumentException("--workers: " + workers + " is not 1 or more");
            }
            result = result.withWorkers(Optional.of(workers));
        }
        if (drainTimeout != null) {
            Duration parsed;
            try {
                parsed = DurationText.parse(drainTimeout);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--drain-timeout: " + e.getMessage());
            }
            result = result.withDrainTimeout(parsed);
        }
        return result;
    }
}
