package io.gatehouse.proxy.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.gatehouse.config.ConfigException;
import io.gatehouse.config.GatehouseConfig;
import io.gatehouse.config.HostPort;
import io.gatehouse.config.ListenerConfig;
import io.gatehouse.config.ListenerMode;
import io.gatehouse.config.ProxyProtocolVersion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LegacyCommandLineTest {

    @TempDir
    Path dir;

    @Test
    void studArgumentsBecomeOneTcpListener() throws Exception {
        Path pem = Files.writeString(dir.resolve("devstack-cert.pem"), "x");
        GatehouseConfig config = LegacyCommandLine.toConfig(List.of("192.0.2.5,443"), "127.0.0.1,80", List.of(pem), false, false);
        ListenerConfig listener = config.listeners().get(0);
        assertThat(listener.bind()).isEqualTo(new HostPort("192.0.2.5", 443));
        assertThat(listener.mode()).isEqualTo(ListenerMode.TCP);
        assertThat(listener.sendProxy()).isEmpty();
        assertThat(config.backends().get(listener.backend().orElseThrow()).servers()).containsExactly(new HostPort("127.0.0.1", 80));
    }

    @Test
    void hitchArgumentsWithSeveralFrontendsAndPemsAndProxyV2() throws Exception {
        Path a = Files.writeString(dir.resolve("a.pem"), "x");
        Path b = Files.writeString(dir.resolve("b.pem"), "x");
        GatehouseConfig config = LegacyCommandLine.toConfig(List.of("[*]:443", "[::1]:8443"), "[127.0.0.1]:8080", List.of(a, b), false, true);
        assertThat(config.listeners()).extracting(ListenerConfig::bind).containsExactly(new HostPort(null, 443), new HostPort("::1", 8443));
        assertThat(config.listeners()).allSatisfy(l -> {
            assertThat(l.certificates()).hasSize(2);
            assertThat(l.sendProxy()).contains(ProxyProtocolVersion.V2);
        });
    }

    @Test
    void everyMissingPieceIsNamedAtOnce() {
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> LegacyCommandLine.toConfig(List.of(), null, List.of(), true, true));
        assertThat(e.problems()).containsExactly(
                "--frontend: is required (e.g. -f 127.0.0.1,443 (stud) or --frontend=[*]:443 (hitch))",
                "--backend: is required (e.g. -b 127.0.0.1,8080 (stud) or --backend=[127.0.0.1]:8080 (hitch))",
                "PEMFILE: at least one is required (name the combined cert+key+chain PEM file after the options)",
                "--write-proxy-v1/--write-proxy-v2: both given (choose one PROXY protocol version)");
    }

    @Test
    void aMissingPemFileIsNamedByItsPosition() {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> LegacyCommandLine.toConfig(List.of("127.0.0.1,443"),
                "127.0.0.1,80", List.of(dir.resolve("gone.pem")), false, false));
        assertThat(e.problems()).containsExactly("PEMFILE[0].pem: " + dir.resolve("gone.pem")
                + " does not exist (check the path, or that certmonger has written the file)");
    }

    @Test
    void aWildcardBackendIsRefused() {
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> LegacyCommandLine.toConfig(List.of("*,443"), "*,80", List.of(dir.resolve("x.pem")), false, false));
        assertThat(e.problems()).anySatisfy(p -> assertThat(p).startsWith("--backend: '*,80' needs a host name or address here"));
    }
}
