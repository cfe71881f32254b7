package io.gatehouse.config;

/** The PROXY protocol header sent to the upstream ahead of the relayed bytes (hitch's --write-proxy-v1/v2). */
public enum ProxyProtocolVersion {
    V1, V2;

    public String yamlName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
