package io.gatehouse.proxy.backend;

import io.gatehouse.config.ProxyProtocolVersion;
import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyProtocolVersion;
import io.netty.handler.codec.haproxy.HAProxyProxiedProtocol;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/** The PROXY protocol header that tells the upstream who the client really is (hitch's --write-proxy-v1/v2). */
public final class ProxyProtocolHeader {

    private ProxyProtocolHeader() {
    }

    public static HAProxyMessage forConnection(ProxyProtocolVersion version, SocketAddress client, SocketAddress local) {
        HAProxyProtocolVersion wire = version == ProxyProtocolVersion.V1 ? HAProxyProtocolVersion.V1 : HAProxyProtocolVersion.V2;
        if (!(client instanceof InetSocketAddress src) || !(local instanceof InetSocketAddress dst)
                || (src.getAddress() instanceof Inet4Address) != (dst.getAddress() instanceof Inet4Address)) {
            // Mixed families cannot be expressed; UNKNOWN tells the upstream to use the connection's own addresses.
            return new HAProxyMessage(wire, HAProxyCommand.PROXY, HAProxyProxiedProtocol.UNKNOWN, null, null, 0, 0);
        }
        HAProxyProxiedProtocol family = src.getAddress() instanceof Inet4Address
                ? HAProxyProxiedProtocol.TCP4 : HAProxyProxiedProtocol.TCP6;
        return new HAProxyMessage(wire, HAProxyCommand.PROXY, family,
                src.getAddress().getHostAddress(), dst.getAddress().getHostAddress(), src.getPort(), dst.getPort());
    }
}
