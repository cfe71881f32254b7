package io.gatehouse.proxy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs a command (openssl, curl) to completion with a deadline and returns what it printed. */
public record ProcessRun(int exitCode, String stdout, String stderr) {

    public static ProcessRun run(List<String> command, String stdin) throws IOException, InterruptedException {
        return run(new ProcessBuilder(command), stdin);
    }

    /** Runs a prepared builder (its environment or folder set), with no standard input. */
    public static ProcessRun run(ProcessBuilder builder) throws IOException, InterruptedException {
        return run(builder, null);
    }

    private static ProcessRun run(ProcessBuilder builder, String stdin) throws IOException, InterruptedException {
        List<String> command = builder.command();
        Process process = builder.start();
        if (stdin != null) {
            process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        process.getOutputStream().close();
        // Read both streams concurrently so neither pipe can fill and stall the process.
        var out = CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()));
        var err = CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("timed out: " + command);
        }
        return new ProcessRun(process.exitValue(), out.join(), err.join());
    }

    private static String readAll(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
