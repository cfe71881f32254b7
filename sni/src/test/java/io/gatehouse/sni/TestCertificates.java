package io.gatehouse.sni;

import java.util.List;

/** Certificates for the sni tests, made per run: root, intermediate, and leaves issued by the intermediate. */
final class TestCertificates {

    final ThrowawayPki pki = new ThrowawayPki();
    final ThrowawayPki.Issued root = pki.root("sni test root");
    final ThrowawayPki.Issued intermediate = pki.intermediate(root, "sni test intermediate");

    /** An EC leaf; with no names, the certificate has no SAN and its CN is the first argument. */
    ThrowawayPki.Issued leaf(String cn, String... dnsNames) {
        return pki.server(intermediate, ThrowawayPki.KeyType.EC, cn, List.of(dnsNames), List.of());
    }

    ThrowawayPki.Issued rsaLeaf(String cn, String... dnsNames) {
        return pki.server(intermediate, ThrowawayPki.KeyType.RSA, cn, List.of(dnsNames), List.of());
    }
}
