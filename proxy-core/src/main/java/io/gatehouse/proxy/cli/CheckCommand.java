package io.gatehouse.proxy.cli;

import io.gatehouse.config.GatehouseConfig;
import io.gatehouse.config.HostConfig;
import io.gatehouse.ocsp.OcspStaplingService;
import io.gatehouse.ocsp.StapleStatus;
import io.gatehouse.ocsp.StaplerListener;
import io.gatehouse.proxy.ConfigPreparation;
import io.gatehouse.proxy.ListenerRuntime;
import io.gatehouse.proxy.PreparedConfig;
import io.gatehouse.sni.Finding;
import io.gatehouse.sni.ServerCertificate;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "check", mixinStandardHelpOptions = true,
        description = {"Validate a configuration and every certificate it names, without binding anything.",
                "Exit 0 when it is valid, 2 when it is not."})
final class CheckCommand implements Callable<Integer> {

    @Mixin
    ConfigFileOption config;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() {
        return common.run(() -> {
            GatehouseConfig loaded = config.load(common);
            PreparedConfig prepared = new ConfigPreparation().prepare(loaded);
            try (OcspStaplingService stapling = OcspStaplingService.overHttp(prepared.staplingTargets(), loaded.ocsp(),
                    StaplerListener.NONE, loaded.source())) {
                stapling.probeAll();
                return report(prepared, stapling.statuses(), common.out()) ? ExitCodes.OK : ExitCodes.CONFIG_ERROR;
            }
        });
    }

    private static String describe(StapleStatus staple) {
        StringBuilder line = new StringBuilder(staple.responder().map(r -> "responder " + r).orElse("no responder"));
        line.append("; source ").append(staple.mode());
        if (staple.current().isPresent()) {
            var response = staple.current().get();
            Duration age = Duration.between(response.producedAt(), Instant.now());
            line.append("; last response ").append(response.status().label())
                    .append(", produced ").append(response.producedAt()).append(" (").append(age.toMinutes()).append(" min ago)")
                    .append(", next update ").append(response.nextUpdate())
                    .append(staple.stapling() ? "; stapling" : "; not stapling");
        } else {
            line.append("; no valid response").append(staple.lastError().map(e -> " (" + e + ")").orElse(""));
        }
        if (staple.mustStaple()) {
            line.append("; must-staple");
        }
        return line.toString();
    }

    /** Prints the report; returns false when any certificate has an ERROR finding. */
    private static boolean report(PreparedConfig prepared, List<StapleStatus> staples, PrintWriter out) {
        Map<ServerCertificate, List<Finding>> findings = prepared.findings();
        Map<String, StapleStatus> stapleByNickname = new java.util.HashMap<>();
        staples.forEach(s -> stapleByNickname.put(s.nickname(), s));
        out.println("gatehouse check: " + prepared.config().source());
        for (ListenerRuntime listener : prepared.listeners()) {
            out.println("listener " + listener.name() + ": bind " + listener.config().bind() + ", mode "
                    + (listener.config().plain() ? "redirect, redirects every request to https"
                            : listener.config().mode().yamlName() + ", forwards to " + listener.forwardingText(prepared.backends()))
                    + (listener.config().strictSni() ? ", strict-sni" : ""));
            for (var route : listener.config().routes()) {
                out.println("  route " + route.host().orElse("any host") + route.pathPrefix().map(p -> " " + p).orElse("")
                        + (route.stripPrefix() ? " (prefix stripped)" : "") + " -> " + route.backend());
            }
            for (ServerCertificate certificate : listener.certificates()) {
                boolean isDefault = listener.defaultCertificate().map(d -> d == certificate).orElse(false);
                Duration left = Duration.between(Instant.now(), certificate.leaf().getNotAfter().toInstant());
                out.println("  certificate " + certificate.nickname() + (isDefault ? " (default)" : "") + ": "
                        + certificate.source() + "; key " + certificate.keyAlgorithm()
                        + prepared.rsaSigners().signerOf(certificate).map(signer -> " (signs with " + signer + ")").orElse("")
                        + "; names " + certificate.dnsNames()
                        + " ips " + certificate.ipAddresses() + "; chain of " + certificate.chain().size()
                        + "; expires " + certificate.leaf().getNotAfter().toInstant() + " (in " + left.toDays() + " days)");
                StapleStatus staple = stapleByNickname.get(certificate.nickname().value());
                out.println("    ocsp: " + (staple == null ? "disabled" : describe(staple)));
            }
            for (HostConfig host : listener.config().hosts()) {
                out.println("  host " + host.name() + ": served by " + listener.tls().certificateFor(host.name().replace("*", "gatehouse-probe"))
                        .map(c -> c.nickname().value()).orElse("(none)") + "; client-auth " + host.clientAuth().yamlName()
                        + host.clientCa().map(ca -> " (" + ca + ")").orElse("")
                        + (host.protocols().isEmpty() ? "" : "; protocols " + host.protocols())
                        + (host.ciphers().isEmpty() ? "" : "; ciphers " + host.ciphers()));
            }
        }
        for (ServerCertificate certificate : findings.keySet()) {
            StapleStatus staple = stapleByNickname.get(certificate.nickname().value());
            if (staple != null) {
                List<Finding> list = new java.util.ArrayList<>(findings.get(certificate));
                list.addAll(staple.findings(certificate));
                findings.put(certificate, list);
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
