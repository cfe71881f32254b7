package io.gatehouse.proxy.cli;

import io.gatehouse.config.ConfigException;
import io.gatehouse.config.GatehouseConfig;
import io.gatehouse.config.YamlConfigLoader;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code -c/--config FILE} option of {@code run} and {@code check}. */
final class ConfigFileOption {

    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE", description = "The YAML configuration file.")
    Path file;

    /** The file's configuration, with the command line's --workers, --drain-timeout and --rsa-signing applied. */
    GatehouseConfig load(CommonOptions common) throws ConfigException {
        return common.applyTo(new YamlConfigLoader().load(file));
    }
}
