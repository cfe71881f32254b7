package io.gatehouse.config;

import java.util.List;

/** A named group of upstream servers that listeners forward to. */
public record BackendConfig(String origin, String name, List<HostPort> servers) {

    public BackendConfig {
        servers = List.copyOf(servers);
    }

    /** Where server {@code index} was written: {@code backends.keystone.servers[0]}, or {@code --backend} on the command line. */
    public String serverOrigin(int index) {
        return origin.startsWith("--") ? origin : origin + ".servers[" + index + "]";
    }
}
