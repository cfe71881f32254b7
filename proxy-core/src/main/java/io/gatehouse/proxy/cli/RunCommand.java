package io.gatehouse.proxy.cli;

import io.gatehouse.config.GatehouseConfig;
import io.gatehouse.config.YamlConfigLoader;
import io.gatehouse.proxy.Gatehouse;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run Gatehouse from a YAML configuration file, in the foreground, until SIGTERM or SIGINT.")
final class RunCommand implements Callable<Integer> {

    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE", description = "The YAML configuration file.")
    Path config;

    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        common.applyLogging();
        try {
            GatehouseConfig loaded = common.applyTo(new YamlConfigLoader().load(config));
            return runInForeground(loaded);
        } catch (Exception e) {
            return Failures.report(e, common.debug, spec.commandLine().getErr());
        }
    }

    static int runInForeground(GatehouseConfig config) throws Exception {
        Gatehouse gatehouse = Gatehouse.start(config);
        return ForegroundRun.untilSignalled(gatehouse, config.drainTimeout());
    }
}
