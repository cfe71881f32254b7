package io.gatehouse.proxy.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code gatehouse}: with a subcommand, runs it; without one, behaves as stud or hitch would with the same
 * arguments, so devstack-style tooling can start it in their place.
 */
@Command(name = "gatehouse", mixinStandardHelpOptions = true, version = "gatehouse 0.1.0",
        subcommands = {RunCommand.class, CheckCommand.class, DemoCommand.class},
        description = {"TLS-terminating proxy for OpenStack clouds.", "",
                "Without a subcommand it is a stud/hitch drop-in:",
                "  gatehouse -f HOST,PORT -b HOST,PORT PEMFILE               (stud)",
                "  gatehouse --frontend=[HOST]:PORT --backend=[HOST]:PORT PEMFILE...   (hitch)",
                "Exit codes: 0 ok, 1 runtime error, 2 configuration or usage error."})
public final class Main implements Callable<Integer> {

    @Option(names = {"-f", "--frontend"}, paramLabel = "ADDRESS",
            description = "Listen here: HOST,PORT or [HOST]:PORT; * or [*] for every address, IPv4 and IPv6. Repeatable.")
    List<String> frontends = new ArrayList<>();

    @Option(names = {"-b", "--backend"}, paramLabel = "ADDRESS", description = "Relay decrypted bytes here: HOST,PORT or [HOST]:PORT.")
    String backend;

    @Option(names = "--write-proxy-v1", description = "Send a PROXY protocol v1 header to the backend first, as hitch does.")
    boolean proxyV1;

    @Option(names = "--write-proxy-v2", description = "Send a PROXY protocol v2 header to the backend first, as hitch does.")
    boolean proxyV2;

    @Option(names = {"--tls", "--ssl"}, hidden = true,
            description = "Accepted for stud compatibility; Gatehouse always offers TLS 1.2 and 1.3.")
    boolean studProtocolFlag;

    @Parameters(paramLabel = "PEMFILE", arity = "0..*", description = "Combined cert+key+chain PEM files; the first is the default.")
    List<Path> pemFiles = new ArrayList<>();

    @Mixin
    CommonOptions common;

    public static void main(String[] args) {
        NettyDefaults.apply();
        System.exit(execute(args));
    }

    /** Runs the command line and returns the exit code, without exiting: the tests call this. */
    public static int execute(String... args) {
        return execute(new java.io.PrintWriter(System.out, true), new java.io.PrintWriter(System.err, true), args);
    }

    /** As {@link #execute(String...)}, writing command output and errors where the caller says. */
    public static int execute(java.io.PrintWriter out, java.io.PrintWriter err, String... args) {
        CommandLine commandLine = new CommandLine(new Main()).setOut(out).setErr(err);
        commandLine.setParameterExceptionHandler((e, arguments) -> {
            e.getCommandLine().getErr().println("gatehouse: " + e.getMessage());
            e.getCommandLine().getErr().println("See 'gatehouse --help'" + (e.getCommandLine().getParent() == null ? ""
                    : " or 'gatehouse " + e.getCommandLine().getCommandName() + " --help'") + ".");
            return ExitCodes.CONFIG_ERROR;
        });
        return commandLine.execute(args);
    }

    @Override
    public Integer call() {
        if (frontends.isEmpty() && backend == null && pemFiles.isEmpty()) {
            common.command.commandLine().usage(common.command.commandLine().getErr());
            return ExitCodes.CONFIG_ERROR;
        }
        return common.run(() -> RunCommand.runInForeground(common.applyTo(
                LegacyCommandLine.toConfig(frontends, backend, pemFiles, proxyV1, proxyV2))));
    }
}
