package io.gatehouse.proxy.cli;

import io.gatehouse.config.ConfigException;
import io.gatehouse.proxy.StartupException;
import java.io.PrintWriter;

/** Turns failures into the messages and exit codes operators see. Stack traces only with --debug. */
final class Failures {

    private Failures() {
    }

    static int report(Exception failure, boolean debug, PrintWriter err) {
        int code;
        if (failure instanceof ConfigException config) {
            err.println("gatehouse: configuration error in " + config.source() + " (" + config.problems().size() + " problem"
                    + (config.problems().size() == 1 ? "" : "s") + "):");
            config.problems().forEach(p -> err.println("  " + p));
            err.println("Nothing was started. Fix the above and run again; 'gatehouse check' validates without starting.");
            code = ExitCodes.CONFIG_ERROR;
        } else if (failure instanceof IllegalArgumentException usage) {
            err.println("gatehouse: " + usage.getMessage());
            code = ExitCodes.CONFIG_ERROR;
        } else if (failure instanceof StartupException startup) {
            err.println("gatehouse: cannot start: " + startup.getMessage());
            err.println("Nothing was left running.");
            code = ExitCodes.RUNTIME_ERROR;
        } else {
            err.println("gatehouse: " + failure);
            code = ExitCodes.RUNTIME_ERROR;
        }
        if (debug) {
            failure.printStackTrace(err);
        }
        err.flush();
        return code;
    }
}
