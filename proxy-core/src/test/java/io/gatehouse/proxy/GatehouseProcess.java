package io.gatehouse.proxy;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Gatehouse as operators run it: the shaded jar in its own JVM, with paranoid leak detection. Output goes to
 * files so a test can read the log while the process runs.
 */
public final class GatehouseProcess implements AutoCloseable {

    private static final Pattern READY = Pattern.compile("listener ready name=(\\S+) address=(\\S+)");

    private final Process process;
    private final Path stdout;
    private final Path stderr;

    private GatehouseProcess(Process process, Path stdout, Path stderr) {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    public static Path jar() {
        String jar = System.getProperty("gatehouse.jar");
        if (jar == null) {
            throw new IllegalStateException("gatehouse.jar is not set: run integration tests through 'mvn verify'");
        }
        return Path.of(jar);
    }

    /** Starts {@code java [jvmOptions] -jar gatehouse.jar args...}. */
    public static GatehouseProcess start(Path workDir, List<String> jvmOptions, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Dio.netty.leakDetection.level=paranoid");
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add(jar().toString());
        command.addAll(List.of(args));
        return launch(workDir, command);
    }

    /** Starts an arbitrary command, such as the {@code ./gatehouse} launcher. */
    public static GatehouseProcess launch(Path workDir, List<String> command) throws IOException {
        String id = Long.toString(System.nanoTime());
        Path out = workDir.resolve("stdout-" + id + ".txt");
        Path err = workDir.resolve("stderr-" + id + ".txt");
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        return new GatehouseProcess(process, out, err);
    }

    /** Waits until every listener logged "listener ready" and returns their addresses by name. */
    public Map<String, InetSocketAddress> awaitListeners(int count) {
        Map<String, InetSocketAddress> found = new LinkedHashMap<>();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> {
            if (!process.isAlive()) {
                throw new IllegalStateException("gatehouse exited with " + process.exitValue() + ":\n" + stderr());
            }
            Matcher m = READY.matcher(stderr());
            found.clear();
            while (m.find()) {
                String address = m.group(2);
                int colon = address.lastIndexOf(':');
                String host = address.substring(0, colon).replace("[", "").replace("]", "");
                found.put(m.group(1), new InetSocketAddress(host, Integer.parseInt(address.substring(colon + 1))));
            }
            return found.size() >= count;
        });
        return found;
    }

    public InetSocketAddress awaitListener() {
        return awaitListeners(1).values().iterator().next();
    }

    /** SIGTERM, as systemd and container runtimes send. */
    public void terminate() {
        process.destroy();
    }

    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("gatehouse did not exit within " + timeout + ":\n" + stderr());
        }
        return process.exitValue();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    public String stdout() {
        return read(stdout);
    }

    public String stderr() {
        return read(stderr);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
