package io.gatehouse.proxy.cli;

import io.gatehouse.config.GatehouseConfig;
import io.gatehouse.proxy.Gatehouse;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run Gatehouse from a YAML configuration file, in the foreground, until SIGTERM or SIGINT.")
final class RunCommand implements Callable<Integer> {

    @Mixin
    ConfigFileOption config;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() {
        return common.run(() -> runInForeground(config.load(common)));
    }

    static int runInForeground(GatehouseConfig config) throws Exception {
        Gatehouse gatehouse = Gatehouse.start(config);
        return ForegroundRun.untilSignalled(gatehouse, config.drainTimeout());
    }
}
