package io.gatehouse.config;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** An address range such as {@code 10.0.0.0/8} or {@code fd00::/8}; a bare address is a range of one. */
public record CidrRange(InetAddress network, int prefixLength) {

    public static CidrRange parse(String text) {
        String trimmed = text.trim();
        int slash = trimmed.indexOf('/');
        String address = slash < 0 ? trimmed : trimmed.substring(0, slash);
        if (!address.matches("[0-9a-fA-F:.]+")) {
            throw new IllegalArgumentException("'" + text + "' is not an address range (names are not allowed here)");
        }
        InetAddress network;
        try {
            network = InetAddress.getByName(address);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("'" + text + "' is not an address range");
        }
        int bits = network.getAddress().length * 8;
        int prefix;
        try {
            prefix = slash < 0 ? bits : Integer.parseInt(trimmed.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' has no valid prefix length");
        }
        if (prefix < 0 || prefix > bits) {
            throw new IllegalArgumentException("'" + text + "' has a prefix length outside 0-" + bits);
        }
        return new CidrRange(network, prefix);
    }

    public boolean contains(InetAddress address) {
        byte[] net = network.getAddress();
        byte[] candidate = address.getAddress();
        if (candidate.length != net.length) {
            return false;
        }
        int full = prefixLength / 8;
        for (int i = 0; i < full; i++) {
            if (net[i] != candidate[i]) {
                return false;
            }
        }
        int rest = prefixLength % 8;
        if (rest == 0) {
            return true;
        }
        int mask = 0xff << (8 - rest);
        return (net[full] & mask) == (candidate[full] & mask);
    }

    @Override
    public String toString() {
        return network.getHostAddress() + "/" + prefixLength;
    }
}
