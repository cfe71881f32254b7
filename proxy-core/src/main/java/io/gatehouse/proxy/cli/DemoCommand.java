package io.gatehouse.proxy.cli;

import io.gatehouse.config.BackendConfig;
import io.gatehouse.config.CertificateSource;
import io.gatehouse.config.GatehouseConfig;
import io.gatehouse.config.HostPort;
import io.gatehouse.config.ListenerConfig;
import io.gatehouse.config.ListenerMode;
import io.gatehouse.proxy.Gatehouse;
import io.gatehouse.proxy.demo.DemoBackend;
import io.gatehouse.sni.ThrowawayPki;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Try Gatehouse with nothing set up: makes a throwaway CA and a certificate for localhost and",
                "127.0.0.1, starts a demo HTTP backend and a TLS listener in front of it, and prints a curl line.",
                "Ctrl-C stops everything."})
final class DemoCommand implements Callable<Integer> {

    @Option(names = "--port", defaultValue = "8443", paramLabel = "PORT", description = "TLS port on 127.0.0.1 (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--state-dir", paramLabel = "DIR",
            description = "Where the throwaway CA and certificate are written (default: $XDG_STATE_HOME/gatehouse/demo, or ~/.local/state/gatehouse/demo).")
    Path stateDir;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() {
        return common.run(this::runDemo);
    }

    private int runDemo() throws Exception {
        PrintWriter out = common.out();
        try (DemoBackend backend = DemoBackend.start("127.0.0.1", 0)) {
            Path dir = stateDir != null ? stateDir : defaultStateDir();
            Path caFile = dir.resolve("ca.pem");
            Path serverPem = dir.resolve("demo-server.pem");
            writeThrowawayPki(dir, caFile, serverPem);
            GatehouseConfig config = common.applyTo(new GatehouseConfig("gatehouse demo",
                    List.of(new ListenerConfig("demo listener", "demo", new HostPort("127.0.0.1", port), ListenerMode.HTTP,
                            List.of(new CertificateSource.CombinedPem("demo certificate", serverPem, Optional.empty())), "demo",
                            Optional.empty())),
                    Map.of("demo", new BackendConfig("demo backend", "demo",
                            List.of(new HostPort("127.0.0.1", backend.address().getPort())))))
                    .withTrust(Optional.of(caFile)));
            Gatehouse gatehouse = Gatehouse.start(config);
            int bound = gatehouse.address("demo").getPort();
            out.println("Gatehouse demo is running.");
            out.println("  state folder:   " + dir + " (throwaway CA and certificate, made anew on every start)");
            out.println("  demo backend:   http://127.0.0.1:" + backend.address().getPort() + " (plain HTTP, loopback only)");
            out.println("  TLS listener:   https://127.0.0.1:" + bound + " -> demo backend");
            out.println("Try it from another shell:");
            out.println("curl --cacert " + caFile + " https://127.0.0.1:" + bound + "/");
            out.println("Press Ctrl-C to stop.");
            out.flush();
            return ForegroundRun.untilSignalled(gatehouse, config.drainTimeout());
        }
    }

    private static void writeThrowawayPki(Path dir, Path caFile, Path serverPem) throws IOException {
        Files.createDirectories(dir);
        ThrowawayPki pki = new ThrowawayPki();
        ThrowawayPki.Issued root = pki.root("Gatehouse demo root CA (throwaway)");
        ThrowawayPki.Issued intermediate = pki.intermediate(root, "Gatehouse demo intermediate CA (throwaway)");
        // 90 days, so that the demo shows no expiry warning; the CA is made anew at every start anyway.
        java.time.Instant now = java.time.Instant.now();
        ThrowawayPki.Issued server = pki.server(intermediate, ThrowawayPki.KeyType.EC, "localhost", List.of("localhost"),
                List.of("127.0.0.1", "::1"), now.minus(java.time.Duration.ofHours(1)), now.plus(java.time.Duration.ofDays(90)), true);
        Files.writeString(caFile, root.certificatePem());
        Files.deleteIfExists(serverPem);
        Files.createFile(serverPem, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(serverPem, ThrowawayPki.combinedPem(server, intermediate));
    }

    private static Path defaultStateDir() {
        String xdg = System.getenv("XDG_STATE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".local", "state");
        return base.resolve("gatehouse").resolve("demo");
    }
}
