package io.gatehouse.proxy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.proxy.GatehouseProcess;
import io.gatehouse.proxy.ProcessRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ./gatehouse launcher builds when the jar is missing or older than the sources, and only then. It runs in a
 * copy of the repository's layout with a stand-in mvn that records being called and puts the real jar in place:
 * running Maven itself here would rebuild the very target folders this build is testing.
 */
class LauncherIT {

    @TempDir
    Path repo;

    Path jar;
    Path source;
    Path mvnCalls;

    @BeforeEach
    void layout() throws Exception {
        Path launcher = Path.of(System.getProperty("gatehouse.launcher"));
        Files.copy(launcher, repo.resolve("gatehouse"), StandardCopyOption.COPY_ATTRIBUTES);
        source = Files.createDirectories(repo.resolve("proxy-core/src/main/java")).resolve("Example.java");
        Files.writeString(source, "class Example {}");
        Files.writeString(repo.resolve("pom.xml"), "<project/>");
        jar = repo.resolve("proxy-core/target/gatehouse.jar");
        mvnCalls = repo.resolve("mvn-calls.txt");
        Path bin = Files.createDirectories(repo.resolve("bin"));
        Path mvn = bin.resolve("mvn");
        Files.writeString(mvn, "#!/bin/sh\necho \"$@\" >> '" + mvnCalls + "'\nmkdir -p '" + jar.getParent() + "'\ncp '"
                + GatehouseProcess.jar() + "' '" + jar + "'\n");
        Files.setPosixFilePermissions(mvn, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private ProcessRun launch() throws Exception {
        ProcessBuilder builder = new ProcessBuilder(repo.resolve("gatehouse").toString(), "--version");
        Map<String, String> env = builder.environment();
        env.put("PATH", repo.resolve("bin") + ":" + env.get("PATH"));
        return ProcessRun.run(builder);
    }

    @Test
    void aMissingJarIsBuiltFirstAndTheBuildIsAnnounced() throws Exception {
        ProcessRun run = launch();
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.stdout()).contains("gatehouse 0.1.0");
        assertThat(run.stderr()).contains("gatehouse: building the runnable jar");
        assertThat(Files.readAllLines(mvnCalls)).singleElement().asString().contains("-DskipTests package");
    }

    @Test
    void anUpToDateJarRunsWithoutBuildingAndAStaleOneIsRebuilt() throws Exception {
        launch();
        // Everything the launcher compares, folders included (a file added or removed changes its folder), predates the jar.
        try (var paths = Files.walk(repo.resolve("proxy-core/src"))) {
            for (Path path : paths.toList()) {
                Files.setLastModifiedTime(path, FileTime.from(Instant.now().minusSeconds(3600)));
            }
        }
        Files.setLastModifiedTime(repo.resolve("pom.xml"), FileTime.from(Instant.now().minusSeconds(3600)));
        Files.setLastModifiedTime(jar, FileTime.from(Instant.now().minusSeconds(60)));
        ProcessRun upToDate = launch();
        assertThat(upToDate.stderr()).doesNotContain("building");
        assertThat(Files.readAllLines(mvnCalls)).hasSize(1);

        Files.setLastModifiedTime(source, FileTime.from(Instant.now()));
        ProcessRun stale = launch();
        assertThat(stale.stderr()).contains("gatehouse: building the runnable jar");
        assertThat(stale.stdout()).contains("gatehouse 0.1.0");
        assertThat(Files.readAllLines(mvnCalls)).hasSize(2);
    }
}
