package io.gatehouse.proxy.cli;

import ch.qos.logback.classic.Level;
import io.gatehouse.config.DurationText;
import io.gatehouse.config.GatehouseConfig;
import io.gatehouse.config.RsaSigning;
import java.io.PrintWriter;
import java.util.function.Function;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import java.util.Optional;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;

/** Options every command shares, and the way every command reports a failure. */
final class CommonOptions {

    /** A command's body: returns the exit code, throws what {@link Failures} turns into a message. */
    interface Body {
        int run() throws Exception;
    }

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(names = "--debug", description = "Log at DEBUG and print stack traces with errors.")
    boolean debug;

    @Option(names = "--workers", paramLabel = "N", description = "Event-loop threads (default: the number of cores, or workers: in the YAML).")
    Integer workers;

    @Option(names = "--drain-timeout", paramLabel = "DURATION",
            description = "On SIGTERM/SIGINT, how long in-flight requests may finish, e.g. 10s, 500ms (default: 10s, or drain-timeout: in the YAML).")
    String drainTimeout;

    @Option(names = "--rsa-signing", paramLabel = "LIBRARY",
            description = "Who signs handshakes for RSA certificates: auto (OpenSSL 3's libcrypto when it loads, else BoringSSL),"
                    + " libcrypto (or refuse to start), boringssl (default: auto, or rsa-signing: in the YAML).")
    String rsaSigning;

    /** Applies --debug, runs {@code body}, and turns any failure into its message and exit code. */
    int run(Body body) {
        applyLogging();
        try {
            return body.run();
        } catch (Exception e) {
            return Failures.report(e, debug, command.commandLine().getErr());
        }
    }

    /** Where command output (reports, the demo's instructions) goes. */
    PrintWriter out() {
        return command.commandLine().getOut();
    }

    private void applyLogging() {
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
            result = result.withDrainTimeout(parse("--drain-timeout", drainTimeout, DurationText::parse));
        }
        if (rsaSigning != null) {
            result = result.withRsaSigning(parse("--rsa-signing", rsaSigning, RsaSigning::parse));
        }
        return result;
    }

    /** Parses an option's text; a bad value's message names the option. */
    private static <T> T parse(String option, String text, Function<String, T> parser) {
        try {
            return parser.apply(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + ": " + e.getMessage());
        }
    }
}
