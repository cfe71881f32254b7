package io.gatehouse.proxy.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gatehouse.proxy.GatehouseProcess;
import io.gatehouse.proxy.ProcessRun;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's first command: ./gatehouse demo, then the curl line it prints, run as printed. */
class DemoIT {

    @TempDir
    Path dir;

    @Test
    void theDemoPrintsACurlLineThatWorksAsPrinted() throws Exception {
        String launcher = System.getProperty("gatehouse.launcher");
        try (GatehouseProcess demo = GatehouseProcess.launch(dir, List.of(launcher, "demo", "--port", "0",
                "--state-dir", dir.resolve("state").toString()))) {
            await().atMost(Duration.ofSeconds(60)).until(() -> demo.stdout().lines().anyMatch(l -> l.startsWith("curl ")) || !demo.isAlive());
            String curl = demo.stdout().lines().filter(l -> l.startsWith("curl ")).findFirst().orElseThrow(
                    () -> new AssertionError("no curl line; stderr:\n" + demo.stderr()));
            assertThat(curl).contains("--cacert ").doesNotContain(" -k").doesNotContain("--insecure");

            ProcessRun run = ProcessRun.run(List.of("bash", "-c", curl + " -sS --fail"), null);
            assertThat(run.exitCode()).as(run.stderr()).isZero();
            assertThat(run.stdout()).contains("Hello from the Gatehouse demo backend.").contains("X-Forwarded-Proto: https");

            demo.terminate();
            assertThat(demo.awaitExit(Duration.ofSeconds(30))).isZero();
        }
    }
}
