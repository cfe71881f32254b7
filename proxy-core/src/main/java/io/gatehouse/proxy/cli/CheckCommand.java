package io.gatehouse.proxy.cli;

import io.gatehouse.config.GatehouseConfig;
import io.gatehouse.config.YamlConfigLoader;
import io.gatehouse.proxy.ConfigPreparation;
import io.gatehouse.proxy.ListenerRuntime;
import io.gatehouse.proxy.PreparedConfig;
import io.gatehouse.config.HostConfig;
import io.gatehouse.sni.Finding;
import io.gatehouse.sni.ServerCertificate;
import java.util.List;
import java.util.Map;
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
            return report(prepared, out) ? ExitCodes.OK : ExitCodes.CONFIG_ERROR;
        } catch (Exception e) {
            return Failures.report(e, common.debug, spec.commandLine().getErr());
        }
    }

    /** Prints the report; returns false when any certificate has an ERROR finding. */
    private static boolean report(PreparedConfig prepared, PrintWriter out) {
        Map<ServerCertificate, List<Finding>> findings = prepared.findings();
        out.println("gatehouse check: " + prepared.config().source());
        for (ListenerRuntime listener : prepared.listeners()) {
            out.println("listener " + listener.name() + ": bind " + listener.config().bind() + ", mode "
                    + listener.config().mode().yamlName() + ", backend " + listener.upstream().backend() + " "
                    + listener.upstream().serversText() + (listener.config().strictSni() ? ", strict-sni" : ""));
            for (ServerCertificate certificate : listener.certificates()) {
                boolean isDefault = certificate == listener.defaultCertificate();
                Duration left = Duration.between(Instant.now(), certificate.leaf().getNotAfter().toInstant());
                out.println("  certificate " + certificate.nickname() + (isDefault ? " (default)" : "") + ": "
                        + certificate.source() + "; key " + certificate.keyAlgorithm() + "; names " + certificate.dnsNames()
                        + " ips " + certificate.ipAddresses() + "; chain of " + certificate.chain().size()
                        + "; expires " + certificate.leaf().getNotAfter().toInstant() + " (in " + left.toDays() + " days)");
            }
            for (HostConfig host : listener.config().hosts()) {
                out.println("  host " + host.name() + ": served by " + listener.tls().certificateFor(host.name().replace("*", "gatehouse-probe"))
                        .map(c -> c.nickname().value()).orElse("(none)") + "; client-auth " + host.clientAuth().yamlName()
                        + host.clientCa().map(ca -> " (" + ca + ")").orElse("")
                        + (host.protocols().isEmpty() ? "" : "; protocols " + host.protocols())
                        + (host.ciphers().isEmpty() ? "" : "; ciphers " + host.ciphers()));
            }
        }
        long errors = 0;
        long warnings = 0;
        for (List<Finding> list : findings.values()) {
            for (Finding finding : list) {
                out.println(finding.line());
                if (finding.severity() == Finding.Severity.ERROR) {
                    errors++;
                } else {
                    warnings++;
                }
            }
        }
        String counts = prepared.listeners().size() + " listener(s), " + prepared.certificates().all().size()
                + " certificate(s), " + prepared.config().backends().size() + " backend(s)";
        out.println(errors == 0 ? "OK: " + counts + (warnings > 0 ? ", " + warnings + " warning(s)" : "")
                : "FAILED: " + errors + " error(s), " + warnings + " warning(s) in " + counts);
        out.flush();
        return errors == 0;
    }
}
