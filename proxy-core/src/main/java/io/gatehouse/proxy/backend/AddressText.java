package io.gatehouse.proxy.backend;

import io.gatehouse.config.HostPort;
import java.net.InetSocketAddress;

/** Socket addresses as operators write them: {@code 127.0.0.1:35357}, {@code [fd00::5]:35357}. */
public final class AddressText {

    private AddressText() {
    }

    public static String of(InetSocketAddress address) {
        String host = address.getAddress() == null ? address.getHostString() : address.getAddress().getHostAddress();
        return new HostPort(host, address.getPort()).toString();
    }
}
