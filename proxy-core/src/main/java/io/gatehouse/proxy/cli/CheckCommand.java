package io.gatehouse.proxy.cli;

import io.gatehouse.config.GatehouseConfig;
import io.gatehouse.config.YamlConfigLoader;
import io.gatehouse.proxy.ConfigPreparation;
import io.gatehouse.proxy.ListenerRuntime;
import io.gatehouse.proxy.PreparedConfig;
import io.gatehouse.sni.ServerCertificate;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "check", mixinStandardHelpOptions = true,
        description = {"Validate a configuration and every certificate it names, without binding anything.",
                "Exit 0 when it is valid, 2 when it is not."})
final class CheckCommand implements Callable<Integer> {

    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE", description = "The YAML configuration file.")
    Path config;

    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        common.applyLogging();
        PrintWriter out = spec.commandLine().getOut();
        try {
            GatehouseConfig loaded = common.applyTo(new YamlConfigLoader().load(config));
            PreparedConfig prepared = new ConfigPreparation().prepare(loaded);
            report(prepared, out);
            return ExitCodes.OK;
        } catch (Exception e) {
            return Failures.report(e, common.debug, spec.commandLine().getErr());
        }
    }

    private static void report(PreparedConfig prepared, PrintWriter out) {
        out.println("gatehouse check: " + prepared.config().source());
        for (ListenerRuntime listener : prepared.listeners()) {
            out.println("listener " + listener.name() + ": bind " + listener.config().bind() + ", mode "
                    + listener.config().mode().yamlName() + ", backend " + listener.upstream().backend() + " "
                    + listener.upstream().serversText());
            for (ServerCertificate certificate : listener.certificates()) {
                boolean isDefault = certificate == listener.defaultCertificate();
                Duration left = Duration.between(Instant.now(), certificate.leaf().getNotAfter().toInstant());
                out.println("  certificate " + certificate.nickname() + (isDefault ? " (default)" : "") + ": "
                        + certificate.source() + "; key " + certificate.keyAlgorithm() + "; names " + certificate.dnsNames()
                        + " ips " + certificate.ipAddresses() + "; chain of " + certificate.chain().size()
                        + "; expires " + certificate.leaf().getNotAfter().toInstant() + " (in " + left.toDays() + " days)");
            }
        }
        out.println("OK: " + prepared.listeners().size() + " listener(s), " + prepared.certificates().all().size()
                + " certificate(s), " + prepared.config().backends().size() + " backend(s)");
        out.flush();
    }
}
