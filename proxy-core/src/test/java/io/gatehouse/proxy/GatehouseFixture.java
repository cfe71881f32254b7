package io.gatehouse.proxy;

import io.gatehouse.config.GatehouseConfig;
import io.gatehouse.config.YamlConfigLoader;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;

/** Starts an in-JVM Gatehouse from YAML text written into a test folder; close it in the test's finally. */
public final class GatehouseFixture {

    private GatehouseFixture() {
    }

    public static Gatehouse start(Path dir, String yaml) throws Exception {
        return start(dir, yaml, Transport.best());
    }

    /** As {@link #start(Path, String)}, on the given transport. */
    public static Gatehouse start(Path dir, String yaml, Transport transport) throws Exception {
        Path file = Files.writeString(dir.resolve("gatehouse-" + System.nanoTime() + ".yaml"), yaml);
        GatehouseConfig config = new YamlConfigLoader().load(file);
        return Gatehouse.start(new ConfigPreparation().prepare(config), transport);
    }

    /** A one-listener configuration: {@code mode} on 127.0.0.1:0 with the PKI's server certificate, to {@code upstream}. */
    public static String singleListener(String mode, TestPki pki, InetSocketAddress upstream, String extraListenerYaml) {
        return """
                listeners:
                  - name: front
                    bind: "127.0.0.1:0"
                    mode: %s
                    certificates:
                      - pem: %s
                    backend: app
                %s
                backends:
                  app:
                    servers: ["127.0.0.1:%d"]
                """.formatted(mode, pki.serverPem, extraListenerYaml, upstream.getPort());
    }

    /**
     * One http listener on 127.0.0.1:0 with the PKI's server certificate, to one upstream port, with the clients'
     * {@code keepAlive} and the pooled upstream connections' {@code idle} timeouts (YAML durations such as 1s).
     */
    public static String httpWithTimeouts(TestPki pki, int upstreamPort, String keepAlive, String idle) {
        return """
                listeners:
                  - name: front
                    bind: "127.0.0.1:0"
                    mode: http
                    certificates:
                      - pem: %s
                    backend: app
                    timeouts: {keep-alive: %s}
                backends:
                  app:
                    servers: ["127.0.0.1:%d"]
                    timeouts: {idle: %s}
                """.formatted(pki.serverPem, keepAlive, upstreamPort, idle);
    }
}
